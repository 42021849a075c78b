import Testing
@testable import EventRouter

/// Rules → topic targets → subscriptions (queues, functions) and function destinations → topics.
@Suite struct WiringTopicTargetTests {
    static let account = "123456789012"
    static func queueArn(_ name: String) -> String { "arn:aws:sqs:us-east-1:\(account):\(name)" }
    static func functionArn(_ name: String) -> String { "arn:aws:lambda:us-east-1:\(account):function:\(name)" }
    static let topicArn = "arn:aws:sns:us-east-1:123456789012:orders"

    static let rules = #"""
    {"Queues": [{"QueueName": "all"}, {"QueueName": "big"}, {"QueueName": "ok"}, {"QueueName": "dlq"}],
     "Topics": [{"TopicName": "orders", "Subscription": [
        {"Protocol": "sqs", "Endpoint": "\#(queueArn("all"))", "RawMessageDelivery": true},
        {"Protocol": "sqs", "Endpoint": "\#(queueArn("big"))", "RawMessageDelivery": true, "FilterPolicyScope": "MessageBody",
         "FilterPolicy": {"detail": {"total": [{"numeric": [">", 100]}]}}},
        {"Protocol": "lambda", "Endpoint": "\#(functionArn("count"))"}]}],
     "Rules": [{"Name": "r", "EventPattern": {"source": ["shop"]},
                "Targets": [{"Id": "t", "Arn": "\#(topicArn)", "DeadLetterConfig": {"Arn": "\#(queueArn("dlq"))"}}]}]}
    """#

    static func replay(_ events: [String], rules: String, functions: [FunctionManifest], registry: SwiftFunctionRegistry) async throws -> (ReplaySummary, RouterRuntime) {
        let loaded = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: rules)], functions: functions)
        let workspace = try #require(loaded.workspace, "\(loaded.problems)")
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        let options = ReplayRunner.Options(virtualTime: true, seed: 4, functionRegistry: registry, functionTimeoutClock: ManualClock())
        return try await ReplayRunner.run(text: events.joined(separator: "\n"), workspace: workspace, options: options)
    }

    static func bodies(_ runtime: RouterRuntime, _ queue: String) throws -> [JSONValue] {
        try (runtime.stateJSON()["queues"]?[queueArn(queue)]?["messages"]?.arrayValue ?? []).map { try JSONParser.parse($0["Body"]?.stringValue ?? "") }
    }

    @Test func aTopicTargetFansOutToQueuesByFilterPolicyAndToFunctions() async throws {
        let registry = SwiftFunctionRegistry()
        registry.register("Count") { payload, _ in
            let message = payload["Records"]?.arrayValue?.first?["Sns"]?["Message"]?.stringValue ?? ""
            return ["total": (try? JSONParser.parse(message))?["detail"]?["total"] ?? .null]
        }
        let count = FunctionManifest(name: "count", handler: "Count", onSuccessDestination: Self.queueArn("ok"))
        let events = [#"{"detail-type": "Placed", "source": "shop", "detail": {"total": 250}}"#,
                      #"{"detail-type": "Placed", "source": "shop", "detail": {"total": 5}}"#]
        let (summary, runtime) = try await Self.replay(events, rules: Self.rules, functions: [count], registry: registry)
        #expect(summary.settleProblem == nil)
        #expect(summary.deliveries.succeeded == 2)
        #expect(try Self.bodies(runtime, "all").compactMap { $0["detail"]?["total"]?.intValue }.sorted() == [5, 250])
        #expect(try Self.bodies(runtime, "big").compactMap { $0["detail"]?["total"]?.intValue } == [250])
        #expect(try Self.bodies(runtime, "ok").compactMap { $0["responsePayload"]?["total"]?.intValue }.sorted() == [5, 250])
        let topic = try #require(summary.topics.first)
        #expect(topic.statistics.published == 2)
        #expect(topic.statistics.delivered == 5)
        #expect(topic.statistics.filtered == 1)
        #expect(summary.text.contains("topics:\n  orders           published 2, delivered 5, filtered 1, retried 0, dead-lettered 0, dropped 0\n"))
        let state = await runtime.completeStateJSON()
        #expect(state["topics"]?[Self.topicArn]?["published"] == 2)
    }

    @Test func aFunctionDestinationPublishesTheRecordToATopic() async throws {
        let registry = SwiftFunctionRegistry()
        registry.register("Count") { _, _ in ["counted": true] }
        let rules = #"""
        {"Queues": [{"QueueName": "ok"}],
         "Topics": [{"TopicName": "results", "Subscription": [{"Protocol": "sqs", "Endpoint": "\#(Self.queueArn("ok"))"}]}],
         "Rules": [{"Name": "r", "EventPattern": {"source": ["shop"]}, "Targets": [{"Id": "f", "Arn": "\#(Self.functionArn("count"))"}]}]}
        """#
        let count = FunctionManifest(name: "count", handler: "Count", onSuccessDestination: "arn:aws:sns:us-east-1:123456789012:results")
        let (_, runtime) = try await Self.replay([#"{"detail-type": "Placed", "source": "shop", "detail": {}}"#], rules: rules,
                                                 functions: [count], registry: registry)
        let envelopes = try Self.bodies(runtime, "ok")
        try #require(envelopes.count == 1)
        #expect(envelopes[0]["Type"] == "Notification")
        #expect(envelopes[0]["TopicArn"] == "arn:aws:sns:us-east-1:123456789012:results")
        let record = try JSONParser.parse(envelopes[0]["Message"]?.stringValue ?? "")
        #expect(record["requestContext"]?["condition"] == "Success")
        #expect(record["responsePayload"] == ["counted": true])
    }

    static func problems(_ text: String, functions: [FunctionManifest] = []) -> [String] {
        WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: text)], functions: functions).problems.map(\.description)
    }

    @Test(arguments: [
        (#"{"Topics": [{"TopicName": "orders"}], "Rules": [{"Name": "r", "EventPattern": {"source": ["s"]}, "Targets": [{"Id": "t", "Arn": "arn:aws:sns:us-east-1:123456789012:order"}]}]}"#,
         "Rules/a.json: $.Rules[0].Targets[0].Arn: error: arn:aws:sns:us-east-1:123456789012:order names the topic 'order', which no rule file declares in account 123456789012 (did you mean 'orders'?); declare it under Topics"),
        (#"{"Topics": [{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:nope"}]}]}"#,
         "Rules/a.json: $.Topics[0].Subscription[0].Endpoint: error: arn:aws:sqs:us-east-1:123456789012:nope names the queue 'nope', which no rule file declares in account 123456789012; declare it under Queues"),
        (#"{"Topics": [{"TopicName": "t", "Subscription": [{"Protocol": "lambda", "Endpoint": "arn:aws:lambda:us-east-1:123456789012:function:ech"}]}]}"#,
         "Rules/a.json: $.Topics[0].Subscription[0].Endpoint: error: arn:aws:lambda:us-east-1:123456789012:function:ech names the function 'ech', which Functions/ does not hold for account 123456789012 (did you mean 'echo'?); add Functions/ech/function.json"),
        (#"{"Queues": [{"QueueName": "q.fifo", "FifoQueue": true}], "Topics": [{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q.fifo"}]}]}"#,
         "Rules/a.json: $.Topics[0].Subscription[0].Endpoint: error: 'Endpoint' arn:aws:sqs:us-east-1:123456789012:q.fifo is a FIFO queue, but FIFO SQS Queues can not be subscribed to standard SNS topics: subscribe a standard queue, or make the topic FIFO"),
        (#"{"Topics": [{"TopicName": "t.fifo", "FifoTopic": true}], "Rules": [{"Name": "r", "EventPattern": {"source": ["s"]}, "Targets": [{"Id": "t", "Arn": "arn:aws:sns:us-east-1:123456789012:t.fifo"}]}]}"#,
         "Rules/a.json: $.Rules[0].Targets[0]: error: the target is a FIFO topic, so it needs SqsParameters.MessageGroupId"),
        (#"{"Topics": [{"TopicName": "t", "Subscriptions": []}]}"#,
         "Rules/a.json: $.Topics[0].Subscriptions: error: unknown key 'Subscriptions' in an entry of Topics (did you mean 'Subscription'?); allowed: TopicName, FifoTopic, ContentBasedDeduplication, Subscription, Account, Region"),
    ])
    func topicProblems(text: String, message: String) {
        #expect(Self.problems(text, functions: [FunctionManifest(name: "echo")]) == [message])
    }

    @Test func aFifoTopicTargetWithAGroupValidates() {
        let text = #"{"Topics": [{"TopicName": "t.fifo", "FifoTopic": true}], "Rules": [{"Name": "r", "EventPattern": {"source": ["s"]}, "Targets": [{"Id": "t", "Arn": "arn:aws:sns:us-east-1:123456789012:t.fifo", "SqsParameters": {"MessageGroupId": "g"}}]}]}"#
        #expect(Self.problems(text).isEmpty)
    }
}
