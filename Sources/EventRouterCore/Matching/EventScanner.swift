#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the byte-level reader stopped (the message shown comes from ``JSONParser``).
struct ScanFailure: Error {
    let offset: Int
    /// Not malformed: an object repeats a key some rule reads (the caller drops the earlier ones).
    var duplicateKey = false
}

/// Reads one event from its UTF-8 JSON text, recording the scalar values at the paths of
/// the ``PathTrie`` (with their array-element trails) and validating — without building
/// anything — every subtree no rule mentions.
///
/// It accepts exactly what ``JSONParser`` accepts (RFC 8259, UTF-8 checked inside strings,
/// nesting up to ``JSONParser/Options/maximumDepth``), so a malformed event is never matched.
package struct EventScanner {
    private let base: UnsafePointer<UInt8>
    private let end: Int
    private var pos = 0
    private let trie: PathTrie
    private let needsNumber: UnsafePointer<Bool>
    private let scratch: MatchScratch
    private let maximumDepth: Int
    private let skipStack: UnsafeMutablePointer<UInt8>
    /// The text is an event envelope the router wrote (``Event/jsonText``): valid JSON, one
    /// object whose top-level keys are distinct, dot-free and unescaped. Reading it stops once
    /// every top-level key some rule reads has been read: the members after it are on no rule's
    /// path, and they need no validation.
    private let envelope: Bool

    init(_ base: UnsafePointer<UInt8>, _ count: Int, plan: MatchPlan, scratch: MatchScratch, maximumDepth: Int = 1100, envelope: Bool = false) {
        self.envelope = envelope
        self.base = base
        self.end = count
        self.trie = plan.trie
        self.needsNumber = UnsafePointer(plan.needsNumber)
        self.scratch = scratch
        self.maximumDepth = maximumDepth
        scratch.skipStack.reserve(maximumDepth + 2)
        self.skipStack = scratch.skipStack.base
    }

    /// Reads the whole document.
    mutating func run() throws(ScanFailure) {
        if envelope && !trie.hasChildren(0) {
            pos = end  // no rule reads any field: nothing to record, and the text is valid
            return
        }
        skipWhitespace()
        try value(node: 0, depth: 0)
        skipWhitespace()
        if pos != end { throw ScanFailure(offset: pos) }
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        if pos < end && base[pos] <= 0x20 { JSONSkipper.whitespace(base, end, &pos) }
    }

    @inline(__always)
    private func fail() -> ScanFailure { ScanFailure(offset: pos) }

    // MARK: Values on rule paths

    private mutating func value(node: Int32, depth: Int) throws(ScanFailure) {
        guard pos < end else { throw fail() }
        let b = base[pos]
        let path = trie.path(node)
        switch b {
        case 0x7B:  // {
            if trie.hasChildren(node) { try object(node: node, depth: depth + 1) } else { try skipContainer(depth: depth) }
        case 0x5B:  // [
            try array(node: node, depth: depth + 1)
        case 0x22:
            let start = pos + 1
            let flags = try scanString()
            if path >= 0 { recordString(path: path, start: start, end: pos - 1, flags: flags) }
        case 0x74, 0x66, 0x6E:
            let kind = try literal()
            if path >= 0 { record(Leaf(kind: kind, simple: true, inArena: false, path: path, start: 0, end: 0, number: .nan, trailStart: 0, trailCount: 0, next: -1)) }
        default:
            let start = pos
            try number()
            if path >= 0 {
                var n = Double.nan
                if needsNumber[Int(path)] { n = EventScanner.parseDouble(base + start, pos - start) }
                record(Leaf(kind: .number, simple: true, inArena: false, path: path, start: Int32(start), end: Int32(pos), number: n, trailStart: 0, trailCount: 0, next: -1))
            }
        }
    }

    @inline(__always)
    private func record(_ leaf: Leaf) { scratch.addLeaf(leaf) }

    private mutating func recordString(path: Int32, start: Int, end stop: Int, flags: UInt8) {
        if flags & 2 == 0 {
            record(Leaf(kind: .string, simple: flags == 0, inArena: false, path: path, start: Int32(start), end: Int32(stop), number: .nan, trailStart: 0, trailCount: 0, next: -1))
            return
        }
        // Escaped: decode exactly as JSONParser does, into the arena.
        let token = UnsafeBufferPointer(start: base + start - 1, count: stop - start + 2)
        guard case .string(let s)? = try? JSONParser.parse(bytes: token) else { return }  // validated already
        let a = scratch.arena.count
        var simple = true
        for b in s.utf8 {
            if b >= 0x80 { simple = false }
            scratch.arena.append(b)
        }
        record(Leaf(kind: .string, simple: simple, inArena: true, path: path, start: Int32(a), end: Int32(scratch.arena.count), number: .nan, trailStart: 0, trailCount: 0, next: -1))
    }

    private mutating func object(node: Int32, depth: Int) throws(ScanFailure) {
        if depth > maximumDepth { throw fail() }
        pos += 1
        skipWhitespace()
        if pos < end && base[pos] == 0x7D {
            pos += 1
            return
        }
        let mark = scratch.visited.count
        defer { scratch.visited.count = mark }
        // An envelope's top-level keys still to read (-1: read to the end).
        var keysLeft = envelope && node == 0 ? trie.rootChildCount : -1
        while true {
            // Compact JSON: the expected byte comes first; whitespace is looked at only otherwise.
            if !(pos < end && base[pos] == 0x22) {
                skipWhitespace()
                guard pos < end, base[pos] == 0x22 else { throw fail() }
            }
            let keyStart = pos + 1
            let flags = try scanString()
            let keyEnd = pos - 1
            var child: Int32 = -1
            let keyCount = keyEnd - keyStart
            if flags == 0, keyCount <= 8, keyStart &+ 8 <= end, !trie.slow(node) {
                // One word holds the key: no dot in it means a single name.
                let shift = UInt64(8 &* (8 &- keyCount))
                let word = keyCount == 0 ? 0 : (UnsafeRawPointer(base).loadUnaligned(fromByteOffset: keyStart, as: UInt64.self) << shift) >> shift
                let dots = word ^ 0x2E2E_2E2E_2E2E_2E2E
                let hasDot = ((dots &- 0x0101_0101_0101_0101) & ~dots & 0x8080_8080_8080_8080) << shift != 0
                if !hasDot {
                    child = trie.child(node, word: word, keyCount)
                } else {
                    child = trie.descend(node, key: String(decoding: UnsafeBufferPointer(start: base + keyStart, count: keyCount), as: UTF8.self))
                }
            } else if flags == 0, !trie.slow(node), memchr(base + keyStart, 0x2E, keyCount) == nil {
                child = trie.child(node, base + keyStart, keyCount)
            } else {
                let token = UnsafeBufferPointer(start: base + keyStart - 1, count: keyEnd - keyStart + 2)
                guard case .string(let key)? = try? JSONParser.parse(bytes: token) else { throw ScanFailure(offset: keyStart - 1) }
                child = trie.descend(node, key: key)
            }
            if !(pos < end && base[pos] == 0x3A) {
                skipWhitespace()
                guard pos < end, base[pos] == 0x3A else { throw fail() }
            }
            pos += 1
            skipWhitespace()
            if child >= 0 {
                for k in mark..<scratch.visited.count where scratch.visited[k] == child {
                    throw ScanFailure(offset: keyStart - 1, duplicateKey: true)
                }
                scratch.visited.append(child)
                try value(node: child, depth: depth)
                keysLeft -= 1
                if keysLeft == 0 {
                    pos = end  // the rest of a valid envelope is on no rule's path
                    return
                }
            } else {
                try skipValue(depth: depth)
            }
            if try nextElement(closer: 0x7D) { continue }
            return
        }
    }

    private mutating func array(node: Int32, depth: Int) throws(ScanFailure) {
        if depth > maximumDepth { throw fail() }
        pos += 1
        skipWhitespace()
        if pos < end && base[pos] == 0x5D {
            pos += 1
            return
        }
        let id = scratch.nextArrayID
        scratch.nextArrayID += 1
        var index: Int32 = 0
        while true {
            skipWhitespace()
            guard pos < end else { throw fail() }
            scratch.trailStack.append(id)
            scratch.trailStack.append(index)
            try value(node: node, depth: depth)
            scratch.trailStack.count -= 2
            index += 1
            if try nextElement(closer: 0x5D) { continue }
            return
        }
    }

    /// After a member or element: consumes `,` (returns `true`: another follows) or the closing
    /// bracket (returns `false`); anything else is malformed. The expected comma is tested
    /// before whitespace, since compact JSON has none.
    @inline(__always)
    private mutating func nextElement(closer: UInt8) throws(ScanFailure) -> Bool {
        if pos < end && base[pos] == 0x2C {
            pos += 1
            return true
        }
        skipWhitespace()
        guard pos < end else { throw fail() }
        if base[pos] == 0x2C {
            pos += 1
            return true
        }
        if base[pos] == closer {
            pos += 1
            return false
        }
        throw fail()
    }

    // MARK: Validation-only reading

    private mutating func skipValue(depth: Int) throws(ScanFailure) {
        guard pos < end else { throw fail() }
        switch base[pos] {
        case 0x7B, 0x5B: try skipContainer(depth: depth)
        case 0x22: _ = try scanString()
        case 0x74, 0x66, 0x6E: _ = try literal()
        default: try number()
        }
    }

    @inline(__always)
    private mutating func skipContainer(depth: Int) throws(ScanFailure) {
        try JSONSkipper.container(base, end, &pos, depth: depth, maximumDepth: maximumDepth, stack: skipStack)
    }

    /// Scans the string at `pos` (a quote); returns flags: 1 non-ASCII, 2 escapes.
    @inline(__always)
    private mutating func scanString() throws(ScanFailure) -> UInt8 {
        try JSONSkipper.string(base, end, &pos)
    }

    @inline(__always)
    private mutating func literal() throws(ScanFailure) -> LeafKind {
        try JSONSkipper.literal(base, end, &pos)
    }

    @inline(__always)
    private mutating func number() throws(ScanFailure) {
        pos = try JSONSkipper.number(base, end, from: pos)
    }
}
