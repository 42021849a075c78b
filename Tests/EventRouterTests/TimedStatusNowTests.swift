import Testing
import EventRouterTesting
@testable import EventRouter

/// Topics and function engines tell their ``TimedStatus`` without suspending
/// (``TimedComponent/timedStatusNow(at:)``), and it is always what the actor says.
@Suite struct TimedStatusNowTests {
    @Test func aTopicsRetryStatusIsKnownWithoutAHop() async throws {
        let q = queueArn("q.fifo")
        let sink = RecordingSubscriptionSink()
        sink.script(q, Array(repeating: .retriable(code: "ServiceUnavailable", message: "busy"), count: 4))
        let f = try TopicFixture(queues: ["q.fifo"], topics: [#"{"TopicName": "t.fifo", "ContentBasedDeduplication": true, "Subscription": [{"Protocol": "sqs", "Endpoint": "\#(q)"}]}"#], sink: sink)
        let topic = try f.topic("t.fifo")
        let now = f.clock.now
        #expect(topic.timedStatusNow(at: now) == TimedStatus(pending: 0, nextDeadline: nil))
        _ = try await topic.publish(message: "first", messageGroupId: "g")
        let waiting = TimedStatus(pending: 1, nextDeadline: now + .seconds(1))
        #expect(topic.timedStatusNow(at: now) == waiting)
        #expect(await topic.timedStatus(at: now) == waiting)
        #expect(f.topics.timedStatusNow(at: now) == waiting)
        await f.topics.settle(advancing: f.clock)
        #expect(topic.timedStatusNow(at: f.clock.now) == TimedStatus(pending: 0, nextDeadline: nil))
        #expect(f.topics.timedStatusNow(at: f.clock.now) == TimedStatus(pending: 0, nextDeadline: nil))
    }

    @Test func anEnginesPendingAndParkedEventsAreKnownWithoutAHop() async throws {
        let clock = ManualClock(), sink = RecordingDestinationSink()
        let runtime = FunctionRuntime(manifest: .swiftTest(retries: 1, onFailure: FunctionTestARNs.queue),
                                      handler: ClosureFunctionHandler { _, _ in throw FunctionError(type: "Boom", message: "no") },
                                      clock: ManualClock())
        let e = AsyncInvocationEngine(runtime: runtime, clock: clock, sink: sink, random: SharedRandom(seed: 7))
        #expect(e.timedStatusNow(at: clock.now) == TimedStatus(pending: 0, nextDeadline: nil))
        await e.enqueue(["n": .number(JSONNumber(1))])
        #expect(e.timedStatusNow(at: clock.now)?.pending == 1)
        await clock.waitForSleepers(1)
        let parked = TimedStatus(pending: 1, nextDeadline: nil, parked: 1)
        #expect(e.timedStatusNow(at: clock.now) == parked)
        #expect(await e.timedStatus(at: clock.now) == parked)
        await e.settle(on: clock)
        #expect(e.timedStatusNow(at: clock.now) == TimedStatus(pending: 0, nextDeadline: nil))
        #expect(sink.messages.count == 1)
    }
}
