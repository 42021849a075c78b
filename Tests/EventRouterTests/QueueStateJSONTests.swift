import Testing
@testable import EventRouter

@Suite struct QueueStateJSONTests {
    @Test func roundTripsMessagesAttributesAndInFlightState() async throws {
        let clock = ManualClock()
        let registry = QueueRegistry(clock: clock, seed: 3)
        let queues = try registry.createQueues([
            QueueConfiguration(name: "src", visibilityTimeout: 60, redrivePolicy: .init(deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:dlq", maxReceiveCount: 5)),
            QueueConfiguration(name: "dlq"),
            QueueConfiguration(name: "g.fifo", contentBasedDeduplication: true),
        ])
        _ = try await queues[0].sendMessage(body: "{\"a\":1}", attributes: ["ERROR_CODE": .string("X"), "bin": .binary([0, 255, 7])])
        _ = try await queues[0].sendMessage(body: "second")
        let inFlight = try #require(try await queues[0].receiveMessages().first)
        _ = try await queues[2].sendMessage(body: "f", groupId: "G")
        let state = registry.stateJSON()
        let text = state.jsonText
        let src = try #require(state["arn:aws:sqs:us-east-1:123456789012:src"])
        let messages = try #require(src["messages"]?.arrayValue)
        #expect(messages.count == 2)
        #expect(messages[0]["Body"] == "{\"a\":1}")
        #expect(messages[0]["MessageAttributes"]?["ERROR_CODE"] == ["DataType": "String", "StringValue": "X"])
        #expect(messages[0]["MessageAttributes"]?["bin"]?["BinaryValue"] == "AP8H")
        #expect(messages[0]["Attributes"]?["VisibilityState"] == "InFlight")
        #expect(src["Attributes"]?["VisibilityTimeout"] == "60")

        // Restore into a fresh registry (as the CLI does), later in time.
        let parsed = try JSONParser.parse(text)
        let clock2 = ManualClock(start: try #require(try QueueRegistry.snapshotTime(in: parsed)))
        let restored = QueueRegistry(clock: clock2, seed: 9)
        try restored.restore(stateJSON: parsed)
        let src2 = try restored.queue(named: "src")
        #expect(src2.configuration.visibilityTimeout == 60)
        #expect(src2.configuration.redrivePolicy?.maxReceiveCount == 5)
        #expect(try await src2.statistics() == QueueStatistics(visible: 1, notVisible: 1, delayed: 0))
        // The receipt handle from before the save still deletes.
        #expect(try await src2.deleteMessage(receiptHandle: inFlight.receiptHandle))
        let next = try #require(try await src2.receiveMessages().first)
        #expect(next.body == "second")
        let fifo = try restored.queue(named: "g.fifo")
        #expect(fifo.configuration.fifo && fifo.configuration.contentBasedDeduplication)
        let g = try #require(try await fifo.receiveMessages().first)
        #expect(g.attributes["MessageGroupId"] == "G" && g.attributes["SequenceNumber"] != nil)
        let again = try await fifo.sendMessage(body: "g2", groupId: "G")
        #expect(try #require(again.sequenceNumber) > (g.attributes["SequenceNumber"] ?? ""))
    }

    @Test func minimalContractEntriesRestore() async throws {
        let json = try JSONParser.parse(#"{"arn:aws:sqs:us-east-1:123456789012:q": {"messages": [{"MessageId": "m1", "Body": "hi", "MessageAttributes": {}, "Attributes": {}}]}}"#)
        let registry = QueueRegistry(clock: ManualClock())
        try registry.restore(stateJSON: json)
        let m = try #require(try await registry.queue(named: "q").receiveMessages().first)
        #expect(m.messageId == "m1" && m.body == "hi")
    }

    @Test(arguments: [
        (#"{"not-an-arn": {"messages": []}}"#, "State key 'not-an-arn' under \"queues\" is not a queue ARN"),
        (#"{"arn:aws:sqs:r:123456789012:q": {"messages": [{"MessageId": "m"}]}}"#, "queues[\"arn:aws:sqs:r:123456789012:q\"].messages[0] has no Body string"),
        (#"{"arn:aws:sqs:r:123456789012:q": {"messages": [{"MessageId": "m", "Body": "b", "Attributes": {"VisibilityState": "Gone"}}]}}"#, "Attributes.VisibilityState of queues[\"arn:aws:sqs:r:123456789012:q\"].messages[0] is 'Gone'"),
        (#"{"arn:aws:sqs:r:123456789012:q": {"messages": [{"MessageId": "m", "Body": "b", "Attributes": {"SentTimestamp": "yesterday"}}]}}"#, "Attributes.SentTimestamp of queues[\"arn:aws:sqs:r:123456789012:q\"].messages[0] is \"yesterday\""),
        (#"{"arn:aws:sqs:r:123456789012:q": {"messages": 3}}"#, "\"messages\" of queue arn:aws:sqs:r:123456789012:q is a number"),
    ])
    func badStateSaysWhere(json: String, message: String) throws {
        let registry = QueueRegistry(clock: ManualClock())
        let error = #expect(throws: QueueError.self) { try registry.restore(stateJSON: try JSONParser.parse(json)) }
        #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "")")
    }
}
