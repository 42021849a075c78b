import Synchronization
import Testing
@testable import EventRouter
import EventRouterTesting

@Suite struct DeliverySchedulerTests {
    static let targetArn = "arn:aws:sqs:us-east-1:123456789012:target"
    static let dlqArn = "arn:aws:sqs:us-east-1:123456789012:dlq"
    static let ruleArn = "arn:aws:events:us-east-1:123456789012:rule/orders/r"

    let clock = ManualClock()
    let targets = TargetRegistry()

    func event(_ id: String = "e-1") -> Event {
        Event(id: id, detailType: "Placed", source: "shop", account: "123456789012", time: clock.now, region: "us-east-1",
              detail: ["orderId": "o-1"])
    }

    func request(_ event: Event? = nil, target: String = targetArn, policy: RetryPolicy = RetryPolicy(), dlq: String? = dlqArn,
                 body: Result<String, EventRouterError> = .success("{\"shaped\":true}")) -> DeliveryRequest {
        DeliveryRequest(event: event ?? self.event(), ruleArn: Self.ruleArn, targetId: "t", targetArn: target, body: body,
                        policy: policy, deadLetterArn: dlq, acceptedAt: clock.now)
    }

    func virtualScheduler(seed: UInt64 = 42, observer: (@Sendable (DeliveryTraceEvent) -> Void)? = nil) -> DeliveryScheduler {
        DeliveryScheduler(clock: .virtual(clock), random: SharedRandom(seed: seed), targets: targets, observer: observer)
    }

    func attributes(_ d: TargetDelivery) -> [String: String] {
        Dictionary(uniqueKeysWithValues: d.messageAttributes.map { ($0.name, $0.value) })
    }

    @Test func retryScheduleFollowsSeededFullJitterOnTheVirtualClock() async throws {
        let target = RecordingTarget.alwaysThrottling(clock: clock)
        let dlq = RecordingTarget()
        targets.register(target, for: Self.targetArn)
        targets.register(dlq, for: Self.dlqArn)
        let start = clock.now
        let scheduler = virtualScheduler()
        scheduler.enqueue([request(policy: RetryPolicy(maximumRetryAttempts: 6))])
        await scheduler.settle()

        let times = target.deliveryTimes
        #expect(times.count == 7)  // first attempt + 6 retries
        #expect(times.first == start)
        let backoff = Backoff()
        var delays: [Int64] = []
        for n in 1..<times.count {
            let delay = times[n] - times[n - 1]
            #expect(delay >= .zero)
            #expect(delay <= backoff.ceiling(forRetry: n))
            delays.append(delay.nanoseconds / 1_000_000)
        }
        // Exact milliseconds for seed 42 (SharedRandom → SeededGenerator, xoshiro256**).
        #expect(delays == Self.seed42Delays)
        #expect(target.deliveries.map(\.attempt) == [1, 2, 3, 4, 5, 6, 7])
        let stats = scheduler.statistics
        #expect(stats.attempts == 7)
        #expect(stats.retried == 6)
        #expect(stats.deadLettered == 1)
        #expect(dlq.count == 1)
    }

    static let seed42Delays: [Int64] = [83, 757, 2720, 7397, 15868, 24631]

