import Synchronization
import Testing
@testable import EventRouter

/// The scheduler resolves a route's target once for consecutive attempts (issue 11,
/// performance), but never past a change of the registry: a target registered while a run is
/// under way receives the attempts that follow.
@Suite struct DeliveryTargetCacheTests {
    static let targetArn = "arn:aws:sqs:us-east-1:123456789012:target"

    @Test(arguments: [false, true])
    func aTargetRegisteredMidRunReceivesTheNextAttempts(synchronous: Bool) async {
        let clock = ManualClock()
        let targets = TargetRegistry()
        let counts = Mutex<(first: Int, second: Int)>((0, 0))
        let second = CountingTarget(synchronous: synchronous) { counts.withLock { $0.second += 1 } }
        let first = CountingTarget(synchronous: synchronous) {
            counts.withLock { $0.first += 1 }
            targets.register(second, for: Self.targetArn)  // from now on, deliveries go here
        }
        targets.register(first, for: Self.targetArn)
        let route = DeliveryRoute(ruleArn: "arn:aws:events:us-east-1:123456789012:rule/r", targetId: "t", targetArn: ARN(text: Self.targetArn))
        let event = Event(id: "e", detailType: "T", source: "s", account: "123456789012", time: clock.now, region: "us-east-1")
        let scheduler = DeliveryScheduler(clock: .virtual(clock), random: SharedRandom(seed: 1), targets: targets)
        scheduler.enqueue((0..<3).map { _ in DeliveryRequest(event: event, route: route, body: .success("{}"), acceptedAt: clock.now) })
        await scheduler.settle()
        let (toFirst, toSecond) = counts.withLock { $0 }
        #expect(toFirst == 1)
        #expect(toSecond == 2)
        #expect(scheduler.statistics.succeeded == 3)
    }
}

/// Counts deliveries, synchronously (``EventTarget/deliverNow(_:)``) or not.
private struct CountingTarget: EventTarget {
    let synchronous: Bool
    let onDelivery: @Sendable () -> Void

    func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        onDelivery()
        return .success
    }

    func deliverNow(_ delivery: TargetDelivery) -> DeliveryOutcome? {
        guard synchronous else { return nil }
        onDelivery()
        return .success
    }
}
