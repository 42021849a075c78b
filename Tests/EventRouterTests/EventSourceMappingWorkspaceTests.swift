import Testing
@testable import EventRouter
import EventRouterTesting

@Suite struct EventSourceMappingWorkspaceTests {
    static func file(_ mappings: String) -> String {
        """
        {"Queues": [{"QueueName": "orders"}], "Streams": [{"Name": "clicks", "ShardCount": 2}],
         "EventSourceMappings": [\(mappings)]}
        """
    }

    func errors(_ mappings: String) -> [String] {
        WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.file(mappings))], functions: ["total", "count", "f"].map { FunctionManifest(name: $0) }).problems
            .filter { $0.severity == .error }.map(\.description)
    }

    @Test func validMappingsLoadAndParse() throws {
        let result = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.file("""
            {"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:orders", "FunctionName": "total"},
            {"EventSourceArn": "arn:aws:kinesis:us-east-1:123456789012:stream/clicks", "FunctionName": "count",
             "StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": 1704067200}
            """))], functions: ["total", "count"].map { FunctionManifest(name: $0) })
        #expect(result.problems.filter { $0.severity == .error }.isEmpty)
        let mappings = try #require(result.workspace).eventSourceMappings()
        #expect(mappings.map(\.functionArn) == ["arn:aws:lambda:us-east-1:123456789012:function:total", "arn:aws:lambda:us-east-1:123456789012:function:count"])
    }

    @Test(arguments: [
        (#"{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:order", "FunctionName": "f"}"#,
         "Rules/a.json: $.EventSourceMappings[0].EventSourceArn: error: EventSourceArn names the queue arn:aws:sqs:us-east-1:123456789012:order, which no rule file declares (did you mean 'orders'?); declare it under \"Queues\""),
        (#"{"EventSourceArn": "arn:aws:kinesis:us-east-1:123456789012:stream/click", "FunctionName": "f", "StartingPosition": "LATEST"}"#,
         "Rules/a.json: $.EventSourceMappings[0].EventSourceArn: error: EventSourceArn names the stream arn:aws:kinesis:us-east-1:123456789012:stream/click, which no rule file declares; declare it under \"Streams\""),
        (#"{"EventSourceArn": "arn:aws:kinesis:us-east-1:123456789012:stream/clicks", "FunctionName": "f"}"#,
         "Rules/a.json: $.EventSourceMappings[0].StartingPosition: error: 'StartingPosition' is required for a stream mapping: TRIM_HORIZON, LATEST or AT_TIMESTAMP"),
        (#"{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:orders", "FunctionName": "f", "BatchSize": 50}"#,
         "Rules/a.json: $.EventSourceMappings[0].MaximumBatchingWindowInSeconds: error: 'MaximumBatchingWindowInSeconds' must be at least 1 when BatchSize is more than 10 (BatchSize is 50); set a batching window or a BatchSize of 10 or less"),
        (#"{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:orders", "FunctionName": "f", "BatchSise": 5}"#,
         "Rules/a.json: $.EventSourceMappings[0].BatchSise: error: unknown key 'BatchSise' in an entry of EventSourceMappings (did you mean 'BatchSize'?); allowed: EventSourceArn, FunctionName, BatchSize, MaximumBatchingWindowInSeconds, StartingPosition, StartingPositionTimestamp, FunctionResponseTypes, BisectBatchOnFunctionError, MaximumRetryAttempts, MaximumRecordAgeInSeconds, DestinationConfig, Enabled"),
    ])
    func problemsAreReportedByValidate(mapping: String, expected: String) {
        #expect(errors(mapping) == [expected])
    }
}

@Suite struct EventSourceMappingWorkspaceRunTests {
    @Test func aLoadedWorkspaceRunsItsMappings() async throws {
        let text = """
            {"Queues": [{"QueueName": "orders"}],
             "EventSourceMappings": [{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:orders", "FunctionName": "total", "BatchSize": 5}]}
            """
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: text)], functions: ["total", "count", "f"].map { FunctionManifest(name: $0) }).workspace)
        let clock = ManualClock()
        let queues = QueueRegistry(clock: clock)
        try queues.createQueues(workspace.queues.map(\.configuration))
        let seen = RecordingDestinationSink()
        let registry = SwiftFunctionRegistry()
        registry.register("Total") { event, _ in
            _ = await seen.send(DestinationMessage(kind: .invocationRecord, destinationArn: "arn:aws:sqs:us-east-1:123456789012:x", body: event))
            return .null
        }
        let host = try FunctionHost(manifests: [FunctionManifest(name: "total", runtime: .swift, handler: "Total")], registry: registry,
                                    clock: clock, sink: DiscardingTarget())
        let runner = try EventSourceMappingRunner(workspace: workspace, queues: queues, streams: StreamRegistry(clock: clock), functions: host,
                                                  sink: DiscardingTarget(), clock: clock)
        let queue = try queues.queue(named: "orders")
        for i in 0..<7 { _ = try queue.sendNow(body: "o\(i)") }
        let summary = await runner.runUntilIdle(on: clock)
        #expect(summary.reason == .drained)
        #expect(seen.messages.map { $0.body["Records"]?.arrayValue?.count } == [5, 2])
    }
}
