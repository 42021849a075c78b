import Synchronization
import Testing
@testable import EventRouter
import EventRouterTesting

/// A new target kind is one type plus one registration line: a "ledger" service of our own
/// (`arn:aws:ledger:REGION:ACCOUNT:book/NAME`) that a rule delivers to, that is retried when it
/// reports a retriable failure, and that serves as a dead-letter queue too.
@Suite struct TargetKindExampleTests {
    /// The example target kind: appends each delivered body to the book its ARN names. The book
    /// `flaky` refuses its first two deliveries as `THROTTLING` (retriable); the book `closed`
    /// refuses every delivery as `NO_PERMISSIONS` (not retriable).
    final class LedgerTarget: EventTarget {
        private let books = Mutex<(lines: [String: [String]], refusals: Int)>(([:], 0))

        func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
            let arn = delivery.targetArn
            guard arn.resource.hasPrefix("book/") else {
                return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: "\(delivery.targetArn) is not a ledger book")
            }
            let book = String(arn.resource.dropFirst(5))
            return books.withLock { s in
                if book == "closed" { return .nonRetriable(code: DeliveryOutcome.Code.noPermissions, message: "the book is closed") }
                if book == "flaky", s.refusals < 2 {
                    s.refusals += 1
                    return .retriable(code: DeliveryOutcome.Code.throttling, message: "busy")
                }
                s.lines[book, default: []].append(delivery.body)
                return .success
            }
        }

        func lines(_ book: String) -> [String] { books.withLock { $0.lines[book] ?? [] } }
    }

    static func book(_ name: String) -> String { "arn:aws:ledger:us-east-1:123456789012:book/\(name)" }

    @Test func aRuleDeliversRetriesAndDeadLettersToANewTargetKind() async throws {
        let clock = ManualClock()
        let rule = RuleDefinition(
            name: "to-ledger", account: "123456789012", region: "us-east-1", pattern: try EventPattern(parsing: #"{"source": ["shop"]}"#),
            targets: [
                TargetDefinition(id: "audit", arn: Self.book("audit")),
                TargetDefinition(id: "flaky", arn: Self.book("flaky"), retryPolicy: RetryPolicy(maximumRetryAttempts: 5)),
                TargetDefinition(id: "closed", arn: Self.book("closed"), deadLetterArn: Self.book("dead-letters")),
            ])
        let router = Router(workspace: Workspace(rules: [rule]), clock: .virtual(clock), random: SharedRandom(seed: 5))
        let ledger = LedgerTarget()
        router.targets.registerProvider(forService: "ledger") { _ in ledger }   // the one registration line

        let result = try router.putEvents([PutEventsEntry(source: "shop", detailType: "Placed", detail: #"{"n": 1}"#)])
        let id = try #require(result.entries.first?.eventId)
        await router.scheduler.settle()

        #expect(ledger.lines("audit").compactMap { try? JSONParser.parse($0)["id"]?.stringValue } == [id])
        #expect(ledger.lines("flaky").count == 1)
        #expect(ledger.lines("closed").isEmpty)
        let stats = router.scheduler.statistics
        #expect(stats.retried == 2)
        #expect(stats.deadLettered == 1)
        #expect(ledger.lines("dead-letters").compactMap { try? JSONParser.parse($0)["id"]?.stringValue } == [id])
    }

    @Test func anARNNoTargetResolvesFailsInTheWordsOfItsOrigin() async {
        let registry = TargetRegistry()
        let rule = await registry.deliver(TargetDelivery(subscriptionTo: Self.book("x"), body: "b", attributes: [:], groupId: nil, dedupId: nil))
        #expect(rule == .nonRetriable(code: "EndpointUnavailable", message: "Cannot deliver to \(Self.book("x")): no target is registered for this endpoint's service; register one in the TargetRegistry the topics deliver through."))
        let record = DestinationMessage(kind: .invocationRecord, destinationArn: Self.book("x"), body: ["a": 1])
        #expect(await registry.deliver(TargetDelivery(destination: record)) == .nonRetriable(
            code: "NO_RESOURCE", message: "'\(Self.book("x"))' is not a queue, topic, event bus or function ARN"))
    }
}