    @Test func deadLetterMessageCarriesTheOriginalEventAndEveryAttribute() async throws {
        let target = RecordingTarget.alwaysThrottling()
        let dlq = RecordingTarget()
        targets.register(target, for: Self.targetArn)
        targets.register(dlq, for: Self.dlqArn)
        let scheduler = virtualScheduler()
        let e = event()
        scheduler.enqueue([request(e, policy: RetryPolicy(maximumRetryAttempts: 3))])
        await scheduler.settle()
        let message = try #require(dlq.deliveries.first)
        #expect(message.body == e.jsonText)  // the original event, not the shaped input
        #expect(message.isDeadLetter)
        #expect(message.targetArn.description == Self.dlqArn)
        #expect(message.messageAttributes.map(\.name) == ["RULE_ARN", "TARGET_ARN", "ERROR_CODE", "ERROR_MESSAGE", "EXHAUSTED_RETRY_CONDITION", "RETRY_ATTEMPTS"])
        #expect(attributes(message) == [
            "RULE_ARN": Self.ruleArn, "TARGET_ARN": Self.targetArn, "ERROR_CODE": "THROTTLING", "ERROR_MESSAGE": "slow down",
            "EXHAUSTED_RETRY_CONDITION": "MaximumRetryAttempts", "RETRY_ATTEMPTS": "3",
        ])
        #expect(target.count == 4)
    }

    @Test func maximumEventAgeRunsOutBeforeMaximumAttempts() async throws {
        let target = RecordingTarget.alwaysThrottling(clock: clock)
        let dlq = RecordingTarget()
        targets.register(target, for: Self.targetArn)
        targets.register(dlq, for: Self.dlqArn)
        let start = clock.now
        let scheduler = virtualScheduler()
        scheduler.enqueue([request(policy: RetryPolicy(maximumRetryAttempts: 185, maximumEventAgeInSeconds: 300))])
        await scheduler.settle()
        let message = try #require(dlq.deliveries.first)
        let attrs = attributes(message)
        #expect(attrs["EXHAUSTED_RETRY_CONDITION"] == "MaximumEventAgeInSeconds")
        let retries = try #require(Int(attrs["RETRY_ATTEMPTS"] ?? ""))
        #expect(retries == target.count - 1)
        #expect(retries < 185)
        // Every attempt happened within the maximum age.
        #expect(try #require(target.deliveryTimes.last) - start <= .seconds(300))
    }

    @Test func nonRetriableFailureSkipsRetries() async throws {
        let target = RecordingTarget(outcomes: [.nonRetriable(code: "NO_PERMISSIONS", message: "denied")])
        let dlq = RecordingTarget()
        targets.register(target, for: Self.targetArn)
        targets.register(dlq, for: Self.dlqArn)
        let scheduler = virtualScheduler()
        scheduler.enqueue([request()])
        await scheduler.settle()
        #expect(target.count == 1)
        let message = try #require(dlq.deliveries.first)
        #expect(attributes(message) == [
            "RULE_ARN": Self.ruleArn, "TARGET_ARN": Self.targetArn, "ERROR_CODE": "NO_PERMISSIONS", "ERROR_MESSAGE": "denied", "RETRY_ATTEMPTS": "0",
        ])
        #expect(scheduler.statistics.retried == 0)
    }

    @Test func aMissingTargetIsNoResource() async throws {
        let dlq = RecordingTarget()
        targets.register(dlq, for: Self.dlqArn)
        let scheduler = virtualScheduler()
        scheduler.enqueue([request(target: "arn:aws:sqs:us-east-1:123456789012:gone")])
        await scheduler.settle()
        let message = try #require(dlq.deliveries.first)
        #expect(attributes(message)["ERROR_CODE"] == "NO_RESOURCE")
        #expect(attributes(message)["ERROR_MESSAGE"] == "no resource with ARN arn:aws:sqs:us-east-1:123456789012:gone")
    }

    @Test func failedInputShapingIsNotRetried() async throws {
        let target = RecordingTarget()
        let dlq = RecordingTarget()
        targets.register(target, for: Self.targetArn)
        targets.register(dlq, for: Self.dlqArn)
        let scheduler = virtualScheduler()
        scheduler.enqueue([request(body: .failure(EventRouterError(.invalidInput, "InputPath $.x selects nothing in event e-1")))])
        await scheduler.settle()
        #expect(target.count == 0)
        #expect(attributes(try #require(dlq.deliveries.first))["ERROR_CODE"] == "INVALID_INPUT")
    }

    @Test func withoutADeadLetterQueueTheEventIsDroppedAndCounted() async {
        let target = RecordingTarget.alwaysThrottling()
        targets.register(target, for: Self.targetArn)
        let dropped = Counter()
        let scheduler = virtualScheduler { if case .dropped = $0 { dropped.increment() } }
        scheduler.enqueue([request(policy: RetryPolicy(maximumRetryAttempts: 2), dlq: nil)])
        await scheduler.settle()
        #expect(scheduler.statistics.dropped == 1)
        #expect(scheduler.statistics.deadLettered == 0)
        #expect(dropped.value == 1)
        #expect(target.count == 3)
    }

    @Test func aFailedDeadLetterSendIsCountedAndLogged() async {
        targets.register(RecordingTarget(outcomes: [.nonRetriable(code: "NO_PERMISSIONS", message: "denied")]), for: Self.targetArn)
        targets.register(RecordingTarget(outcomes: [.nonRetriable(code: "KMS_FAILURE", message: "no key")]), for: Self.dlqArn)
        let failed = Counter()
        let log = RecordingLogSink()
        let scheduler = virtualScheduler { e in
            if case .deadLetterFailed = e { failed.increment() }
            if let record = e.logRecord { log.log(record) }
        }
        scheduler.enqueue([request()])
        await scheduler.settle()
        let stats = scheduler.statistics
        #expect(stats.deadLetterFailures == 1)
        #expect(stats.deadLettered == 0)
        #expect(failed.value == 1)
        #expect(log.records(.deadLetter, atLeast: .warning).map(\.message) == [
            "2024-01-01T00:00:00.000Z event e-1 rule \(Self.ruleArn) target \(Self.targetArn): could not send to dead-letter queue \(Self.dlqArn): KMS_FAILURE: no key",
        ])
    }

    @Test func eachTargetIsDeliveredIndependently() async {
        let failing = RecordingTarget.alwaysThrottling()
        let fine = RecordingTarget()
        let other = "arn:aws:sqs:us-east-1:123456789012:other"
        targets.register(failing, for: Self.targetArn)
        targets.register(fine, for: other)
        targets.register(RecordingTarget(), for: Self.dlqArn)
        let scheduler = virtualScheduler()
        let e = event()
        scheduler.enqueue([request(e, policy: RetryPolicy(maximumRetryAttempts: 4)), request(e, target: other)])
        await scheduler.settle()
        #expect(fine.count == 1)
        #expect(failing.count == 5)
        #expect(scheduler.statistics.succeeded == 1)
        #expect(scheduler.statistics.deadLettered == 1)
    }

    @Test func theSameSeedGivesTheSameSchedule() async {
        func run(seed: UInt64) async -> [Timestamp] {
            let clock = ManualClock()
            let targets = TargetRegistry()
            let target = RecordingTarget.alwaysThrottling(clock: clock)
            targets.register(target, for: Self.targetArn)
            let scheduler = DeliveryScheduler(clock: .virtual(clock), random: SharedRandom(seed: seed), targets: targets)
            let e = Event(id: "e", detailType: "d", source: "s", account: "123456789012", time: clock.now, region: "us-east-1")
            scheduler.enqueue((0..<3).map { _ in
                DeliveryRequest(event: e, ruleArn: Self.ruleArn, targetId: "t", targetArn: Self.targetArn, body: .success("{}"),
                                policy: RetryPolicy(maximumRetryAttempts: 10), acceptedAt: clock.now)
            })
            await scheduler.settle()
            return target.deliveryTimes
        }
        let a = await run(seed: 7), b = await run(seed: 7), c = await run(seed: 8)
        #expect(a.count == 33)
        #expect(a == b)
        #expect(a != c)
    }

    @Test func realModeSleepsOnTheClockUntilTheNextRetryIsDue() async throws {
        let target = RecordingTarget(outcomes: [.retriable(code: "TIMEOUT", message: "t"), .retriable(code: "TIMEOUT", message: "t"), .success], clock: clock)
        targets.register(target, for: Self.targetArn)
        let scheduler = DeliveryScheduler(clock: clock, random: SharedRandom(seed: 42), targets: targets)
        let runner = Task { await scheduler.run() }
        defer { runner.cancel() }
        let start = clock.now
        scheduler.enqueue([request()])
        for retry in 1...2 {
            await clock.waitForSleepers(1)
            let due = try #require(scheduler.nextDueTime)
            #expect(due - clock.now <= Backoff().ceiling(forRetry: retry))
            #expect(target.count == retry)
            clock.advance(to: due - .milliseconds(1))  // not due 1 ms early
            await clock.waitForSleepers(1)
            #expect(target.count == retry)
            clock.advance(to: due)
        }
        while scheduler.statistics.succeeded == 0 { await Task.yield() }
        #expect(target.count == 3)
        #expect(target.deliveryTimes.first == start)
        #expect(scheduler.statistics.retried == 2)
        #expect(scheduler.pendingCount == 0)
    }
}

/// A thread-safe counter for observer callbacks.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
