import Synchronization
import Testing
@testable import EventRouter

/// Rules → queues / streams → event source mappings → functions, settled in one loop.
@Suite struct WiringEventSourceMappingTests {
    static func queueArn(_ name: String) -> String { "arn:aws:sqs:us-east-1:123456789012:\(name)" }
    static func functionArn(_ name: String) -> String { "arn:aws:lambda:us-east-1:123456789012:function:\(name)" }

    static func replay(_ events: [String], rules: String, functions: [FunctionManifest], registry: SwiftFunctionRegistry,
                       limits: SettleLimits = .init()) async throws -> (ReplaySummary, RouterRuntime) {
        let loaded = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: rules)], functions: functions)
        let workspace = try #require(loaded.workspace, "\(loaded.problems)")
        let options = ReplayRunner.Options(virtualTime: true, seed: 2, functionRegistry: registry, settleLimits: limits,
                                           functionTimeoutClock: ManualClock())
        return try await ReplayRunner.run(text: events.joined(separator: "\n"), workspace: workspace, options: options)
    }

    static func event(_ n: Int) -> String { #"{"detail-type": "T", "source": "app", "detail": {"n": \#(n)}}"# }

    static func messages(_ runtime: RouterRuntime, _ queue: String) -> [JSONValue] {
        runtime.stateJSON()["queues"]?[queueArn(queue)]?["messages"]?.arrayValue ?? []
    }

    @Test func aRuleFeedsAQueueThatAMappingDrainsIntoAFunction() async throws {
        let registry = SwiftFunctionRegistry()
        let seen = Mutex<[Int]>([])
        registry.register("Work") { payload, _ in
            for record in payload["Records"]?.arrayValue ?? [] {
                let body = try JSONParser.parse(record["body"]?.stringValue ?? "")
                seen.withLock { $0.append(body["detail"]?["n"]?.intValue ?? -1) }
            }
            return .null
        }
        let rules = #"""
        {"Queues": [{"QueueName": "work"}],
         "EventSourceMappings": [{"EventSourceArn": "\#(Self.queueArn("work"))", "FunctionName": "worker", "BatchSize": 3}],
         "Rules": [{"Name": "r", "EventPattern": {"source": ["app"]}, "Targets": [{"Id": "q", "Arn": "\#(Self.queueArn("work"))"}]}]}
        """#
        let (summary, runtime) = try await Self.replay((0..<7).map(Self.event), rules: rules,
                                                       functions: [FunctionManifest(name: "worker", handler: "Work")], registry: registry)
        #expect(summary.settleProblem == nil)
        #expect(seen.withLock { $0 }.sorted() == Array(0..<7))
        #expect(Self.messages(runtime, "work").isEmpty)
        let mapping = try #require(summary.eventSourceMappings.first)
        #expect(mapping.counters.records == 7)
        #expect(mapping.counters.deleted == 7)
        #expect(mapping.counters.batches == 3)
    }

    @Test func aFunctionRecordSentToAMappedQueueIsPolledAtTheSameInstant() async throws {
        let registry = SwiftFunctionRegistry()
        registry.register("First") { _, _ in ["step": 1] }
        let second = Mutex(0)
        registry.register("Second") { payload, _ in
            second.withLock { $0 += payload["Records"]?.arrayValue?.count ?? 0 }
            return .null
        }
        let rules = #"""
        {"Queues": [{"QueueName": "handoff"}],
         "EventSourceMappings": [{"EventSourceArn": "\#(Self.queueArn("handoff"))", "FunctionName": "second"}],
         "Rules": [{"Name": "r", "EventPattern": {"source": ["app"]}, "Targets": [{"Id": "f", "Arn": "\#(Self.functionArn("first"))"}]}]}
        """#
        let functions = [FunctionManifest(name: "first", handler: "First", onSuccessDestination: Self.queueArn("handoff")),
                         FunctionManifest(name: "second", handler: "Second")]
        let (summary, runtime) = try await Self.replay([Self.event(1)], rules: rules, functions: functions, registry: registry)
        #expect(summary.settleProblem == nil)
        #expect(second.withLock { $0 } == 1)
        #expect(Self.messages(runtime, "handoff").isEmpty)
        #expect(summary.elapsed == .zero)
    }

    @Test func aStreamMappingThatKeepsFailingSendsTheBatchToItsOnFailureDestination() async throws {
        let registry = SwiftFunctionRegistry()
        registry.register("Fail") { _, _ in throw FunctionError(type: "Boom", message: "no") }
        let rules = #"""
        {"Streams": [{"Name": "s"}], "Queues": [{"QueueName": "failed"}],
         "EventSourceMappings": [{"EventSourceArn": "arn:aws:kinesis:us-east-1:123456789012:stream/s", "FunctionName": "fail",
                                  "StartingPosition": "TRIM_HORIZON", "MaximumRetryAttempts": 2,
                                  "DestinationConfig": {"OnFailure": {"Destination": "\#(Self.queueArn("failed"))"}}}],
         "Rules": [{"Name": "r", "EventPattern": {"source": ["app"]}, "Targets": [{"Id": "s", "Arn": "arn:aws:kinesis:us-east-1:123456789012:stream/s"}]}]}
        """#
        let (summary, runtime) = try await Self.replay([Self.event(1), Self.event(2)], rules: rules,
                                                       functions: [FunctionManifest(name: "fail", handler: "Fail")], registry: registry)
        #expect(summary.settleProblem == nil)
        let records = try Self.messages(runtime, "failed").map { try JSONParser.parse($0["Body"]?.stringValue ?? "") }
        try #require(records.count == 1)
        #expect(records[0]["KinesisBatchInfo"]?["batchSize"] == 2)
        #expect(summary.functions.first?.invocations == 3)
        #expect(summary.eventSourceMappings.first?.counters.onFailureRecords == 1)
    }

    @Test func workThatNeverMovesIsReportedAsBlocked() async throws {
        let registry = SwiftFunctionRegistry()
        registry.register("Fail") { _, _ in throw FunctionError(type: "Boom", message: "no") }
        let rules = #"""
        {"Queues": [{"QueueName": "stuck", "VisibilityTimeout": 10}],
         "EventSourceMappings": [{"EventSourceArn": "\#(Self.queueArn("stuck"))", "FunctionName": "fail"}],
         "Rules": [{"Name": "r", "EventPattern": {"source": ["app"]}, "Targets": [{"Id": "q", "Arn": "\#(Self.queueArn("stuck"))"}]}]}
        """#
        let (summary, _) = try await Self.replay([Self.event(1)], rules: rules, functions: [FunctionManifest(name: "fail", handler: "Fail")],
                                                 registry: registry, limits: .init(maximumStalledPolls: 5))
        #expect(summary.settleProblem == "event source mappings hold work that made no progress in 5 clock jumps (a batch that keeps failing with no dead-letter queue, retry limit or age limit); see \"eventSourceMappings\" in the state")
        #expect((summary.functions.first?.invocations ?? 0) >= 5)
    }

    @Test func aMappingToAnUndeclaredFunctionIsAValidationError() {
        let rules = #"""
        {"Queues": [{"QueueName": "work"}],
         "EventSourceMappings": [{"EventSourceArn": "\#(Self.queueArn("work"))", "FunctionName": "workr"}]}
        """#
        let problems = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: rules)], functions: [FunctionManifest(name: "worker")]).problems
        #expect(problems.map(\.description) == [
            "Rules/a.json: $.EventSourceMappings[0].FunctionName: error: FunctionName names the function 'workr', which Functions/ does not hold for account 123456789012 (did you mean 'worker'?); add Functions/workr/function.json",
        ])
    }
}
