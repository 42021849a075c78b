/// The reference evaluation of ``EventPattern/matches(_:)``: flattens the event into leaves that
/// remember which element of which array they sit in, then searches, condition by condition in
/// path order, for leaves that agree on every shared array (array consistency).
///
/// Written for clarity, not speed: the compiled matcher is differential-tested against it.
struct ReferenceMatcher {
    /// One string, number, boolean or null of the event.
    struct Leaf {
        var value: JSONValue
        /// For every array above this leaf: the array's id and the element index.
        var membership: [(array: Int, index: Int)]
    }

    /// Leaves by dotted path (`"detail.items.id"`).
    private(set) var leaves: [String: [Leaf]] = [:]
    private var arrayCount = 0

    init(event: JSONValue) {
        flatten(event, path: nil, membership: [])
    }

    private mutating func flatten(_ value: JSONValue, path: String?, membership: [(array: Int, index: Int)]) {
        switch value {
        case .object(let object):
            let members = object.members
            var lastIndex: [String: Int] = [:]
            for (i, m) in members.enumerated() { lastIndex[m.key] = i }
            for (i, m) in members.enumerated() where lastIndex[m.key] == i {
                flatten(m.value, path: path.map { $0 + "." + m.key } ?? m.key, membership: membership)
            }
        case .array(let elements):
            let id = arrayCount
            arrayCount += 1
            for (i, element) in elements.enumerated() {
                flatten(element, path: path, membership: membership + [(id, i)])
            }
        default:
            guard let path else { return }
            leaves[path, default: []].append(Leaf(value: value, membership: membership))
        }
    }

    /// Whether any alternative of `pattern` matches.
    func matches(_ pattern: EventPattern) -> Bool {
        pattern.alternatives.contains { alternative in
            let conditions = alternative.conditions.map { (key: $0.pathKey, matchers: $0.matchers) }
            // relevant[k]: the arrays that leaves of conditions k... sit in. Only choices on these
            // arrays can affect the rest of the search, so failures are remembered by them.
            var relevant = [Set<Int>](repeating: [], count: conditions.count + 1)
            for k in conditions.indices.reversed() {
                relevant[k] = relevant[k + 1]
                for leaf in leaves[conditions[k].key] ?? [] {
                    for (array, _) in leaf.membership { relevant[k].insert(array) }
                }
            }
            var failed = Set<SearchState>()
            return search(conditions, 0, [:], relevant, &failed)
        }
    }

    /// A point of the search: the next condition and the relevant array elements chosen so far.
    private struct SearchState: Hashable {
        var k: Int
        var chosen: [Int: Int]
    }

    /// Whether conditions `k...` can be satisfied given the array elements chosen so far.
    private func search(
        _ conditions: [(key: String, matchers: [ValueMatcher])], _ k: Int, _ chosen: [Int: Int],
        _ relevant: [Set<Int>], _ failed: inout Set<SearchState>
    ) -> Bool {
        if k == conditions.count { return true }
        let state = SearchState(k: k, chosen: chosen.filter { relevant[k].contains($0.key) })
        if failed.contains(state) { return false }
        let condition = conditions[k]
        let candidates = (leaves[condition.key] ?? []).filter { Self.consistent($0, chosen) }
        for leaf in candidates where condition.matchers.contains(where: { $0.matches(leaf.value) }) {
            var next = chosen
            for (array, index) in leaf.membership { next[array] = index }
            if search(conditions, k + 1, next, relevant, &failed) { return true }
        }
        if candidates.isEmpty, condition.matchers.contains(.exists(false)) {
            if search(conditions, k + 1, chosen, relevant, &failed) { return true }
        }
        failed.insert(state)
        return false
    }

    /// Whether `leaf` sits in the chosen element of every array already constrained.
    private static func consistent(_ leaf: Leaf, _ chosen: [Int: Int]) -> Bool {
        for (array, index) in leaf.membership {
            if let c = chosen[array], c != index { return false }
        }
        return true
    }
}
