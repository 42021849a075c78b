/// The compiled, immutable form of a set of rules: what ``RuleMatcher`` runs events against.
///
/// - Every field path used by any condition is interned and put in a trie of field names
///   (``PathTrie``), so the event reader descends only into members some rule mentions.
/// - Every alternative (conjunction) of every pattern picks one *anchor* condition, the one
///   expected to be the most selective (exact values beat prefixes, which beat ranges, which
///   beat `anything-but`; among equals, the value fewest alternatives share). Its values go
///   into the anchor index of its path (``PathIndex``).
/// - Per event, each leaf looks up its path's index; the alternatives found are verified
///   against all their conditions, honouring array consistency.
final class MatchPlan: @unchecked Sendable {
    struct Condition: Sendable {
        let path: Int32
        let tests: Range<Int>
        /// The condition also holds when no (consistent) leaf exists at the path.
        let absentOK: Bool
    }

    struct Alternative: Sendable {
        let rule: Int32
        let conditions: Range<Int>
        /// One condition that needs a leaf: a certain anchor hit is a match.
        let single: Bool
        /// The anchor condition (index into ``conditions``), or -1.
        var anchor: Int32 = -1
    }

    /// The data of the common tests inline (no pointer chasing while verifying candidates).
    struct FastTest: Sendable {
        /// `ValueTest.Kind` raw value, or 255 when the test needs ``ValueTest/accepts(_:_:_:)``.
        let kind: UInt8
        let start: Int32
        let count: Int32
        let number: Double
    }

    let ruleIDs: [Int]
    let alternatives: [Alternative]
    let conditions: [Condition]
    let tests: [ValueTest]
    let fastTests: [FastTest]
    /// Bytes of the strings of ``fastTests``.
    let pool: [UInt8]
    /// Alternatives without an indexable condition (only `exists: false`): checked for every event.
    let always: [Int32]
    let paths: [PathIndex]
    let trie: PathTrie
    /// Per path: leaves need their numeric value.
    let needsNumber: UnsafeMutablePointer<Bool>
    /// Copies of the arrays above that the per-event path reads.
    let tables: Tables

    /// The per-event path's tables in manually allocated memory: reading an array stored in a
    /// class retains its buffer, reading these pointers does not. Freed with the plan.
    struct Tables {
        let ruleIDs: UnsafeBufferPointer<Int>
        let alternatives: UnsafeBufferPointer<Alternative>
        let conditions: UnsafeBufferPointer<Condition>
        let tests: UnsafeBufferPointer<ValueTest>
        let fastTests: UnsafeBufferPointer<FastTest>
        let pool: UnsafeBufferPointer<UInt8>
        let always: UnsafeBufferPointer<Int32>
        /// Unmanaged: the plan's `paths` array keeps them alive, and using them retains nothing.
        let paths: UnsafeBufferPointer<Unmanaged<PathIndex>>

