import Testing
@testable import EventRouter

@Suite struct TopicStateFileOperationsTests {
    static let rules = TopicStateFileOperations.RuleFile(path: "Rules/shop.json", text: """
        {"Account": "111122223333", "Region": "eu-west-1",
         "Queues": [{"QueueName": "billing"}, {"QueueName": "dlq"}],
         "Topics": [{"TopicName": "orders", "Subscription": [
            {"Protocol": "sqs", "Endpoint": "arn:aws:sqs:eu-west-1:111122223333:billing", "FilterPolicy": {"kind": ["order"]}},
            {"Protocol": "lambda", "Endpoint": "arn:aws:lambda:eu-west-1:111122223333:function:audit",
             "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:eu-west-1:111122223333:dlq"}}]}]}
        """)

    @Test func readsTopicsAndQueuesWithTheFileDefaults() throws {
        let d = try TopicStateFileOperations.declarations(in: [Self.rules])
        #expect(d.queues.map(\.arn) == ["arn:aws:sqs:eu-west-1:111122223333:billing", "arn:aws:sqs:eu-west-1:111122223333:dlq"])
        #expect(d.topics.map(\.arn) == ["arn:aws:sns:eu-west-1:111122223333:orders"])
    }

    @Test func ruleFileErrorsNameTheFileAndEntry() {
        let bad = TopicStateFileOperations.RuleFile(path: "Rules/bad.json", text: #"{"Topics": [{"TopicName": "t", "Subscriptions": []}]}"#)
        #expect(throws: TopicError(.invalidParameter, "Rules/bad.json: Topics[0]: Invalid parameter: topic 't': $.Subscriptions: unknown key 'Subscriptions' in an entry of Topics (did you mean 'Subscription'?); allowed: TopicName, FifoTopic, ContentBasedDeduplication, Subscription, Account, Region")) {
            try TopicStateFileOperations.declarations(in: [bad])
        }
        #expect(throws: TopicError.invalidParameter("Rules/x.json: Topics is an object: write a list of objects.")) {
            try TopicStateFileOperations.declarations(in: [.init(path: "Rules/x.json", text: #"{"Topics": {}}"#)])
        }
    }

    @Test func attributeShorthandsAndTheAWSShape() throws {
        let a = try TopicStateFileOperations.parseAttributes(#"{"k": "v", "n": 3, "t": ["a", 1], "x": {"DataType": "Number", "StringValue": "4"}, "b": {"DataType": "Binary", "BinaryValue": "AQID"}}"#)
        #expect(a["k"] == .string("v"))
        #expect(a["n"] == .number("3"))
        #expect(a["t"] == MessageAttributeValue(dataType: "String.Array", stringValue: #"["a",1]"#))
        #expect(a["x"] == .number("4"))
        #expect(a["b"] == .binary([1, 2, 3]))
        #expect(throws: TopicError(.invalidParameterValue, "--attributes: attribute 'k' has no DataType: write {\"DataType\": \"String\", \"StringValue\": \"…\"}.")) {
            try TopicStateFileOperations.parseAttributes(#"{"k": {"StringValue": "v"}}"#)
        }
    }

    @Test func publishRestoresFansOutAndWritesTheState() async throws {
        let d = try TopicStateFileOperations.declarations(in: [Self.rules])
        let clock = ManualClock()
        let state: JSONValue = ["queues": [:], "deliveries": ["succeeded": 1]]
        let out = try await TopicStateFileOperations.publish(
            TopicMessage(message: "hi", attributes: ["kind": .string("order")]), topic: "orders", declarations: d, state: state, clock: clock)
        #expect(out.output["TopicArn"] == "arn:aws:sns:eu-west-1:111122223333:orders")
        #expect(out.output["Deliveries"]?.arrayValue?.map { $0["Status"] } == ["delivered", "deadLettered"])
        #expect(out.output["Statistics"]?["deadLettered"] == 1)
        #expect(out.output["Undelivered"]?.arrayValue?.first?["ErrorCode"] == "EndpointUnavailable")
        #expect(out.state["deliveries"]?["succeeded"] == 1)   // other keys are kept
        let billing = out.state["queues"]?["arn:aws:sqs:eu-west-1:111122223333:billing"]?["messages"]?.arrayValue ?? []
        #expect(billing.count == 1)
        // A second run restores the first run's messages.
        let again = try await TopicStateFileOperations.publish(
            TopicMessage(message: "again", attributes: ["kind": .string("order")]), topic: "arn:aws:sns:eu-west-1:111122223333:orders",
            declarations: d, state: out.state, clock: ManualClock())
        #expect(again.state["queues"]?["arn:aws:sqs:eu-west-1:111122223333:billing"]?["messages"]?.arrayValue?.count == 2)
    }

    @Test func publishReportsAMissingEndpointQueue() async throws {
        let d = try TopicStateFileOperations.declarations(in: [.init(path: "Rules/t.json", text: #"{"Topics": [{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:nope"}]}]}"#)])
        do {
            _ = try await TopicStateFileOperations.publish(TopicMessage(message: "x"), topic: "t", declarations: d, state: ["queues": [:]], clock: ManualClock())
            Issue.record("a missing queue should be reported")
        } catch let error as TopicError {
            #expect(error.description == "NotFound: topic t Subscription[0]: Endpoint arn:aws:sqs:us-east-1:123456789012:nope does not exist (there are no queues: declare it in a rule file's Queues).")
        }
    }
}
