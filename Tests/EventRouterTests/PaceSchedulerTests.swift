import Synchronization
import Testing
@testable import EventRouter

/// `DeliveryScheduler.runUntil(_:)`, which paced replays use between two events.
@Suite struct PaceSchedulerTests {
    @Test func runsWhatIsDueBeforeTheDeadlineAndStopsThere() async {
        let clock = ManualClock()
        let t0 = clock.now
        let attempts = Mutex<[Timestamp]>([])
        let targets = TargetRegistry()
        let arn = "arn:aws:sqs:us-east-1:123456789012:flaky"
        targets.register(ClosureTarget { _ in
            let n = attempts.withLock { $0.append(clock.now); return $0.count }
            return n == 1 ? .retriable(code: "THROTTLING", message: "slow down") : .success
        }, for: arn)
        let scheduler = DeliveryScheduler(clock: .virtual(clock), random: SharedRandom(seed: 3), targets: targets)
        let event = Event(id: "e1", detailType: "T", source: "s", account: "123456789012", time: t0, region: "us-east-1")
        scheduler.enqueue([DeliveryRequest(event: event, ruleArn: "arn:aws:events:us-east-1:123456789012:rule/r", targetId: "t",
                                           targetArn: arn, body: .success("{}"), acceptedAt: t0)])
        await scheduler.run(until: t0 + .seconds(10))
        #expect(clock.now == t0 + .seconds(10))
        let times = attempts.withLock { $0 }
        #expect(times.count == 2)
        #expect(times.first == t0)
        #expect(times.last.map { $0 > t0 && $0 <= t0 + .seconds(1) } == true)   // first retry: full jitter of 1 s
        #expect(scheduler.statistics.succeeded == 1)
    }

    @Test func leavesLaterWorkForLater() async {
        let clock = ManualClock()
        let t0 = clock.now
        let targets = TargetRegistry()
        let arn = "arn:aws:sqs:us-east-1:123456789012:down"
        targets.register(ClosureTarget { _ in .retriable(code: "TIMEOUT", message: "down") }, for: arn)
        let scheduler = DeliveryScheduler(clock: .virtual(clock), random: SharedRandom(seed: 3), targets: targets,
                                          configuration: .init(backoff: Backoff(base: .seconds(60))))
        let event = Event(id: "e1", detailType: "T", source: "s", account: "123456789012", time: t0, region: "us-east-1")
        scheduler.enqueue([DeliveryRequest(event: event, ruleArn: "arn:aws:events:us-east-1:123456789012:rule/r", targetId: "t",
                                           targetArn: arn, body: .success("{}"), acceptedAt: t0)])
        await scheduler.run(until: t0)                          // the first attempt is due now
        #expect(scheduler.statistics.attempts == 1)
        #expect(scheduler.pendingCount == 1)                  // its retry waits
        #expect(clock.now == t0)
    }
}