        fileprivate static func copy<T>(_ array: [T]) -> UnsafeBufferPointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(array.count, 1))
            array.withUnsafeBufferPointer { b in
                if let base = b.baseAddress { p.initialize(from: base, count: b.count) }
            }
            return UnsafeBufferPointer(start: p, count: array.count)
        }

        fileprivate static func free<T>(_ buffer: UnsafeBufferPointer<T>) {
            guard let base = buffer.baseAddress else { return }
            let p = UnsafeMutablePointer(mutating: base)
            p.deinitialize(count: buffer.count)
            p.deallocate()
        }

        fileprivate func free() {
            Tables.free(ruleIDs); Tables.free(alternatives); Tables.free(conditions); Tables.free(tests)
            Tables.free(fastTests); Tables.free(pool); Tables.free(always); Tables.free(paths)
        }
    }

    /// Compiles `rules` (id and pattern), numbering rules in id order.
    init(rules: [(id: Int, pattern: EventPattern)]) {
        var pathIDs: [[String]: Int32] = [:]
        var pathList: [[String]] = []
        func intern(_ path: [String]) -> Int32 {
            if let id = pathIDs[path] { return id }
            let id = Int32(pathList.count)
            pathIDs[path] = id
            pathList.append(path)
            return id
        }

        struct Key: Hashable {
            let path: Int32
            let matcher: ValueMatcher
        }
        var ruleIDs: [Int] = []
        var alternatives: [Alternative] = []
        var pool: [UInt8] = []
        var fastTests: [FastTest] = []
        var conditions: [Condition] = []
        var tests: [ValueTest] = []
        var frequency: [Key: Int] = [:]
        var pureConditions: [[Int]] = []  // per alternative: conditions that can anchor
        ruleIDs.reserveCapacity(rules.count)

        for (id, pattern) in rules.sorted(by: { $0.id < $1.id }) {
            let rule = Int32(ruleIDs.count)
            ruleIDs.append(id)
            for alternative in pattern.alternatives {
                // In pattern order (by path): `exists: false` depends on the conditions before it.
                let first = conditions.count
                var pure: [Int] = []
                for c in alternative.conditions {
                    let path = intern(c.path)
                    let t0 = tests.count
                    var absentOK = false
                    for m in c.matchers {
                        if m == .exists(false) {
                            absentOK = true
                            continue
                        }
                        tests.append(ValueTest(m))
                        frequency[Key(path: path, matcher: m), default: 0] += 1
                    }
                    if !absentOK { pure.append(conditions.count) }
                    conditions.append(Condition(path: path, tests: t0..<tests.count, absentOK: absentOK))
                }
                let single = conditions.count - first == 1 && !conditions[first].absentOK
                alternatives.append(Alternative(rule: rule, conditions: first..<conditions.count, single: single))
                pureConditions.append(pure)
            }
        }

        var builders = [PathIndex.Builder](repeating: PathIndex.Builder(), count: pathList.count)
        for t in conditions {
            for i in t.tests { builders[Int(t.path)].noteTest(tests[i]) }
        }
        var always: [Int32] = []
        for (a, pure) in pureConditions.enumerated() {
            var best = -1
            var bestCost = Int.max
            for c in pure {
                let cond = conditions[c]
                var cost = 0
                for i in cond.tests {
                    let t = tests[i]
                    let share = frequency[Key(path: cond.path, matcher: t.matcher)] ?? 1
                    cost += MatchPlan.kindCost(t) + share
                }
                if cost < bestCost {
                    bestCost = cost
                    best = c
                }
            }
            guard best >= 0 else {
                always.append(Int32(a))
                continue
            }
            let cond = conditions[best]
            alternatives[a].anchor = Int32(best)
            let alt = alternatives[a]
            let onlyAlternative = (a == 0 || alternatives[a - 1].rule != alt.rule)
                && (a + 1 == alternatives.count || alternatives[a + 1].rule != alt.rule)
            let direct = alt.single && onlyAlternative ? PathIndex.directRule | alt.rule : Int32(a)
            for i in cond.tests { builders[Int(cond.path)].anchor(tests[i], alt: Int32(a), direct: direct) }
        }

        self.ruleIDs = ruleIDs
        self.alternatives = alternatives
        self.conditions = conditions
        for t in tests {
            switch t.kind {
            case .exactString, .prefix, .suffix:
                fastTests.append(FastTest(kind: t.kind.rawValue, start: Int32(pool.count), count: Int32(t.strings[0].count), number: 0))
                pool.append(contentsOf: t.strings[0])
            case .exactNumber:
                fastTests.append(FastTest(kind: t.kind.rawValue, start: 0, count: 0, number: t.numbers[0]))
            case .exactTrue, .exactFalse, .exactNull, .existsTrue:
                fastTests.append(FastTest(kind: t.kind.rawValue, start: 0, count: 0, number: 0))
            default:
                fastTests.append(FastTest(kind: 255, start: 0, count: 0, number: 0))
            }
        }
        self.tests = tests
        self.fastTests = fastTests
        self.pool = pool
        self.always = always
        self.paths = builders.map { $0.build() }
        self.trie = PathTrie(paths: pathList)
        needsNumber = .allocate(capacity: max(1, pathList.count))
        needsNumber.initialize(from: self.paths.map(\.needsNumber), count: pathList.count)
        tables = Tables(
            ruleIDs: Tables.copy(ruleIDs), alternatives: Tables.copy(alternatives), conditions: Tables.copy(conditions),
            tests: Tables.copy(tests), fastTests: Tables.copy(fastTests), pool: Tables.copy(pool),
            always: Tables.copy(always), paths: Tables.copy(self.paths.map { Unmanaged.passUnretained($0) }))
    }

    deinit {
        needsNumber.deallocate()
        tables.free()
    }

    /// Rough cost of anchoring on a test of this kind (candidates it lets through).
    private static func kindCost(_ t: ValueTest) -> Int {
        switch t.kind {
        case .exactString, .exactNumber: return 0
        case .exactTrue, .exactFalse, .exactNull: return 50
        case .prefix, .suffix, .equalsIgnoreCase, .prefixIgnoreCase, .suffixIgnoreCase: return 5
        case .wildcard: return t.simple ? 10 : 1000
        case .numeric: return 20
        default: return 1000
        }
    }
}
