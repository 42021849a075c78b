import Testing
@testable import EventRouter

/// The compiled ``RuleMatcher`` against the reference ``EventPattern/matches(_:)`` on seeded
/// random patterns and events over a small vocabulary (nested objects, arrays of objects and
/// of values, empty containers, dotted and repeated keys, escapes, non-ASCII text).
@Suite("Matching: compiled matcher agrees with the reference")
struct MatchingDifferentialTests {
    static let keys = ["a", "b", "c"]
    static let strings = ["x", "y", "xy", "Xy", "ab", "aB", "xay", "", "é", "É", "10.1.2.3", "x\\u0079"]
    static let numbers = ["0", "1", "1.5", "-3", "300", "3e2", "2.0000001", "5000000001"]

    static func pick<T>(_ list: [T], _ g: inout SeededGenerator) -> T { list[Int(g.next() % UInt64(list.count))] }
    static func chance(_ percent: UInt64, _ g: inout SeededGenerator) -> Bool { g.next() % 100 < percent }

    static func matcherText(_ g: inout SeededGenerator) -> String {
        let s = pick(strings, &g)
        let n = pick(numbers, &g)
        switch g.next() % 17 {
        case 0: return "\"\(s)\""
        case 1: return n
        case 2: return pick(["true", "false", "null"], &g)
        case 3: return #"{"prefix": "\#(pick(["x", "a", "", "é"], &g))"}"#
        case 4: return #"{"suffix": "\#(pick(["y", "B", "É"], &g))"}"#
        case 5: return #"{"equals-ignore-case": "\#(pick(["XY", "ab", "é"], &g))"}"#
        case 6: return #"{"prefix": {"equals-ignore-case": "\#(pick(["X", "A", "É"], &g))"}}"#
        case 7: return #"{"suffix": {"equals-ignore-case": "\#(pick(["Y", "b"], &g))"}}"#
        case 8: return #"{"wildcard": "\#(pick(["x*y", "*a*", "x*", "a*B", "*\\\\**"], &g))"}"#
        case 9: return #"{"numeric": \#(pick([#"[">", 0, "<=", 2]"#, #"["=", 300]"#, #"["<", 0]"#, #"[">=", 1.5]"#], &g))}"#
        case 10, 11: return #"{"exists": \#(chance(50, &g))}"#
        case 12: return #"{"anything-but": \#(pick([#"["x"]"#, #"[1, 300]"#, #""xy""#, "0"], &g))}"#
        case 13: return #"{"anything-but": {"prefix": "\#(pick(["x", "a"], &g))"}}"#
        case 14: return #"{"anything-but": {"equals-ignore-case": ["XY", "é"]}}"#
        case 15: return #"{"cidr": "10.0.0.0/8"}"#
        default: return #"{"anything-but": {"wildcard": "x*"}}"#
        }
    }

    static func fields(_ g: inout SeededGenerator, depth: Int) -> String {
        var parts: [String] = []
        var used = Set<String>()
        for _ in 0..<(1 + Int(g.next() % 2)) {
            var key = pick(keys, &g)
            if depth == 0, chance(10, &g) { key += ".b" }
            guard used.insert(key).inserted else { continue }
            if depth < 2, chance(40, &g) {
                parts.append("\"\(key)\": {\(fields(&g, depth: depth + 1))}")
            } else {
                var ms: [String] = [matcherText(&g)]
                if chance(25, &g) { ms.append(matcherText(&g)) }
                parts.append("\"\(key)\": [\(ms.joined(separator: ", "))]")
            }
        }
        if depth == 0, chance(10, &g) {
            parts.append(#""$or": [{\#(fields(&g, depth: 1))}, {\#(fields(&g, depth: 1))}]"#)
        }
        return parts.joined(separator: ", ")
    }

    static func patterns(_ count: Int, _ g: inout SeededGenerator) -> [EventPattern] {
        var result: [EventPattern] = []
        while result.count < count {
            if let p = try? EventPattern(parsing: "{\(fields(&g, depth: 0))}") { result.append(p) }
        }
        return result
    }

    static func eventValue(_ g: inout SeededGenerator, depth: Int) -> String {
        switch g.next() % (depth >= 3 ? 5 : 9) {
        case 0, 1: return "\"\(pick(strings, &g))\""
        case 2: return pick(numbers, &g)
        case 3: return pick(["true", "false", "null"], &g)
        case 4: return pick(["[]", "{}", "\"\"", "0"], &g)
        case 5: return eventObject(&g, depth: depth + 1)
        case 6:  // an array of objects: where array consistency matters
            let n = Int(g.next() % 3) + 1
            return "[" + (0..<n).map { _ in eventObject(&g, depth: depth + 1) }.joined(separator: ",") + "]"
        default:
            let n = Int(g.next() % 3) + 1
            return "[" + (0..<n).map { _ in eventValue(&g, depth: depth + 1) }.joined(separator: ",") + "]"
        }
    }

    static func eventObject(_ g: inout SeededGenerator, depth: Int) -> String {
        let n = Int(g.next() % 4)
        var members: [String] = []
        for _ in 0..<n {
            var key = pick(keys + ["z"], &g)
            if chance(8, &g) { key = pick(["a.b", "b.c", "\\u0061"], &g) }
            members.append("\"\(key)\": \(eventValue(&g, depth: depth))")
        }
        return "{" + members.joined(separator: ", ") + "}"
    }

    @Test("thousands of random pattern/event pairs", arguments: [1, 2, 3, 4] as [UInt64])
    func randomPairs(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let patterns = Self.patterns(120, &g)
        var matcher = RuleMatcher()
        for (i, p) in patterns.enumerated() { matcher.add(p, id: i) }
        var ids: [Int] = []
        var checked = 0
        var matched = 0
        for _ in 0..<150 {
            let text = Self.eventObject(&g, depth: 0)
            let event = try JSONParser.parse(text)
            try matcher.matches(eventUTF8: Array(text.utf8), into: &ids)
            let expected = patterns.indices.filter { patterns[$0].matches(event) }
            #expect(ids == expected, "event \(text)")
            #expect(matcher.matches(event) == expected, "event \(text) as a JSONValue")
            checked += patterns.count
            matched += expected.count
        }
        #expect(checked == 18_000)
        // The vocabulary is small enough that a good share of pairs match.
        #expect(matched > 500, "only \(matched) matches")
    }
}
