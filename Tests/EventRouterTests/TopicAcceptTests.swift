import Testing
@testable import EventRouter

/// `Topic.accept` then `Topic.fanOut`: the two halves of a publish (SNS answers in between).
@Suite struct TopicAcceptTests {
    static let topics = [#"{"TopicName": "orders", "Subscription": [{"Protocol": "sqs", "Endpoint": "\#(queueArn("a"))"}, {"Protocol": "sqs", "Endpoint": "\#(queueArn("b"))"}]}"#]

    @Test func acceptGivesTheIdAndDeliversNothingUntilFannedOut() async throws {
        let f = try TopicFixture(queues: ["a", "b"], topics: Self.topics)
        let topic = try f.topic("orders")
        let accepted = try await topic.accept(TopicMessage(message: "hello"))
        #expect(!accepted.result.messageId.isEmpty && accepted.result.deliveries.isEmpty)
        #expect(try f.bodies("a").isEmpty && f.bodies("b").isEmpty)
        let result = await topic.fanOut(accepted)
        #expect(result.messageId == accepted.result.messageId)
        #expect(result.deliveries.map(\.status) == [.delivered, .delivered])
        #expect(try f.bodies("a").count == 1 && f.bodies("b").count == 1)
        let statistics = await topic.statistics
        #expect(statistics.published == 1 && statistics.delivered == 2)
    }

    @Test func aSubscriptionAddedAfterAcceptGetsNothingOfThatMessage() async throws {
        let f = try TopicFixture(queues: ["a", "b", "c"], topics: Self.topics)
        let topic = try f.topic("orders")
        let accepted = try await topic.accept(TopicMessage(message: "hello"))
        _ = try topic.subscribe(SubscriptionConfiguration(endpointProtocol: .sqs, endpoint: queueArn("c"), arn: topic.arn + ":c"))
        #expect(await topic.fanOut(accepted).deliveries.count == 2)
        #expect(try f.bodies("c").isEmpty)
    }

    @Test func anInvalidMessageIsRefusedByAccept() async throws {
        let f = try TopicFixture(queues: ["a", "b"], topics: Self.topics)
        let topic = try f.topic("orders")
        let error = await topicError { () async throws(TopicError) in _ = try await topic.accept(TopicMessage(message: "x", groupId: "g")) }
        #expect(error?.message == "Invalid parameter: MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type: drop it, or publish to a FIFO topic.")
    }
}
