import Synchronization
import Testing
@testable import EventRouter

/// A bus whose patterns test only envelope strings for exact values (`{"source": ["shop"]}`)
/// matches events from their fields (``EnvelopeFieldPattern``, issue 11, performance): the same
/// rules, in the same order, as the compiled matcher and the reference matcher.
@Suite struct MatchingEnvelopeFieldTests {
    /// Values chosen to trip a comparison that is not byte by byte: escapes, non-ASCII, a
    /// canonically equivalent pair (é precomposed and decomposed), prefixes, the empty string.
    static let values: [String] = ["shop", "shop.orders", "shop.order", "sh\"op", "a\\b", "é", "e\u{301}", "😀", "Type1", "us-east-1",
                                   "123456789012", "", "tab\there"]

    /// Seeded patterns of one or two envelope fields, some with `$or`.
    static func patterns(_ count: Int, _ g: inout SeededGenerator) throws -> [String] {
        let fields = ["source", "detail-type", "account", "region"]
        func condition() -> String {
            let field = fields[Int(g.next() % 4)]
            let chosen = (0..<(1 + Int(g.next() % 3))).map { _ in JSONSerializer.quoted(values[Int(g.next() % UInt64(values.count))]) }
            return "\"\(field)\": [\(chosen.joined(separator: ", "))]"
        }
        return (0..<count).map { _ in
            switch g.next() % 4 {
            case 0: return "{\(condition()), \(condition())}"
            case 1: return "{\"$or\": [{\(condition())}, {\(condition())}]}"
            default: return "{\(condition())}"
            }
        }
    }

    @Test func theFastFormMatchesAsTheCompiledAndReferenceMatchers() throws {
        var g = SeededGenerator(seed: 11)
        let texts = try Self.patterns(120, &g)
        let patterns = try texts.map { try EventPattern(parsing: $0) }
        var matcher = RuleMatcher()
        for (id, p) in patterns.enumerated() { matcher.add(p, id: id) }
        let fast = patterns.map { EnvelopeFieldPattern($0) }
        #expect(fast.allSatisfy { $0 != nil })
        var compared = 0
        for _ in 0..<300 {
            let pick = { Self.values[Int(g.next() % UInt64(Self.values.count))] }
            let source = pick(), detailType = pick()
            guard !source.isEmpty, !detailType.isEmpty, !source.hasPrefix("aws.") else { continue }
            let region = g.next() % 2 == 0 ? "us-east-1" : pick()
            let event = Event(id: "id", detailType: detailType, source: source, account: "123456789012",
                              time: Timestamp(nanosecondsSinceEpoch: 0), region: region)
            var ids: [Int] = []
            var text = event.jsonText
            try text.withUTF8 { bytes in try matcher.matches(eventUTF8: UnsafeRawBufferPointer(bytes), envelope: true, into: &ids) }
            let viaFields = fast.indices.filter { fast[$0]?.matches(event) == true }
            #expect(viaFields == ids, "\(source) / \(detailType) / \(region)")
            #expect(viaFields == EventPattern.referenceMatches(patterns, event.json))
            compared += 1
        }
        #expect(compared > 200)
    }

    /// Any other path, operator or an IP literal (a `cidr` test) keeps the compiled matcher.
    @Test(arguments: [
        #"{"detail": {"a": ["x"]}}"#, #"{"source": [{"prefix": "s"}]}"#, #"{"source": ["s"], "detail-type": [{"anything-but": "x"}]}"#,
        #"{"id": ["x"]}"#, #"{"version": ["0"]}"#, #"{"resources": ["arn:r"]}"#, #"{"source": [{"exists": true}]}"#,
        #"{"source": ["10.0.0.1"]}"#, #"{"source": [1]}"#, #"{"source": [null]}"#, #"{"source": [{"equals-ignore-case": "S"}]}"#,
        #"{"$or": [{"source": ["s"]}, {"detail": {"a": ["x"]}}]}"#, #"{"time": ["x"]}"#,
    ])
    func otherPatternsHaveNoFastForm(text: String) throws {
        #expect(EnvelopeFieldPattern(try EventPattern(parsing: text)) == nil)
    }

    /// Through PutEvents: a bus of fast-form rules (one disabled, one schedule-only) matches the
    /// rules the compiled matcher would, in declaration order; adding a rule without a fast form
    /// switches the bus back, with the same answers.
    @Test func aBusMatchesTheSameRulesEitherWay() throws {
        func rule(_ name: String, _ pattern: String, enabled: Bool = true) throws -> RuleDefinition {
            RuleDefinition(name: name, account: "123456789012", region: "us-east-1", pattern: try EventPattern(parsing: pattern),
                           enabled: enabled, targets: [TargetDefinition(id: "t", arn: "arn:aws:sqs:us-east-1:123456789012:q")])
        }
        var schedule = try rule("tick", #"{"source": ["shop"]}"#)
        schedule.scheduleExpression = "rate(1 minute)"
        schedule.patternText = nil
        let rules = [
            try rule("b", #"{"source": ["shop", "é"]}"#), try rule("a", #"{"detail-type": ["Placed"]}"#),
            try rule("off", #"{"source": ["shop"]}"#, enabled: false), schedule,
            try rule("c", #"{"$or": [{"source": ["other"]}, {"region": ["us-east-1"], "detail-type": ["Paid"]}]}"#),
        ]
        let entries = [("shop", "Placed"), ("é", "Paid"), ("e\u{301}", "Paid"), ("other", "X"), ("none", "None")].map {
            PutEventsEntry(source: $0.0, detailType: $0.1, detail: "{}")
        }
        func matched(_ extra: [RuleDefinition]) -> [[String]] {
            let names = Mutex<[[String]]>([])
            let router = Router(workspace: Workspace(rules: rules + extra), clock: ManualClock(), random: SharedRandom(seed: 1),
                                matchObserver: { _, _, rules in names.withLock { $0.append(rules.map(\.name)) } })
            for e in entries { _ = try? router.putEvents([e]) }
            return names.withLock { $0 }
        }
        let fast = matched([])
        #expect(fast == [["b", "a"], ["b", "c"], ["c"], ["c"], []])
        #expect(fast == matched([try rule("z", #"{"detail": {"never": ["x"]}}"#)]))
    }
}
