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
struct EventScanner {
    private let base: UnsafePointer<UInt8>
    private let end: Int
    private var pos = 0
    private let plan: MatchPlan
    private let trie: PathTrie
    private let needsNumber: UnsafePointer<Bool>
    private let scratch: MatchScratch
    private let maximumDepth: Int
    private let classes: UnsafePointer<UInt8>

    init(_ base: UnsafePointer<UInt8>, _ count: Int, plan: MatchPlan, scratch: MatchScratch, maximumDepth: Int = 1100) {
        self.base = base
        self.end = count
        self.plan = plan
        self.trie = plan.trie
        self.needsNumber = UnsafePointer(plan.needsNumber)
        self.scratch = scratch
        self.maximumDepth = maximumDepth
        self.classes = EventScanner.byteClasses
    }

    /// 0 plain, 1 quote, 2 backslash, 3 control, 4 non-ASCII.
    nonisolated(unsafe) private static let byteClasses: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for i in 0..<256 {
            p[i] = i < 0x20 ? 3 : i == 0x22 ? 1 : i == 0x5C ? 2 : i >= 0x80 ? 4 : 0
        }
        return UnsafePointer(p)
    }()

    /// Reads the whole document.
    mutating func run() throws(ScanFailure) {
        skipWhitespace()
        try value(node: 0, depth: 0)
        skipWhitespace()
        if pos != end { throw ScanFailure(offset: pos) }
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while pos < end {
            let b = base[pos]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { pos += 1 } else { return }
        }
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
        while true {
            skipWhitespace()
            guard pos < end, base[pos] == 0x22 else { throw fail() }
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
            skipWhitespace()
            guard pos < end, base[pos] == 0x3A else { throw fail() }
            pos += 1
            skipWhitespace()
            if child >= 0 {
                for k in mark..<scratch.visited.count where scratch.visited[k] == child {
                    throw ScanFailure(offset: keyStart - 1, duplicateKey: true)
                }
                scratch.visited.append(child)
                try value(node: child, depth: depth)
            } else {
                try skipValue(depth: depth)
            }
            skipWhitespace()
            guard pos < end else { throw fail() }
            if base[pos] == 0x2C {
                pos += 1
                continue
            }
            if base[pos] == 0x7D {
                pos += 1
                return
            }
            throw fail()
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
            skipWhitespace()
            guard pos < end else { throw fail() }
            if base[pos] == 0x2C {
                pos += 1
                continue
            }
            if base[pos] == 0x5D {
                pos += 1
                return
            }
            throw fail()
        }
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

    /// Skips the object or array at `pos` (which sits at nesting `depth`), iteratively.
    private mutating func skipContainer(depth: Int) throws(ScanFailure) {
        var top = 0
        var d = depth
        var afterValue = try open(&top, &d)
        if afterValue && top == 0 { return }
        while true {
            if afterValue {
                skipWhitespace()
                guard pos < end else { throw fail() }
                let c = base[pos]
                if c == 0x2C {
                    pos += 1
                    afterValue = false
                    continue
                }
                if c == scratch.skipStack[top - 1] &+ 2 {  // '}' = '{' + 2, ']' = '[' + 2
                    pos += 1
                    top -= 1
                    d -= 1
                    if top == 0 { return }
                    continue
                }
                throw fail()
            }
            if scratch.skipStack[top - 1] == 0x7B {
                skipWhitespace()
                guard pos < end, base[pos] == 0x22 else { throw fail() }
                _ = try scanString()
                skipWhitespace()
                guard pos < end, base[pos] == 0x3A else { throw fail() }
                pos += 1
            }
            skipWhitespace()
            guard pos < end else { throw fail() }
            let b = base[pos]
            if b == 0x7B || b == 0x5B {
                afterValue = try open(&top, &d)
                if afterValue && top == 0 { return }
                continue
            }
            if b == 0x22 {
                _ = try scanString()
            } else if b == 0x74 || b == 0x66 || b == 0x6E {
                _ = try literal()
            } else {
                try number()
            }
            afterValue = true
        }
    }

    /// Enters the container at `pos`; returns true when it was empty (and is already closed).
    @inline(__always)
    private mutating func open(_ top: inout Int, _ d: inout Int) throws(ScanFailure) -> Bool {
        d += 1
        if d > maximumDepth { throw fail() }
        let c = base[pos]
        if top >= scratch.skipStack.capacity {
            scratch.skipStack.count = top
            scratch.skipStack.reserve(top * 2 + 2)
        }
        scratch.skipStack[top] = c
        top += 1
        pos += 1
        skipWhitespace()
        if pos < end && base[pos] == c &+ 2 {
            pos += 1
            top -= 1
            d -= 1
            return true
        }
        return false
    }

    /// Scans the string at `pos` (a quote); returns flags: 1 non-ASCII, 2 escapes.
    @inline(__always)
    private mutating func scanString() throws(ScanFailure) -> UInt8 {
        var i = pos + 1
        var flags: UInt8 = 0
        let raw = UnsafeRawPointer(base)
        while true {
            // Eight bytes at a time while none is a quote, backslash, control or non-ASCII.
            while i &+ 8 <= end {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let q = w ^ 0x2222_2222_2222_2222
                let b = w ^ 0x5C5C_5C5C_5C5C_5C5C
                let special = (((q &- 0x0101_0101_0101_0101) & ~q) | ((b &- 0x0101_0101_0101_0101) & ~b)
                    | ((w &- 0x2020_2020_2020_2020) & ~w) | w) & 0x8080_8080_8080_8080
                if special == 0 {
                    i &+= 8
                } else {
                    i &+= special.trailingZeroBitCount >> 3
                    break
                }
            }
            guard i < end else { throw ScanFailure(offset: pos) }
            let c = classes[Int(base[i])]
            if c == 0 {
                i += 1
                continue
            }
            if c == 1 {
                pos = i + 1
                return flags
            }
            if c == 2 {
                flags |= 2
                i = try escape(at: i)
            } else if c == 3 {
                throw ScanFailure(offset: i)
            } else {
                flags |= 1
                i = try utf8Sequence(at: i)
            }
        }
    }

    /// Validates the escape at `i` (a backslash); returns the index after it.
    private func escape(at i: Int) throws(ScanFailure) -> Int {
        guard i + 1 < end else { throw ScanFailure(offset: i) }
        switch base[i + 1] {
        case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: return i + 2
        case 0x75:
            let v = try hex4(at: i + 2)
            if v >= 0xD800 && v < 0xDC00 {
                guard i + 7 < end, base[i + 6] == 0x5C, base[i + 7] == 0x75 else { throw ScanFailure(offset: i) }
                let low = try hex4(at: i + 8)
                guard low >= 0xDC00 && low < 0xE000 else { throw ScanFailure(offset: i) }
                return i + 12
            }
            if v >= 0xDC00 && v < 0xE000 { throw ScanFailure(offset: i) }
            return i + 6
        default: throw ScanFailure(offset: i)
        }
    }

    private func hex4(at i: Int) throws(ScanFailure) -> UInt32 {
        guard i + 4 <= end else { throw ScanFailure(offset: i) }
        var v: UInt32 = 0
        for k in 0..<4 {
            let b = base[i + k]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: throw ScanFailure(offset: i + k)
            }
            v = v << 4 | d
        }
        return v
    }

    /// Validates the UTF-8 sequence starting at `i`; returns the index after it.
    private func utf8Sequence(at i: Int) throws(ScanFailure) -> Int {
        let b0 = base[i]
        @inline(__always) func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            i + k < end && base[i + k] >= lo && base[i + k] <= hi
        }
        switch b0 {
        case 0xC2...0xDF: if cont(1) { return i + 2 }
        case 0xE0: if cont(1, 0xA0, 0xBF) && cont(2) { return i + 3 }
        case 0xE1...0xEC, 0xEE...0xEF: if cont(1) && cont(2) { return i + 3 }
        case 0xED: if cont(1, 0x80, 0x9F) && cont(2) { return i + 3 }
        case 0xF0: if cont(1, 0x90, 0xBF) && cont(2) && cont(3) { return i + 4 }
        case 0xF1...0xF3: if cont(1) && cont(2) && cont(3) { return i + 4 }
        case 0xF4: if cont(1, 0x80, 0x8F) && cont(2) && cont(3) { return i + 4 }
        default: break
        }
        throw ScanFailure(offset: i)
    }

    private mutating func literal() throws(ScanFailure) -> LeafKind {
        let b = base[pos]
        if b == 0x74, pos + 4 <= end, base[pos + 1] == 0x72, base[pos + 2] == 0x75, base[pos + 3] == 0x65 {
            pos += 4
            return .true
        }
        if b == 0x66, pos + 5 <= end, base[pos + 1] == 0x61, base[pos + 2] == 0x6C, base[pos + 3] == 0x73, base[pos + 4] == 0x65 {
            pos += 5
            return .false
        }
        if b == 0x6E, pos + 4 <= end, base[pos + 1] == 0x75, base[pos + 2] == 0x6C, base[pos + 3] == 0x6C {
            pos += 4
            return .null
        }
        throw fail()
    }

    /// Advances `i` past a run of ASCII digits, eight bytes at a time where possible.
    @inline(__always)
    private static func skipDigits(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) {
        let raw = UnsafeRawPointer(p)
        while i &+ 8 <= n {
            let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x3030_3030_3030_3030
            // A byte is a digit when x < 10: flag x >= 10 (x + 0x76 reaches 0x80) or x >= 0x80.
            let other = (((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | x) & 0x8080_8080_8080_8080
            if other != 0 {
                i &+= other.trailingZeroBitCount >> 3
                return
            }
            i &+= 8
        }
        while i < n && p[i] &- 0x30 < 10 { i += 1 }
    }

    /// Validates the number at `pos` (RFC 8259 grammar).
    @inline(__always)
    private mutating func number() throws(ScanFailure) {
        let p = base
        let n = end
        var i = pos
        if i < n && p[i] == 0x2D { i += 1 }
        guard i < n, p[i] &- 0x30 < 10 else { throw ScanFailure(offset: i) }
        if p[i] == 0x30 {
            i += 1
            if i < n && p[i] &- 0x30 < 10 { throw ScanFailure(offset: i) }
        } else {
            i += 1
            EventScanner.skipDigits(p, n, &i)
        }
        if i < n && p[i] == 0x2E {
            i += 1
            guard i < n, p[i] &- 0x30 < 10 else { throw ScanFailure(offset: i) }
            i += 1
            EventScanner.skipDigits(p, n, &i)
        }
        if i < n && (p[i] | 0x20) == 0x65 {
            i += 1
            if i < n && (p[i] == 0x2B || p[i] == 0x2D) { i += 1 }
            guard i < n, p[i] &- 0x30 < 10 else { throw ScanFailure(offset: i) }
            while i < n && p[i] &- 0x30 < 10 { i += 1 }
        }
        pos = i
    }
}
