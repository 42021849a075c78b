import Testing
import EventRouterTesting
@testable import EventRouter

@Suite struct TopicRetryTests {
    static let q = queueArn("q")
    static let dlq = queueArn("dlq")
    /// 2 immediate, 1 after 1 s, 2 backing off 1 s → 4 s, 1 after 4 s: 6 retries, 10 s in all.
    static let short = DeliveryRetryPolicy(immediateRetries: 2, preBackoffRetries: 1, backoffRetries: 2, postBackoffRetries: 1,
                                           minimumDelay: .seconds(1), maximumDelay: .seconds(4))
    static func topic(dlq: Bool) -> String {
        let redrive = dlq ? #", "RedrivePolicy": {"deadLetterTargetArn": "\#(Self.dlq)"}"# : ""
        return #"{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "\#(q)"\#(redrive)}]}"#
    }

    @Test func awsManagedPolicyMatchesSNS() {
        let p = DeliveryRetryPolicy.awsManagedEndpoints
        #expect(p.maximumRetries == 100_015)
        let first = (1...16).map { p.delay(beforeRetry: $0) }
        #expect(Array(first.prefix(6)) == [.zero, .zero, .zero, .seconds(1), .seconds(1), .seconds(1)])
        #expect(first[14] == .seconds(20) && first[15] == .seconds(20))
        for i in 6..<14 { #expect(first[i]! > first[i - 1]! && first[i]! < .seconds(20)) }
        #expect(p.delay(beforeRetry: 100_015) == .seconds(20))
        #expect(p.delay(beforeRetry: 100_016) == nil)
        var total = Duration.zero
        for r in 1...100_015 { total += p.delay(beforeRetry: r) ?? .zero }
        let days = Double(total.components.seconds) / 86_400
        #expect(days > 23 && days < 23.3, "SNS retries for about 23 days, got \(days)")
    }

    @Test func stateMachineRetriesServerErrorsOnlyAndGivesUp() {
        var m = DeliveryRetryStateMachine(policy: Self.short)
        #expect(m.record(.nonRetriable(code: "Gone", message: "deleted")) == .deadLetter(code: "Gone", message: "deleted"))
        m = DeliveryRetryStateMachine(policy: Self.short)
        let busy = DeliveryOutcome.retriable(code: "Busy", message: "try later")
        let actions = (1...7).map { _ in m.record(busy) }
        #expect(actions == [.retry(after: .zero), .retry(after: .zero), .retry(after: .seconds(1)), .retry(after: .seconds(1)),
                            .retry(after: .seconds(4)), .retry(after: .seconds(4)), .deadLetter(code: "Busy", message: "try later (gave up after 7 attempts)")])
        var ok = DeliveryRetryStateMachine(policy: Self.short)
        #expect(ok.record(.success) == .done && ok.attempts == 1)
    }

    @Test func jitterStaysWithinItsFraction() {
        var policy = Self.short
        policy.jitter = 0.5
        var m = DeliveryRetryStateMachine(policy: policy)
        _ = m.record(.retriable(code: "B", message: ""))
        _ = m.record(.retriable(code: "B", message: ""))
        #expect(m.record(.retriable(code: "B", message: ""), jitterSample: 0) == .retry(after: .milliseconds(500)))
        #expect(m.record(.retriable(code: "B", message: ""), jitterSample: 1) == .retry(after: .milliseconds(1500)))
    }

    @Test func serverErrorsAreRetriedOnTheClockThenDeadLettered() async throws {
        let sink = RecordingSubscriptionSink()
        sink.always(Self.q, .retriable(code: "ServiceUnavailable", message: "queue is busy"))
        let f = try TopicFixture(queues: [], topics: [Self.topic(dlq: true)], sink: sink, retryPolicy: Self.short)
        let topic = try f.topic("t")
        let start = f.clock.now
        let r = try await topic.publish(message: "m", messageAttributes: ["k": .string("v")])
        #expect(r.deliveries.map(\.status) == [.retrying])
        #expect(sink.deliveries(to: Self.q).count == 3)   // first attempt + 2 immediate retries
        await topic.settle(advancing: f.clock)
        #expect(f.clock.now - start == .seconds(10))
        #expect(sink.deliveries(to: Self.q).count == 7)
        let dead = try #require(sink.deliveries(to: Self.dlq).first)
        #expect(dead.body == sink.deliveries(to: Self.q)[0].body)   // the envelope as it was to be delivered
        #expect(dead.attributes["ErrorCode"] == .string("ServiceUnavailable"))
        #expect(dead.attributes["ErrorMessage"] == .string("queue is busy (gave up after 7 attempts)"))
        #expect(dead.attributes["RequestID"]?.stringValue?.count == 36)
        #expect(dead.attributes["k"] == nil)   // not raw delivery: only the error attributes
        let stats = await topic.statistics
        #expect(stats.retried == 6 && stats.deadLettered == 1 && stats.delivered == 0 && stats.dropped == 0)
        #expect(await topic.undelivered.first?.deadLetterQueue == Self.dlq)
    }

    @Test func aLaterSuccessStopsTheRetries() async throws {
        let sink = RecordingSubscriptionSink()
        sink.script(Self.q, [.retriable(code: "B", message: ""), .retriable(code: "B", message: ""), .retriable(code: "B", message: ""), .retriable(code: "B", message: "")])
        let f = try TopicFixture(queues: [], topics: [Self.topic(dlq: true)], sink: sink, retryPolicy: Self.short)
        let topic = try f.topic("t")
        _ = try await topic.publish(message: "m")
        await topic.settle(advancing: f.clock)
        let stats = await topic.statistics
        #expect(stats.delivered == 1 && stats.retried == 4 && stats.deadLettered == 0)
        #expect(sink.deliveries(to: Self.dlq).isEmpty)
    }

    @Test func withoutADeadLetterQueueTheLossIsCountedAndRecorded() async throws {
        let sink = RecordingSubscriptionSink()
        sink.always(Self.q, .nonRetriable(code: "AccessDenied", message: "policy changed"))
        let f = try TopicFixture(queues: [], topics: [Self.topic(dlq: false)], sink: sink, retryPolicy: Self.short)
        let topic = try f.topic("t")
        let r = try await topic.publish(message: "m")
        #expect(r.deliveries.map(\.status) == [.dropped])
        #expect(sink.deliveries(to: Self.q).count == 1)   // client errors are not retried
        let record = try #require(await topic.undelivered.first)
        #expect(record.errorCode == "AccessDenied" && record.deadLetterQueue == nil && record.attempts == 1 && record.messageId == r.messageId)
        #expect(await topic.statistics.dropped == 1)
    }

    @Test func aDeletedQueueIsAClientErrorDeadLetteredWithSQSCode() async throws {
        let f = try TopicFixture(queues: ["q", "dlq"], topics: [Self.topic(dlq: true)])
        try f.queues.deleteQueue("q")
        let r = try await f.topic("t").publish(message: "m")
        #expect(r.deliveries.map(\.status) == [.deadLettered])
        let dead = try #require(try f.messages("dlq").first)
        #expect(dead["MessageAttributes"]?["ErrorCode"]?["StringValue"] == "AWS.SimpleQueueService.NonExistentQueue")
        #expect(try await f.topic("t").statistics.retried == 0)
    }

    @Test func aFailingDeadLetterQueueIsCountedAsDropped() async throws {
        let f = try TopicFixture(queues: [], topics: [Self.topic(dlq: true)])   // neither queue exists
        let r = try await f.topic("t").publish(message: "m")
        #expect(r.deliveries.map(\.status) == [.dropped])
        let record = try #require(try await f.topic("t").undelivered.first)
        #expect(record.deadLetterError?.hasPrefix("AWS.SimpleQueueService.NonExistentQueue") == true)
    }

    @Test func theRetryTimerSleepsOnTheInjectedClock() async throws {
        let clock = ManualClock()
        let sink = RecordingSubscriptionSink()
        sink.script(Self.q, Array(repeating: .retriable(code: "B", message: ""), count: 3))
        let topics = TopicRegistry(clock: clock, targets: sink, retryPolicy: Self.short, retryTimer: true)
        let topic = try topics.createTopic(topicConfiguration(Self.topic(dlq: false)))
        _ = try await topic.publish(message: "m")
        await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == clock.now + .seconds(1))
        #expect(await topic.statistics.delivered == 0)
        clock.advance(by: .seconds(1))
        while await topic.statistics.delivered == 0 { await Task.yield() }
        #expect(await topic.pendingRetries == 0)
        #expect(sink.deliveries(to: Self.q).count == 4)
    }
}
