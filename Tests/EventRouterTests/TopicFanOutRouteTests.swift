import Testing
import EventRouterTesting
@testable import EventRouter

/// A standard topic resolves each subscription's endpoint once and keeps it (a queue: the queue
/// itself, `Topic+FanOut.swift`); what is delivered must not depend on that: a queue deleted or
/// created again, a target registered later, and bodies a queue refuses behave as without it.
@Suite struct TopicFanOutRouteTests {
    static let q = queueArn("q")
    static let dlq = queueArn("dlq")
    static let topic = #"{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "\#(q)", "RedrivePolicy": {"deadLetterTargetArn": "\#(dlq)"}}]}"#

    @Test func aQueueDeletedAfterTheRouteIsKeptIsANonExistentQueueAndOneCreatedAgainReceives() async throws {
        let f = try TopicFixture(queues: ["q", "dlq"], topics: [Self.topic])
        let topic = try f.topic("t")
        #expect(try await topic.publish(message: "first").deliveries.map(\.status) == [.delivered])
        try f.queues.deleteQueue("q")
        #expect(try await topic.publish(message: "second").deliveries.map(\.status) == [.deadLettered])
        let dead = try #require(try f.messages("dlq").first)
        #expect(dead["MessageAttributes"]?["ErrorCode"]?["StringValue"] == "AWS.SimpleQueueService.NonExistentQueue")
        #expect(dead["MessageAttributes"]?["ErrorMessage"]?["StringValue"]
                == .string("The specified queue does not exist or you do not have access to it. (\(Self.q))"))
        try f.queues.createQueue(QueueConfiguration(name: "q", contentBasedDeduplication: false))
        #expect(try await topic.publish(message: "third").deliveries.map(\.status) == [.delivered])
        let bodies = try f.bodies("q")
        #expect(bodies.count == 1 && bodies[0].contains(#""Message":"third""#))
    }

    @Test func aTargetRegisteredForTheEndpointLaterReceivesTheNextDelivery() async throws {
        let clock = ManualClock()
        let queues = QueueRegistry(clock: clock, seed: 3)
        try queues.createQueue(QueueConfiguration(name: "q", contentBasedDeduplication: false))
        let targets = TargetRegistry()
        targets.registerProvider(forService: "sqs") { [sqs = QueueTarget(queues: queues)] _ in sqs }
        let topics = TopicRegistry(clock: clock, targets: targets, queues: queues, retryPolicy: .awsManagedEndpoints, retryTimer: false, seed: 11)
        let topic = try topics.createTopic(topicConfiguration(#"{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "\#(Self.q)"}]}"#))
        _ = try await topic.publish(message: "to the queue")
        let sink = RecordingSubscriptionSink()
        targets.register(sink, for: Self.q)
        _ = try await topic.publish(message: "to the sink")
        targets.unregister(Self.q)
        _ = try await topic.publish(message: "to the queue again")
        #expect(sink.deliveries(to: Self.q).count == 1)
        #expect(try queues.queue(named: "q").stateJSON()["messages"]?.arrayValue?.count == 2)
    }

    /// With faults injected (scenarios) the topic keeps no bound queue: each attempt asks the
    /// fault plan once, through the registry.
    @Test func anInjectedFaultIsAskedOncePerAttempt() async throws {
        let clock = ManualClock()
        let queues = QueueRegistry(clock: clock, seed: 3)
        try queues.createQueue(QueueConfiguration(name: "q", contentBasedDeduplication: false))
        let plan = FaultPlan(faults: [.init(arn: Self.q, effect: .delivery(code: DeliveryOutcome.Code.throttling, message: "slow down"), when: .first(2))],
                             clock: clock)
        let targets = TargetRegistry(faults: plan)
        targets.registerProvider(forService: "sqs") { [sqs = QueueTarget(queues: queues)] _ in sqs }
        let topics = TopicRegistry(clock: clock, targets: targets, queues: queues, retryPolicy: .awsManagedEndpoints, retryTimer: false, seed: 11)
        let topic = try topics.createTopic(topicConfiguration(#"{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "\#(Self.q)"}]}"#))
        #expect(try await topic.publish(message: "m").deliveries.map(\.status) == [.delivered])   // two immediate retries
        #expect(plan.firedCounts == [2])
        let statistics = await topic.statistics
        #expect(statistics.retried == 2 && statistics.delivered == 1)
        #expect(try queues.queue(named: "q").stateJSON()["messages"]?.arrayValue?.count == 1)
    }

    /// The envelope's parts are checked once per message: a noncharacter in the message still
    /// makes every queue refuse the envelope (the dead-letter queue too: dropped), and control
    /// characters (escaped in the JSON) do not.
    @Test(arguments: [("a\u{FFFF}b", false), ("a\u{FFFE}", false), ("tab\t ctl \u{1} \u{7}", true), ("plain", true)])
    func anEnvelopeIsRefusedExactlyWhenItsTextIsNotPlain(_ message: String, _ accepted: Bool) async throws {
        let f = try TopicFixture(queues: ["q", "dlq"], topics: [Self.topic])
        let topic = try f.topic("t")
        let result = try await topic.publish(message: message)
        #expect(result.deliveries.map(\.status) == [accepted ? .delivered : .dropped])
        #expect(try f.bodies("q").count == (accepted ? 1 : 0))
        if !accepted {
            let record = try #require(await topic.undelivered.first)
            #expect(record.errorCode == "InvalidMessageContents" && record.errorMessage.hasPrefix("Invalid binary character '#xFFF"))
            #expect(record.deadLetterError?.hasPrefix("InvalidMessageContents") == true)
        }
    }

    @Test func aSubscriptionAddedOrRemovedBetweenPublishesIsServedInOrder() async throws {
        let f = try TopicFixture(queues: ["q", "r"], topics: [#"{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "\#(Self.q)"}]}"#])
        let topic = try f.topic("t")
        _ = try await topic.publish(message: "one")
        let (added, _) = try topic.subscribe(SubscriptionConfiguration(endpointProtocol: .sqs, endpoint: queueArn("r"), arn: topic.arn + ":sub-r"))
        let two = try await topic.publish(message: "two")
        #expect(two.deliveries.map(\.endpoint) == [Self.q, queueArn("r")])
        topic.unsubscribe(arn: topic.configuration.subscriptions[0].arn)
        let three = try await topic.publish(message: "three")
        #expect(three.deliveries.map(\.subscriptionArn) == [added.arn])
        #expect(try f.bodies("q").count == 2 && f.bodies("r").count == 2)
        #expect(try f.bodies("r").allSatisfy { $0.contains(added.arn) })
    }
}
