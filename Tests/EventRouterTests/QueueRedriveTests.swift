import Testing
@testable import EventRouter

@Suite struct QueueRedriveTests {
    static let dlqArn = "arn:aws:sqs:us-east-1:123456789012:orders-dlq"

    static func registry(maxReceiveCount: Int = 2, retention: Int = 345_600, dlqRetention: Int = 345_600) throws -> (ManualClock, QueueRegistry, MessageQueue, MessageQueue) {
        let clock = ManualClock()
        let registry = QueueRegistry(clock: clock, seed: 1)
        let queues = try registry.createQueues([
            QueueConfiguration(name: "orders", messageRetentionPeriod: retention, redrivePolicy: .init(deadLetterTargetArn: dlqArn, maxReceiveCount: maxReceiveCount)),
            QueueConfiguration(name: "orders-dlq", messageRetentionPeriod: dlqRetention),
        ])
        return (clock, registry, queues[0], queues[1])
    }

    @Test func movesToTheDeadLetterQueueAfterMaxReceiveCount() async throws {
        let (clock, registry, source, dlq) = try Self.registry(maxReceiveCount: 2)
        let sent = try await source.sendMessage(body: "poison", attributes: ["a": .string("b")])
        for _ in 0..<2 {
            #expect(try await source.receiveMessages().count == 1)
            clock.advance(by: .seconds(30))
        }
        #expect(try await source.receiveMessages().isEmpty)
        #expect(try await source.statistics().total == 0)
        let m = try #require(try await dlq.receiveMessages().first)
        #expect(m.messageId == sent.messageId)
        #expect(m.body == "poison")
        #expect(m.messageAttributes["a"] == .string("b"))
        #expect(m.attributes["DeadLetterQueueSourceArn"] == source.arn)
        withExtendedLifetime(registry) {}
    }

    @Test func deadLetterRetentionCountsFromTheOriginalEnqueueTime() async throws {
        let (clock, registry, source, dlq) = try Self.registry(maxReceiveCount: 1, dlqRetention: 120)
        _ = try await source.sendMessage(body: "x")
        _ = try await source.receiveMessages(visibilityTimeout: 100)
        clock.advance(by: .seconds(100))
        #expect(try await source.receiveMessages().isEmpty)
        #expect(try await dlq.statistics().visible == 1)
        clock.advance(by: .seconds(20))
        #expect(try await dlq.statistics().total == 0)
        withExtendedLifetime(registry) {}
    }

    @Test func moveTaskReturnsMessagesToTheirSource() async throws {
        let (clock, registry, source, dlq) = try Self.registry(maxReceiveCount: 1)
        for i in 0..<3 { _ = try await source.sendMessage(body: "m\(i)") }
        _ = try await source.receiveMessages(maxNumberOfMessages: 10)
        clock.advance(by: .seconds(30))
        #expect(try await source.receiveMessages(maxNumberOfMessages: 10).isEmpty)
        #expect(try await dlq.statistics().visible == 3)
        let result = try await registry.startMessageMoveTask(sourceArn: dlq.arn)
        #expect(result.moved == 3 && result.failed == 0)
        #expect(result.byDestination == [source.arn: 3])
        let back = try await source.receiveMessages(maxNumberOfMessages: 10)
        #expect(back.map(\.body) == ["m0", "m1", "m2"])
        #expect(back.allSatisfy { $0.attributes["ApproximateReceiveCount"] == "1" && $0.attributes["DeadLetterQueueSourceArn"] == nil })
    }

    @Test func moveTaskNeedsADeadLetterQueue() async throws {
        let (_, registry, source, _) = try Self.registry()
        let error = await queueError { () async throws(QueueError) in _ = try await registry.startMessageMoveTask(sourceArn: source.arn) }
        #expect(error?.code == .invalidParameterValue)
        #expect(error?.message.contains("Source queue must be configured as a Dead Letter Queue") == true)
        let missing = await queueError { () async throws(QueueError) in _ = try await registry.startMessageMoveTask(sourceArn: "nope") }
        #expect(missing?.code == .resourceNotFound)
    }

    @Test func deadLetterQueueMustExistAndBeOfTheSameType() throws {
        let registry = QueueRegistry(clock: ManualClock())
        let missing = #expect(throws: QueueError.self) {
            try registry.createQueues([QueueConfiguration(name: "a", redrivePolicy: .init(deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:none", maxReceiveCount: 3))])
        }
        #expect(missing?.message.contains("Dead letter target does not exist") == true)
        let registry2 = QueueRegistry(clock: ManualClock())
        let mixed = #expect(throws: QueueError.self) {
            try registry2.createQueues([
                QueueConfiguration(name: "a.fifo", contentBasedDeduplication: true, redrivePolicy: .init(deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:dlq", maxReceiveCount: 3)),
                QueueConfiguration(name: "dlq"),
            ])
        }
        #expect(mixed?.message.contains("Dead-letter queue must be same type of queue as the source") == true)
    }

    @Test(arguments: [
        (QueueConfiguration.RedriveAllowPolicy.allowAll, true),
        (.denyAll, false),
        (.byQueue(["arn:aws:sqs:us-east-1:123456789012:src"]), true),
        (.byQueue(["arn:aws:sqs:us-east-1:123456789012:other"]), false),
    ])
    func redriveAllowPolicy(policy: QueueConfiguration.RedriveAllowPolicy, allowed: Bool) throws {
        let registry = QueueRegistry(clock: ManualClock())
        let configurations = [
            QueueConfiguration(name: "src", redrivePolicy: .init(deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:dlq", maxReceiveCount: 3)),
            QueueConfiguration(name: "dlq", redriveAllowPolicy: policy),
        ]
        if allowed {
            try registry.createQueues(configurations)
        } else {
            let error = #expect(throws: QueueError.self) { try registry.createQueues(configurations) }
            #expect(error?.message.contains("RedriveAllowPolicy of dlq does not allow this source queue") == true)
        }
    }

    @Test func fifoRedriveKeepsGroupOrderBehind() async throws {
        let clock = ManualClock()
        let registry = QueueRegistry(clock: clock)
        let queues = try registry.createQueues([
            QueueConfiguration(name: "f.fifo", contentBasedDeduplication: true, redrivePolicy: .init(deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:d.fifo", maxReceiveCount: 1)),
            QueueConfiguration(name: "d.fifo"),
        ])
        _ = try await queues[0].sendMessage(body: "bad", groupId: "G")
        _ = try await queues[0].sendMessage(body: "good", groupId: "G")
        #expect(try await queues[0].receiveMessages().map(\.body) == ["bad"])
        clock.advance(by: .seconds(30))
        #expect(try await queues[0].receiveMessages().map(\.body) == ["good"])
        let dead = try #require(try await queues[1].receiveMessages().first)
        #expect(dead.body == "bad" && dead.attributes["MessageGroupId"] == "G")
    }
}
