/// A trie of the field names used by any rule: node 0 is the event root, each edge a field
/// name, and a node that ends a condition's path carries that path's id.
///
/// Event keys are looked up by their raw bytes. Keys with a dot are split into names (a
/// dotted key equals the nested path), and keys or names that are not plain ASCII are
/// compared as `String`s, exactly as the reference matcher compares them.
struct PathTrie: Sendable {
    struct Node: Sendable {
        var table = ByteKeyTable([])
        var names: [(name: String, child: Int32)] = []
        /// Some child name is not plain ASCII: every key here is compared as a `String`.
        var slow = false
        var path: Int32 = -1
    }

    private(set) var nodes: [Node]

    init(paths: [[String]]) {
        var nodes = [Node()]
        for (id, path) in paths.enumerated() {
            var n = 0
            for name in path {
                if let existing = nodes[n].names.first(where: { $0.name == name }) {
                    n = Int(existing.child)
                } else {
                    nodes.append(Node())
                    nodes[n].names.append((name, Int32(nodes.count - 1)))
                    if !name.utf8.allSatisfy({ $0 < 0x80 }) { nodes[n].slow = true }
                    n = nodes.count - 1
                }
            }
            nodes[n].path = Int32(id)
        }
        for i in nodes.indices {
            nodes[i].table = ByteKeyTable(nodes[i].names.map { (key: Array($0.name.utf8), value: $0.child) })
        }
        self.nodes = nodes
    }

    @inline(__always) func hasChildren(_ node: Int32) -> Bool { !nodes[Int(node)].names.isEmpty }
    @inline(__always) func path(_ node: Int32) -> Int32 { nodes[Int(node)].path }

    /// The child of `node` for a plain-ASCII key without dots, or -1.
    @inline(__always)
    func child(_ node: Int32, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32? {
        let n = nodes[Int(node)]
        if n.slow { return nil }
        return n.table.lookup(bytes, count)
    }

    /// The node reached from `node` by `key` (split at dots), comparing names as `String`s.
    func descend(_ node: Int32, key: String) -> Int32 {
        var n = node
        for name in key.split(separator: ".", omittingEmptySubsequences: false) {
            guard let next = nodes[Int(n)].names.first(where: { $0.name == name }) else { return -1 }
            n = next.child
        }
        return n
    }
}
