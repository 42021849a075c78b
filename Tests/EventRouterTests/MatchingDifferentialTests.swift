import EventRouterFuzzing
import Testing
@testable import EventRouter

/// The compiled ``RuleMatcher`` against the reference ``EventPattern/matches(_:)`` on seeded
/// random patterns and events (``MatcherCaseGenerator``): the classic small vocabulary (nested
/// objects, arrays of objects and of values, empty containers, dotted and repeated keys,
/// escapes, non-ASCII text) and every key shape of issue 10 (empty, dotted, non-ASCII and
/// canonically equivalent names, every length around the 8-byte word, deep nesting). The
/// long-running form is `eventrouter-fuzz matcher`.
@Suite("Matching: compiled matcher agrees with the reference")
struct MatchingDifferentialTests {
    static func compare(_ generator: MatcherCaseGenerator, seed: UInt64, narrow: Int? = nil, patterns count: Int, events: Int) throws -> (checked: Int, matched: Int) {
        var g = SeededGenerator(seed: seed)
        let generator = narrow.map { generator.narrowed(to: $0, &g) } ?? generator
        let patterns = generator.patterns(count, &g).map(\.pattern)
        var matcher = RuleMatcher()
        for (i, p) in patterns.enumerated() { matcher.add(p, id: i) }
        var ids: [Int] = []
        var checked = 0
        var matched = 0
        for _ in 0..<events {
            let text = generator.event(&g)
            let event = try JSONParser.parse(text)
            try matcher.matches(eventUTF8: Array(text.utf8), into: &ids)
            let expected = EventPattern.referenceMatches(patterns, event)
            #expect(ids == expected, "event \(text)")
            #expect(matcher.matches(event) == expected, "event \(text) as a JSONValue")
            checked += patterns.count
            matched += expected.count
        }
        return (checked, matched)
    }

    @Test("thousands of random pattern/event pairs", arguments: [1, 2, 3, 4] as [UInt64])
    func randomPairs(seed: UInt64) throws {
        let (checked, matched) = try Self.compare(.classic, seed: seed, patterns: 120, events: 150)
        #expect(checked == 18_000)
        // The vocabulary is small enough that a good share of pairs match.
        #expect(matched > 500, "only \(matched) matches")
    }

    @Test("random key shapes: empty, dotted, non-ASCII, around eight bytes, deep", arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func randomKeyShapes(seed: UInt64) throws {
        let (checked, matched) = try Self.compare(.keyShapes, seed: seed, narrow: 7, patterns: 100, events: 120)
        #expect(checked == 12_000)
        #expect(matched > 300, "only \(matched) matches")
    }
}
