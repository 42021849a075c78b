import Testing
import EventRouterTesting
@testable import EventRouter

@Suite struct TopicFIFOTests {
    static let q = queueArn("q.fifo")
    static let topic = #"{"TopicName": "t.fifo", "ContentBasedDeduplication": true, "Subscription": [{"Protocol": "sqs", "Endpoint": "\#(q)"}]}"#

    @Test func deliversToTheFIFOQueueWithGroupAndDeduplicationIds() async throws {
        let f = try TopicFixture(queues: ["q.fifo"], topics: [Self.topic])
        let r1 = try await f.topic("t.fifo").publish(message: "one", messageGroupId: "g1")
        let r2 = try await f.topic("t.fifo").publish(message: "two", messageGroupId: "g1", messageDeduplicationId: "d2")
        #expect(r1.sequenceNumber == "10000000000000000001")
        #expect(r2.sequenceNumber == "10000000000000000002")
        let messages = try f.messages("q.fifo")
        #expect(messages.count == 2)
        #expect(messages[0]["Attributes"]?["MessageGroupId"] == "g1")
        #expect(messages[0]["Attributes"]?["MessageDeduplicationId"]?.stringValue == SHA256.hexDigest(of: Array("one".utf8)))
        #expect(messages[1]["Attributes"]?["MessageDeduplicationId"] == "d2")
        let envelope = try JSONParser.parse(try #require(messages[0]["Body"]?.stringValue))
        #expect(envelope["SequenceNumber"] == "10000000000000000001")
    }

    @Test func keepsOrderPerGroupWhileRetrying() async throws {
        let sink = RecordingSubscriptionSink()
        // The first message of g1 fails its first attempt and the 3 immediate retries.
        sink.script(Self.q, Array(repeating: .retriable(code: "ServiceUnavailable", message: "busy"), count: 4))
        let f = try TopicFixture(queues: ["q.fifo"], topics: [Self.topic], sink: sink)
        let topic = try f.topic("t.fifo")
        let m1 = try await topic.publish(message: "g1-first", messageGroupId: "g1")
        let m2 = try await topic.publish(message: "g1-second", messageGroupId: "g1")
        let m3 = try await topic.publish(message: "g2-only", messageGroupId: "g2")
        #expect(m1.deliveries.map(\.status) == [.retrying])
        #expect(m2.deliveries.map(\.status) == [.waiting])
        #expect(m3.deliveries.map(\.status) == [.delivered])
        #expect(await topic.nextRetryTime == f.clock.now + .seconds(1))
        await topic.settle(advancing: f.clock)
        let order = sink.deliveries(to: Self.q).filter { $0.result == .success }.map { try? JSONParser.parse($0.body)["Message"]?.stringValue }
        #expect(order == ["g2-only", "g1-first", "g1-second"])
        let stats = await topic.statistics
        #expect(stats.delivered == 3 && stats.retried == 4 && stats.dropped == 0)
        #expect(await topic.pendingRetries == 0)
    }

    @Test func deduplicatesForFiveMinutesOnTheClock() async throws {
        let f = try TopicFixture(queues: ["q.fifo"], topics: [Self.topic])
        let topic = try f.topic("t.fifo")
        let first = try await topic.publish(message: "same", messageGroupId: "g")
        f.clock.advance(by: .seconds(299))
        let again = try await topic.publish(message: "same", messageGroupId: "g")
        #expect(again.deduplicated && again.messageId == first.messageId && again.sequenceNumber == first.sequenceNumber)
        #expect(again.deliveries.isEmpty)
        #expect(try f.messages("q.fifo").count == 1)
        f.clock.advance(by: .seconds(1))   // 300 s after the first: the window has passed
        let later = try await topic.publish(message: "same", messageGroupId: "g", messageDeduplicationId: SHA256.hexDigest(of: Array("same".utf8)))
        #expect(!later.deduplicated && later.messageId != first.messageId)
        let stats = await topic.statistics
        #expect(stats.published == 2 && stats.deduplicated == 1)
    }

    @Test func explicitDeduplicationIdOverridesTheContent() async throws {
        let f = try TopicFixture(queues: ["q.fifo"], topics: [Self.topic])
        let topic = try f.topic("t.fifo")
        _ = try await topic.publish(message: "a", messageGroupId: "g", messageDeduplicationId: "x")
        let b = try await topic.publish(message: "b", messageGroupId: "g", messageDeduplicationId: "x")
        let c = try await topic.publish(message: "a", messageGroupId: "g")
        #expect(b.deduplicated && !c.deduplicated)
    }

    @Test func fifoPublishNeedsGroupAndDeduplication() async throws {
        let f = try TopicFixture(queues: ["q.fifo"], topics: [Self.topic, #"{"TopicName": "plain.fifo"}"#])
        let noGroup = await topicError { () async throws(TopicError) in _ = try await f.topic("t.fifo").publish(message: "x") }
        #expect(noGroup?.description == "InvalidParameter: Invalid parameter: The MessageGroupId parameter is required for FIFO topics: pass --group-id (MessageGroupId).")
        let noDedup = await topicError { () async throws(TopicError) in _ = try await f.topic("plain.fifo").publish(message: "x", messageGroupId: "g") }
        #expect(noDedup?.description == "InvalidParameter: Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly: pass --dedup-id or set \"ContentBasedDeduplication\": true on the topic.")
    }

    @Test func subscriptionsAreCheckedAgainstTheQueues() throws {
        let missing = try TopicFixture(queues: [], topics: [Self.topic])
        #expect(throws: TopicError(.notFound, "topic t.fifo Subscription[0]: Endpoint \(Self.q) does not exist (there are no queues: declare it in a rule file's Queues).")) {
            try missing.topics.validateSubscriptions()
        }
        let present = try TopicFixture(queues: ["q.fifo"], topics: [Self.topic])
        try present.topics.validateSubscriptions()
    }

    @Test func aStandardTopicRefusesAFIFOQueueAtConfiguration() {
        let error = topicConfigurationError(#"{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "\#(Self.q)"}]}"#)
        #expect(error?.message == "Invalid parameter: topic 't': $.Subscription[0].Endpoint: 'Endpoint' \(Self.q) is a FIFO queue, but FIFO SQS Queues can not be subscribed to standard SNS topics: subscribe a standard queue, or make the topic FIFO")
    }
}
