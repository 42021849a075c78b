import Testing
import EventRouterTesting
@testable import EventRouter

/// What used to live only in string buffers (a topic's given-up deliveries, an asynchronous
/// engine's settled events) also goes through the log seam, with structured metadata.
@Suite struct LogRecordTests {
    @Test func aTopicLogsADeadLetteredDelivery() async throws {
        let sink = RecordingSubscriptionSink(), log = RecordingLogSink()
        sink.always(TopicRetryTests.q, .retriable(code: "ServiceUnavailable", message: "queue is busy"))
        let f = try TopicFixture(queues: [], topics: [TopicRetryTests.topic(dlq: true)], sink: sink, retryPolicy: TopicRetryTests.short, log: log)
        let topic = try f.topic("t")
        let r = try await topic.publish(message: "m")
        await topic.settle(advancing: f.clock)
        let record = try #require(log.records(.undelivered).first)
        #expect(log.records(.undelivered).count == 1)
        #expect(record.level == .warning)
        #expect(record.metadata.eventId == r.messageId)
        #expect(record.metadata.target?.hasPrefix(topic.arn + ":") == true)
        #expect(record.metadata.extra["topic"] == topic.arn)
        #expect(record.metadata.extra["code"] == "ServiceUnavailable")
        #expect(record.metadata.extra["attempts"] == "7")
        #expect(record.metadata.extra["deadLetterQueue"] == TopicRetryTests.dlq)
        #expect(record.message.hasSuffix("dead-lettered to \(TopicRetryTests.dlq)"))
    }

    @Test func aTopicLogsADroppedDeliveryAsAnError() async throws {
        let sink = RecordingSubscriptionSink(), log = RecordingLogSink()
        sink.always(TopicRetryTests.q, .nonRetriable(code: "AccessDenied", message: "policy changed"))
        let f = try TopicFixture(queues: [], topics: [TopicRetryTests.topic(dlq: false)], sink: sink, retryPolicy: TopicRetryTests.short, log: log)
        let r = try await f.topic("t").publish(message: "m")
        let record = try #require(log.records(.undelivered).first)
        #expect(record.level == .error)
        #expect(record.metadata.eventId == r.messageId)
        #expect(record.metadata.extra["deadLetterQueue"] == nil)
        #expect(record.message == "gave up on message \(r.messageId) for \(record.metadata.target ?? "") after 1 attempts (AccessDenied: policy changed): dropped")
    }

    @Test func aFailedDeadLetterSendSaysWhy() async throws {
        let log = RecordingLogSink()
        let f = try TopicFixture(queues: [], topics: [TopicRetryTests.topic(dlq: true)], log: log)   // neither queue exists
        _ = try await f.topic("t").publish(message: "m")
        let record = try #require(log.records(.undelivered).first)
        #expect(record.level == .error)
        #expect(record.metadata.extra["deadLetterError"]?.hasPrefix("AWS.SimpleQueueService.NonExistentQueue") == true)
        #expect(record.message.contains(": dropped (dead-letter send failed: AWS.SimpleQueueService.NonExistentQueue"))
    }

    @Test(arguments: [
        (false, AsyncInvocationStateMachine.Condition.success, LogLevel.info, "Success after 1 invocations and 0 throttles, record sent to \(FunctionTestARNs.okQueue)"),
        (true, .retriesExhausted, .warning, "RetriesExhausted after 1 invocations and 0 throttles, record sent to \(FunctionTestARNs.queue)"),
    ])
    func everySettledEventIsLogged(fails: Bool, condition: AsyncInvocationStateMachine.Condition, level: LogLevel, message: String) async throws {
        let log = RecordingLogSink(), sink = RecordingDestinationSink()
        let manifest = FunctionManifest.swiftTest(retries: 0, onSuccess: FunctionTestARNs.okQueue, onFailure: FunctionTestARNs.queue)
        let runtime = FunctionRuntime(manifest: manifest, handler: ClosureFunctionHandler { event, _ in
            if fails { throw FunctionError(type: "Boom", message: "bad") }
            return event
        }, clock: ManualClock(), log: log)
        let e = AsyncInvocationEngine(runtime: runtime, clock: ManualClock(), sink: sink)
        let id = await e.enqueue(["id": "evt-1"])
        await e.waitUntilIdle()
        let record = try #require(log.records(.outcome).first)
        #expect(log.records(.outcome).count == 1)
        #expect(record.level == level)
        #expect(record.message == message)
        #expect(record.metadata.requestId == id)
        #expect(record.metadata.eventId == "evt-1")
        #expect(record.metadata.function == manifest.arn)
        #expect(record.metadata.extra["condition"] == condition.rawValue)
        #expect(record.metadata.extra["delivered"] == "true")
    }

    @Test func zeroReservedConcurrencyIsLoggedAsAWarning() async throws {
        let log = RecordingLogSink(), sink = RecordingDestinationSink()
        let runtime = FunctionRuntime(manifest: .swiftTest(reserved: 0, onFailure: FunctionTestARNs.queue),
                                      handler: ClosureFunctionHandler { event, _ in event }, clock: ManualClock(), log: log)
        let e = AsyncInvocationEngine(runtime: runtime, clock: ManualClock(), sink: sink)
        await e.enqueue(["n": 1])
        await e.waitUntilIdle()
        let record = try #require(log.records(.outcome).first)
        #expect(record.level == .warning)
        #expect(record.metadata.extra["condition"] == "ZeroReservedConcurrency")
        #expect(record.metadata.extra["invocations"] == "0")
    }
}
