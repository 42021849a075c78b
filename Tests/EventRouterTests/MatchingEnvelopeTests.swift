import Testing
@testable import EventRouter

/// Matching an event's own envelope text (``Event/jsonText``) stops after the last top-level
/// key a rule reads (issue 11, performance): the result must equal reading the whole text and
/// the reference matcher, whichever keys the rules read, present or absent, before or after
/// the detail.
@Suite struct MatchingEnvelopeTests {
    static let conditions: [String] = [
        #""source": ["s1"]"#, #""source": [{"prefix": "s"}]"#, #""detail-type": ["T2"]"#, #""version": ["0"]"#,
        #""account": ["123456789012"]"#, #""region": [{"anything-but": "r1"}]"#, #""resources": ["arn:r1"]"#,
        #""resources": [{"exists": false}]"#, #""time": [{"exists": true}]"#, #""id": [{"exists": true}]"#,
        #""replay-name": ["replay-1"]"#, #""replay-name": [{"exists": false}]"#, #""missing": [{"exists": false}]"#,
        #""missing": ["x"]"#, #""detail": {"a": [1, 2]}"#, #""detail": {"b": {"c": ["deep"]}}"#,
        #""detail": {"a": [{"numeric": [">", 1]}]}"#, #""detail": {"gone": [{"exists": false}]}"#,
    ]

    /// Seeded patterns of one to three conditions on distinct keys.
    static func patterns(_ count: Int, _ g: inout SeededGenerator) throws -> [EventPattern] {
        try (0..<count).map { _ in
            var chosen: [String] = []
            var keys: Set<Substring> = []
            for _ in 0..<(1 + Int(g.next() % 3)) {
                let c = conditions[Int(g.next() % UInt64(conditions.count))]
                let key = c.split(separator: ":")[0]
                if keys.insert(key).inserted { chosen.append(c) }
            }
            return try EventPattern(parsing: "{" + chosen.joined(separator: ", ") + "}")
        }
    }

    static func events(_ count: Int, _ g: inout SeededGenerator) -> [Event] {
        let router = Router(clock: ManualClock(), random: SharedRandom(seed: 3))
        var events: [Event] = []
        for i in 0..<count {
            let n = g.next()
            let detail = [#"{"a": 1}"#, #"{ "a" : 2 , "b" : { "c" : "deep" } }"#, "{}", #"{"b": {"c": ["deep", "x"]}, "a": [0, 3]}"#,
                          #"{"long": "a string well over eight bytes, with \"escapes\""}"#][Int(n % 5)]
            let entry = PutEventsEntry(source: ["s1", "s2", "t"][Int(n / 5 % 3)], detailType: ["T1", "T2"][Int(n / 15 % 2)], detail: detail,
                                       resources: n / 30 % 2 == 0 ? [] : ["arn:r1"])
            guard case .success(let (event, _)) = router.makeEvent(entry, now: Timestamp(nanosecondsSinceEpoch: 1_700_000_000_000_000_000)) else {
                continue
            }
            events.append(i % 4 == 3 ? event.replayed(as: "replay-1") : event)
        }
        return events
    }

    /// The ids `matcher` matches in `text` (`[-1]` when it refuses the text, which no test expects).
    static func match(_ matcher: inout RuleMatcher, _ text: String, envelope: Bool) -> [Int] {
        var ids: [Int] = []
        let matched = Array(text.utf8).withUnsafeBytes { raw -> Bool in
            do {
                try matcher.matches(eventUTF8: raw, envelope: envelope, into: &ids)
                return true
            } catch {
                return false
            }
        }
        return matched ? ids : [-1]
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func readingStopsEarlyWithTheSameResult(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let patterns = try Self.patterns(60, &g)
        var matcher = RuleMatcher()
        for (i, p) in patterns.enumerated() { matcher.add(p, id: i) }
        var early: [Int] = [], whole: [Int] = []
        var matched = 0
        for event in Self.events(120, &g) {
            early = Self.match(&matcher, event.jsonText, envelope: true)
            whole = Self.match(&matcher, event.jsonText, envelope: false)
            let expected = EventPattern.referenceMatches(patterns, event.json)
            #expect(early == expected, "\(event.jsonText)")
            #expect(whole == expected, "\(event.jsonText)")
            matched += expected.count
        }
        #expect(matched > 300, "only \(matched) matches")
    }

    /// One rule needing two keys far apart: reading may stop only once both were read.
    @Test func aRuleOnTwoKeysNeedsBoth() throws {
        var matcher = RuleMatcher()
        matcher.add(try EventPattern(parsing: #"{"source": ["s1"], "detail": {"a": [1]}}"#), id: 0)
        var g = SeededGenerator(seed: 9)
        var ids: [Int]
        var seen: Set<[Int]> = []
        for event in Self.events(40, &g) {
            ids = Self.match(&matcher, event.jsonText, envelope: true)
            #expect(ids == (event.source == "s1" && event.detail["a"] == 1 ? [0] : []), "\(event.jsonText)")
            seen.insert(ids)
        }
        #expect(seen == [[], [0]])
    }
}
