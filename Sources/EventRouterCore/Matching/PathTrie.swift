/// A trie of the field names used by any rule: node 0 is the event root, each edge a field
/// name, and a node that ends a condition's path carries that path's id.
///
/// Event keys are looked up by their raw bytes in one table keyed by (parent node, name).
/// Keys with a dot are split into names (a dotted key equals the nested path), and keys with
/// escapes are decoded first. Where a key or a name is not ASCII, names compare as `String`s
/// (as the reference's dictionary of paths does). Storage is manually allocated so lookups
/// touch no reference counts.
final class PathTrie: @unchecked Sendable {
    private let table: ByteKeyTable
    private let names: [[(name: String, child: Int32)]]
    private let nodePath: UnsafeMutablePointer<Int32>
    private let nodeHasChildren: UnsafeMutablePointer<Bool>
    /// Some child name is not ASCII: keys are compared as `String`s there.
    private let nodeSlow: UnsafeMutablePointer<Bool>
    /// Per node, a one-word Bloom filter of its children's names (``filterBit(_:_:_:)``):
    /// most event keys no rule mentions are turned away without a hash lookup.
    private let nodeFilter: UnsafeMutablePointer<UInt64>
    let nodeCount: Int
    /// The number of names directly under the root (the event's top-level keys any rule reads).
    let rootChildCount: Int

    init(paths: [[String]]) {
        var children: [[(name: String, child: Int32)]] = [[]]
        var path: [Int32] = [-1]
        for (id, segments) in paths.enumerated() {
            var n = 0
            for name in segments {
                // `String` equality, as the reference's dictionary of paths compares: names that
                // are canonically equivalent (`"é"` and `"e\u{301}"`) are one child.
                if let existing = children[n].first(where: { $0.name == name }) {
                    n = Int(existing.child)
                } else {
                    children.append([])
                    path.append(-1)
                    children[n].append((name, Int32(children.count - 1)))
                    n = children.count - 1
                }
            }
            path[n] = Int32(id)
        }
        var pairs: [(tag: Int32, key: [UInt8], value: Int32)] = []
        for (parent, list) in children.enumerated() {
            for c in list { pairs.append((Int32(parent), Array(c.name.utf8), c.child)) }
        }
        table = ByteKeyTable(tagged: pairs)
        names = children
        nodeCount = children.count
        rootChildCount = children[0].count
        nodePath = .allocate(capacity: nodeCount)
        nodePath.initialize(from: path, count: nodeCount)
        nodeHasChildren = .allocate(capacity: nodeCount)
        nodeHasChildren.initialize(from: children.map { !$0.isEmpty }, count: nodeCount)
        nodeSlow = .allocate(capacity: nodeCount)
        nodeSlow.initialize(from: children.map { $0.contains { !$0.name.utf8.allSatisfy { $0 < 0x80 } } }, count: nodeCount)
        nodeFilter = .allocate(capacity: nodeCount)
        nodeFilter.initialize(from: children.map { list in
            list.reduce(0) { filter, c in
                let b = Array(c.name.utf8)
                return filter | PathTrie.filterBit(b.count, b.first ?? 0, b.last ?? 0)
            }
        }, count: nodeCount)
    }

    deinit {
        nodePath.deallocate()
        nodeHasChildren.deallocate()
        nodeSlow.deallocate()
        nodeFilter.deallocate()
    }

    /// The filter bit of a name of `count` bytes that starts with `first` and ends with `last`
    /// (both 0 for the empty name).
    @inline(__always)
    static func filterBit(_ count: Int, _ first: UInt8, _ last: UInt8) -> UInt64 {
        1 &<< UInt64(truncatingIfNeeded: (count &* 7 &+ Int(first) &+ Int(last) &* 3) & 63)
    }

    /// Whether keys under `node` must take ``descend(_:key:)``.
    @inline(__always) func slow(_ node: Int32) -> Bool { nodeSlow[Int(node)] }

    @inline(__always) func hasChildren(_ node: Int32) -> Bool { nodeHasChildren[Int(node)] }
    @inline(__always) func path(_ node: Int32) -> Int32 { nodePath[Int(node)] }

    /// The child of `node` named by the `count` bytes at `bytes` (no dot), or -1.
    @inline(__always)
    func child(_ node: Int32, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
        let bit = count == 0 ? PathTrie.filterBit(0, 0, 0) : PathTrie.filterBit(count, bytes[0], bytes[count &- 1])
        if nodeFilter[Int(node)] & bit == 0 { return -1 }
        return table.lookup(bytes, count, tag: node)
    }

    /// The child of `node` named by a key of at most eight bytes given as a zero-padded word.
    @inline(__always)
    func child(_ node: Int32, word: UInt64, _ count: Int) -> Int32 {
        // The last byte of the key (for the empty key, of the zero word: 0).
        let last = UInt8(truncatingIfNeeded: word &>> UInt64(truncatingIfNeeded: 8 &* ((count &- 1) & 7)))
        if nodeFilter[Int(node)] & PathTrie.filterBit(count, UInt8(truncatingIfNeeded: word), last) == 0 { return -1 }
        return table.lookup(word: word, count, tag: node)
    }

    /// The node reached from `node` by the decoded `key`, split at dots, or -1.
    ///
    /// Every name is looked up at the node it reaches: as a `String` where that node is slow or
    /// the name is not ASCII, by bytes elsewhere (an ASCII key may pass through slow nodes).
    func descend(_ node: Int32, key: String) -> Int32 {
        var n = node
        for name in FieldPath.names(key) {
            n = child(n, name: name)
            if n < 0 { return -1 }
        }
        return n
    }

    /// The child of `node` named by the decoded `name` (no dot), or -1.
    func child(_ node: Int32, name: String) -> Int32 {
        if slow(node) || !name.utf8.allSatisfy({ $0 < 0x80 }) {
            // Canonically equivalent names are one child (see init), so the first is the only one.
            return names[Int(node)].first(where: { $0.name == name })?.child ?? -1
        }
        let bytes = Array(name.utf8)
        if bytes.isEmpty { return child(node, word: 0, 0) }
        return bytes.withUnsafeBufferPointer { b in b.baseAddress.map { child(node, $0, b.count) } ?? -1 }
    }
}
