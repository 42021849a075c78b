/// The parameters of an SNS call by name, the first value of a repeated name winning. A call
/// has a handful (Publish: 7), so a short list is scanned rather than hashed (every name hashed
/// into a dictionary cost more than all the lookups a call makes); a long one (a PublishBatch, a
/// tag list) is indexed by a dictionary.
struct SNSParameterValues: Sendable, Sequence {
    /// Each name once, with its first value, in the order of first appearance.
    private let pairs: [(name: String, value: String)]
    /// Positions in `pairs` by name, for long lists only.
    private let positions: [String: Int]?
    /// Lists longer than this are indexed.
    static let scanLimit = 24

    init(_ parameters: [(String, String)]) {
        var pairs: [(name: String, value: String)] = []
        pairs.reserveCapacity(parameters.count)
        if parameters.count <= Self.scanLimit {
            for (name, value) in parameters where !pairs.contains(where: { Self.same($0.name, name) }) { pairs.append((name, value)) }
            positions = nil
        } else {
            var positions: [String: Int] = Dictionary(minimumCapacity: parameters.count)
            for (name, value) in parameters where positions[name] == nil {
                positions[name] = pairs.count
                pairs.append((name, value))
            }
            self.positions = positions
        }
        self.pairs = pairs
    }

    init(_ values: [String: String]) { self.init(values.map { ($0.key, $0.value) }) }

    /// The first value of `name`.
    subscript(name: String) -> String? {
        if let positions { return positions[name].map { pairs[$0].value } }
        for pair in pairs where Self.same(pair.name, name) { return pair.value }
        return nil
    }

    /// `a == b`, with the byte counts compared first (O(1) for the native strings a form decodes
    /// to, and different for most pairs of parameter names, where `==` would compare bytes).
    @inline(__always)
    private static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a == b
    }

    /// How many distinct names.
    var count: Int { pairs.count }

    func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { pairs.makeIterator() }
}
