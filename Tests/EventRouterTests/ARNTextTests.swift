import Synchronization
import Testing
@testable import EventRouter

/// ``ARN/init(text:)``: the typed ARN a rule target carries keeps its text as written, and its
/// parts are the parser's whenever the text is a well-formed ARN.
@Suite struct ARNTextTests {
    @Test(arguments: [
        "arn:aws:sqs:us-east-1:123456789012:orders",
        "arn:aws:events:us-east-1:123456789012:event-bus/orders",
        "arn:aws:lambda:us-east-1:123456789012:function:f:live",
        "arn:aws:ledger:us-east-1:123456789012:book/b",
    ])
    func aWellFormedTextHasTheParsersParts(text: String) throws {
        let parsed = try ARN(parsing: text)
        let kept = ARN(text: text)
        #expect(kept == parsed)
        #expect(kept.description == text)
        #expect(kept.kind == parsed.kind && kept.name == parsed.name)
    }

    @Test(arguments: ["not-an-arn", "arn:aws:sqs:us-east-1", "", "arn:aws:sqs:us-east-1:123:q", "ARN:aws:sqs:r:a:q"])
    func anyOtherTextIsKeptAsWritten(text: String) {
        let arn = ARN(text: text)
        #expect(arn.description == text)
        #expect(arn.kind == .other || (try? ARN(parsing: text)) == nil)
    }

    /// The parts are the text's first six `:`-separated pieces (the rest stays in the resource), or
    /// none and the whole text as resource when it is not `arn:` and five `:`.
    @Test(arguments: [
        ("arn:aws:sqs:us-east-1:123456789012:q", ["aws", "sqs", "us-east-1", "123456789012", "q"]),
        ("arn:aws:lambda:us-east-1:1:function:f:live", ["aws", "lambda", "us-east-1", "1", "function:f:live"]),
        ("arn:::::", ["", "", "", "", ""]),
        ("arn:äws:sqs:ü:1:q😀", ["äws", "sqs", "ü", "1", "q😀"]),
        ("arn:aws:sqs:r:a", ["", "", "", "", "arn:aws:sqs:r:a"]),
        ("nrn:aws:sqs:r:a:q", ["", "", "", "", "nrn:aws:sqs:r:a:q"]),
        ("", ["", "", "", "", ""]),
    ])
    func thePartsAreTheFirstSixPieces(text: String, parts: [String]) {
        let arn = ARN(text: text)
        #expect([arn.partition, arn.service, arn.region, arn.account, arn.resource] == parts)
        #expect(arn.description == text)
    }

    @Test func aRuleTargetWithAMalformedARNFailsAtDeliveryNamingIt() async throws {
        let clock = ManualClock()
        let pattern = try EventPattern(parsing: #"{"source": ["shop"]}"#)
        let rule = RuleDefinition(name: "r", account: "123456789012", region: "us-east-1", pattern: pattern,
                                  targets: [TargetDefinition(id: "t", arn: "not-an-arn")])
        let outcomes = Mutex<[DeliveryOutcome]>([])
        let router = Router(workspace: Workspace(rules: [rule]), clock: .virtual(clock), random: SharedRandom(seed: 1),
                            observer: { if case .attempted(_, _, let outcome, _) = $0 { outcomes.withLock { $0.append(outcome) } } })
        _ = try router.putEvents([PutEventsEntry(source: "shop", detailType: "T", detail: "{}")])
        await router.scheduler.settle()
        #expect(outcomes.withLock { $0 } == [.nonRetriable(code: DeliveryOutcome.Code.noResource, message: "no resource with ARN not-an-arn")])
    }
}
