import Testing
@testable import EventRouter

@Suite struct WiringStreamTargetTests {
    static let streamArn = "arn:aws:kinesis:us-east-1:123456789012:stream/orders"

    static func event(_ detail: JSONValue, id: String = "e-1") -> Event {
        Event(id: id, detailType: "Placed", source: "shop", account: "123456789012", time: Timestamp(nanosecondsSinceEpoch: 0),
              region: "us-east-1", resources: [], detail: detail)
    }

    static func delivery(_ detail: String, path: String?, id: String = "e-1") -> TargetDelivery {
        TargetDelivery(targetArn: streamArn, body: "{\"x\":1}", event: event((try? JSONParser.parse(detail)) ?? .null, id: id), ruleArn: "arn:aws:events:us-east-1:123456789012:rule/r",
                       partitionKeyPath: path)
    }

    static func target() throws -> (StreamTarget, DataStream) {
        let registry = StreamRegistry(clock: ManualClock())
        let stream = try registry.create(StreamConfiguration(name: "orders"))
        return (StreamTarget(streams: registry), stream)
    }

    static func keys(_ stream: DataStream) -> [String] {
        let shards = stream.stateJSON()["shards"]?.arrayValue ?? []
        return shards.flatMap { ($0["records"]?.arrayValue ?? []).compactMap { $0["PartitionKey"]?.stringValue } }
    }

    @Test(arguments: [
        (nil as String?, #"{"orderId": "o-1"}"#, "e-1"),
        ("$.detail.orderId", #"{"orderId": "o-1"}"#, "o-1"),
        ("$.detail.n", #"{"n": 42}"#, "42"),
        ("$.detail.flag", #"{"flag": true}"#, "true"),
        ("$.source", "{}", "shop"),
    ])
    func partitionKeyComesFromThePathOrTheEventId(path: String?, detail: String, key: String) async throws {
        let (target, stream) = try Self.target()
        let outcome = await target.deliver(Self.delivery(detail, path: path))
        #expect(outcome == .success)
        #expect(Self.keys(stream) == [key])
        let data = stream.stateJSON()["shards"]?.arrayValue?.first?["records"]?.arrayValue?.first?["Data"]?.stringValue
        #expect(data == "{\"x\":1}")
    }

    @Test(arguments: [
        ("$.detail.missing", #"{"orderId": "o-1"}"#,
         "KinesisParameters.PartitionKeyPath '$.detail.missing' selects nothing in event e-1; every event this rule matches needs a value there (or drop PartitionKeyPath to use the event id)"),
        ("$.detail.customer", #"{"customer": {"name": "Ada"}}"#,
         "KinesisParameters.PartitionKeyPath '$.detail.customer' selects an object in event e-1; it must select a string or a number"),
        ("$.detail.id", #"{"id": null}"#,
         "KinesisParameters.PartitionKeyPath '$.detail.id' selects null in event e-1; it must select a string or a number"),
        ("$.detail.id", #"{"id": ""}"#,
         "KinesisParameters.PartitionKeyPath '$.detail.id' selects an empty string in event e-1; a partition key must not be empty"),
    ])
    func aPathThatSelectsNoKeyFailsWithoutRetries(path: String, detail: String, message: String) async throws {
        let (target, stream) = try Self.target()
        let outcome = await target.deliver(Self.delivery(detail, path: path))
        #expect(outcome == .nonRetriable(code: "INVALID_INPUT", message: message))
        #expect(Self.keys(stream).isEmpty)
    }

    @Test func anUnknownStreamIsNoResource() async throws {
        let target = StreamTarget(streams: StreamRegistry(clock: ManualClock()))
        let outcome = await target.deliver(Self.delivery("{}", path: nil))
        guard case .nonRetriable(let code, let message) = outcome else {
            Issue.record("expected a non-retriable failure, got \(outcome)")
            return
        }
        #expect(code == "NO_RESOURCE")
        #expect(message.contains("not found"))
    }

    @Test func aShardOverItsLimitIsRetriableThrottling() async throws {
        let registry = StreamRegistry(clock: ManualClock())
        let stream = try registry.create(StreamConfiguration(name: "orders"), limits: StreamLimits(writeRecordsPerSecond: 1))
        let target = StreamTarget(streams: registry)
        #expect(await target.deliver(Self.delivery("{}", path: nil)) == .success)
        let second = await target.deliver(Self.delivery("{}", path: nil, id: "e-2"))
        guard case .retriable(let code, _) = second else {
            Issue.record("expected a retriable failure, got \(second)")
            return
        }
        #expect(code == "THROTTLING")
        #expect(Self.keys(stream) == ["e-1"])
    }

    /// Issue 5, Done when: 3,000 events at once into a rule whose target is a 1-shard stream
    /// all end up in the stream, some of them after throttling and retries.
    @Test func aBurstOf3000EventsIntoOneShardIsDeliveredLaterNotLost() async throws {
        let rules = #"""
        {"Streams": [{"Name": "burst", "ShardCount": 1}],
         "Queues": [{"QueueName": "dlq"}],
         "Rules": [{"Name": "all", "EventPattern": {"source": ["load"]},
                    "Targets": [{"Id": "s", "Arn": "arn:aws:kinesis:us-east-1:123456789012:stream/burst",
                                 "KinesisParameters": {"PartitionKeyPath": "$.detail.n"},
                                 "DeadLetterConfig": {"Arn": "arn:aws:sqs:us-east-1:123456789012:dlq"}}]}]}
        """#
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: rules)]).workspace)
        let lines = (0..<3000).map { #"{"Source":"load","DetailType":"Tick","Detail":"{\"n\":\#($0)}"}"# }.joined(separator: "\n")
        let (summary, runtime) = try await ReplayRunner.run(text: lines, workspace: workspace, options: .init(virtualTime: true, seed: 3))
        #expect(summary.accepted == 3000)
        #expect(summary.settleProblem == nil)
        #expect(summary.deliveries.succeeded == 3000)
        #expect(summary.deliveries.retried > 0)
        #expect(summary.deliveries.deadLettered == 0)
        #expect(summary.deliveries.dropped == 0)
        let stream = try runtime.streams.stream("burst")
        let keys = Self.keys(stream)
        #expect(keys.count == 3000)
        let expected = Set((0..<3000).map { String($0) })
        #expect(Set(keys) == expected)
        #expect(summary.streams.map(\.records) == [3000])
        #expect(summary.elapsed >= .seconds(2))
    }
}
