import Synchronization
import Testing
@testable import EventRouter

/// Rules → function targets → Lambda's asynchronous layer → destinations, settled on virtual time.
@Suite struct WiringFunctionTargetTests {
    static let account = "123456789012"
    static func queueArn(_ name: String) -> String { "arn:aws:sqs:us-east-1:\(account):\(name)" }
    static func functionArn(_ name: String) -> String { "arn:aws:lambda:us-east-1:\(account):function:\(name)" }

    /// Rules with queues `ok`, `failed`, `dlq`, `results` and a rule per (source → target ARN).
    static func rules(_ routes: [(source: String, arn: String)], extra: String = "") -> String {
        let rules = routes.enumerated().map { i, r in
            #"{"Name": "r\#(i)", "EventPattern": {"source": ["\#(r.source)"]}, "Targets": [{"Id": "t", "Arn": "\#(r.arn)", "DeadLetterConfig": {"Arn": "\#(queueArn("dlq"))"}}]}"#
        }
        return #"""
        {"Queues": [{"QueueName": "ok"}, {"QueueName": "failed"}, {"QueueName": "dlq"}, {"QueueName": "results"}],
         "EventBuses": [{"Name": "results"}],
         "Rules": [\#((rules + (extra.isEmpty ? [] : [extra])).joined(separator: ",\n"))]}
        """#
    }

    static func replay(_ events: [String], rules: String, functions: [FunctionManifest], registry: SwiftFunctionRegistry,
                       limits: SettleLimits = .init()) async throws -> (ReplaySummary, RouterRuntime) {
        let loaded = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: rules)], functions: functions)
        let workspace = try #require(loaded.workspace, "\(loaded.problems)")
        let options = ReplayRunner.Options(virtualTime: true, seed: 9, functionRegistry: registry, settleLimits: limits,
                                           functionTimeoutClock: ManualClock())
        return try await ReplayRunner.run(text: events.joined(separator: "\n"), workspace: workspace, options: options)
    }

    static func event(_ source: String, _ detail: String = "{}") -> String {
        #"{"detail-type": "Test", "source": "\#(source)", "detail": \#(detail)}"#
    }

    static func messages(_ runtime: RouterRuntime, _ queue: String) -> [JSONValue] {
        runtime.stateJSON()["queues"]?[queueArn(queue)]?["messages"]?.arrayValue ?? []
    }

    static func bodies(_ runtime: RouterRuntime, _ queue: String) throws -> [JSONValue] {
        try messages(runtime, queue).map { try JSONParser.parse($0["Body"]?.stringValue ?? "") }
    }

    @Test func anEventReachesTheFunctionAndItsRecordTheOnSuccessQueue() async throws {
        let registry = SwiftFunctionRegistry()
        registry.register("Double") { payload, _ in ["doubled": .number(JSONNumber((payload["detail"]?["n"]?.intValue ?? 0) * 2))] }
        let f = FunctionManifest(name: "double", handler: "Double", onSuccessDestination: Self.queueArn("ok"))
        let (summary, runtime) = try await Self.replay([Self.event("calc", #"{"n": 21}"#)], rules: Self.rules([("calc", Self.functionArn("double"))]),
                                                       functions: [f], registry: registry)
        #expect(summary.settleProblem == nil)
        #expect(summary.deliveries.succeeded == 1)
        let records = try Self.bodies(runtime, "ok")
        try #require(records.count == 1)
        #expect(records[0]["requestContext"]?["condition"] == "Success")
        #expect(records[0]["requestContext"]?["functionArn"]?.stringValue == Self.functionArn("double") + ":$LATEST")
        #expect(records[0]["requestPayload"]?["detail"]?["n"] == 21)
        #expect(records[0]["responsePayload"] == ["doubled": 42])
        #expect(records[0]["timestamp"] == "2024-01-01T00:00:00.000Z")
        #expect(summary.functions.map(\.invocations) == [1])
        #expect(summary.elapsed == .zero)
        let state = runtime.stateJSON()["functions"]?[Self.functionArn("double")]
        #expect(state?["invocations"] == 1)
        #expect(state?["errors"] == 0)
    }

    /// Two failure layers: the rule's delivery succeeds (the function accepted the event), the
    /// function's errors are retried 1 and 2 minutes apart, then the OnFailure record is sent.
    @Test(arguments: [(0, 0), (1, 60), (2, 180)])
    func aFailingFunctionIsRetriedOneAndTwoMinutesApartThenRecordedOnFailure(retries: Int, seconds: Int) async throws {
        let registry = SwiftFunctionRegistry()
        let calls = Mutex(0)
        registry.register("Fail") { _, _ in
            calls.withLock { $0 += 1 }
            throw FunctionError(type: "Boom", message: "it broke")
        }
        let f = FunctionManifest(name: "fail", handler: "Fail", maximumRetryAttempts: retries, onFailureDestination: Self.queueArn("failed"))
        let (summary, runtime) = try await Self.replay([Self.event("calc")], rules: Self.rules([("calc", Self.functionArn("fail"))]),
                                                       functions: [f], registry: registry)
        #expect(calls.withLock { $0 } == retries + 1)
        #expect(summary.deliveries.succeeded == 1)
        #expect(summary.deliveries.deadLettered == 0)
        #expect(Self.messages(runtime, "dlq").isEmpty)
        let records = try Self.bodies(runtime, "failed")
        try #require(records.count == 1)
        #expect(records[0]["requestContext"]?["condition"] == "RetriesExhausted")
        #expect(records[0]["requestContext"]?["approximateInvokeCount"] == .number(JSONNumber(retries + 1)))
        #expect(records[0]["responseContext"]?["functionError"] == "Unhandled")
        #expect(records[0]["responsePayload"]?["errorMessage"] == "it broke")
        let at = Timestamp(nanosecondsSinceEpoch: 1_704_067_200_000_000_000) + .seconds(seconds)
        #expect(records[0]["timestamp"]?.stringValue == at.iso8601Milliseconds)
        #expect(summary.elapsed == .seconds(seconds))
        #expect(summary.functions.first?.errors == retries + 1)
    }

    @Test func reservedConcurrencyZeroSendsTheEventToTheFailureDestinationWithoutAnInvocation() async throws {
        let registry = SwiftFunctionRegistry()
        let calls = Mutex(0)
        registry.register("Never") { payload, _ in
            calls.withLock { $0 += 1 }
            return payload
        }
        let f = FunctionManifest(name: "off", handler: "Never", reservedConcurrentExecutions: 0, onFailureDestination: Self.queueArn("failed"))
        let (summary, runtime) = try await Self.replay([Self.event("calc")], rules: Self.rules([("calc", Self.functionArn("off"))]),
                                                       functions: [f], registry: registry)
        #expect(summary.deliveries.succeeded == 1, "Lambda accepts the event; the function decides")
        #expect(calls.withLock { $0 } == 0)
        let records = try Self.bodies(runtime, "failed")
        try #require(records.count == 1)
        #expect(records[0]["requestContext"]?["condition"] == "ZeroReservedConcurrency")
        #expect(records[0]["requestContext"]?["approximateInvokeCount"] == 0)
        #expect(summary.functions.map(\.invocations) == [0])
        #expect(summary.functions.map(\.throttles) == [1])
    }

    @Test func aFunctionDeadLetterQueueGetsTheEventWithLambdaAttributes() async throws {
        let registry = SwiftFunctionRegistry()
        registry.register("Fail") { _, _ in throw FunctionError(type: "Boom", message: "bad order") }
        let f = FunctionManifest(name: "fail", handler: "Fail", maximumRetryAttempts: 0, deadLetterTargetArn: Self.queueArn("failed"))
        let (_, runtime) = try await Self.replay([Self.event("calc", #"{"n": 1}"#)], rules: Self.rules([("calc", Self.functionArn("fail"))]),
                                                 functions: [f], registry: registry)
        let messages = Self.messages(runtime, "failed")
        try #require(messages.count == 1)
        let body = try JSONParser.parse(messages[0]["Body"]?.stringValue ?? "")
        #expect(body["source"] == "calc")
        #expect(body["detail"]?["n"] == 1)
        let attributes = messages[0]["MessageAttributes"]
        #expect(attributes?["ErrorCode"]?["DataType"] == "Number")
        #expect(attributes?["ErrorCode"]?["StringValue"] == "200")
        #expect(attributes?["ErrorMessage"]?["StringValue"] == "bad order")
        #expect(attributes?["RequestID"]?["StringValue"]?.stringValue?.isEmpty == false)
    }

    @Test func aBusDestinationPutsALambdaEventThatRulesRoute() async throws {
        let registry = SwiftFunctionRegistry()
        registry.register("Echo") { payload, _ in payload["detail"] ?? .null }
        let f = FunctionManifest(name: "echo", handler: "Echo", onSuccessDestination: "arn:aws:events:us-east-1:\(Self.account):event-bus/results")
        let extra = #"""
        {"Name": "results", "EventBusName": "results",
         "EventPattern": {"source": ["lambda"], "detail-type": ["Lambda Function Invocation Result - Success"]},
         "Targets": [{"Id": "q", "Arn": "\#(Self.queueArn("results"))"}]}
        """#
        let (summary, runtime) = try await Self.replay([Self.event("calc", #"{"n": 7}"#)],
                                                       rules: Self.rules([("calc", Self.functionArn("echo"))], extra: extra),
                                                       functions: [f], registry: registry)
        #expect(summary.settleProblem == nil)
        #expect(summary.deliveries.succeeded == 2)
        let events = try Self.bodies(runtime, "results")
        try #require(events.count == 1)
        #expect(events[0]["source"] == "lambda")
        #expect(events[0]["detail-type"] == "Lambda Function Invocation Result - Success")
        #expect(events[0]["resources"] == [.string(Self.functionArn("echo") + ":$LATEST")])
        #expect(events[0]["detail"]?["responsePayload"] == ["n": 7])
    }

    @Test func aFunctionDestinationInvokesTheNextFunction() async throws {
        let registry = SwiftFunctionRegistry()
        registry.register("First") { _, _ in ["step": 1] }
        registry.register("Second") { payload, _ in ["saw": payload["responsePayload"] ?? .null] }
        let first = FunctionManifest(name: "first", handler: "First", onSuccessDestination: Self.functionArn("second"))
        let second = FunctionManifest(name: "second", handler: "Second", onSuccessDestination: Self.queueArn("ok"))
        let (summary, runtime) = try await Self.replay([Self.event("calc")], rules: Self.rules([("calc", Self.functionArn("first"))]),
                                                       functions: [first, second], registry: registry)
        #expect(summary.functions.map(\.invocations) == [1, 1])
        let records = try Self.bodies(runtime, "ok")
        try #require(records.count == 1)
        #expect(records[0]["responsePayload"] == ["saw": ["step": 1]])
    }

    @Test func reservedConcurrencyOneIsNeverExceededUnderABurst() async throws {
        let registry = SwiftFunctionRegistry()
        registry.register("Slowish") { payload, _ in
            await Task.yield()
            return payload["detail"] ?? .null
        }
        let f = FunctionManifest(name: "one", handler: "Slowish", reservedConcurrentExecutions: 1, onSuccessDestination: Self.queueArn("ok"))
        let events = (0..<8).map { Self.event("calc", #"{"n": \#($0)}"#) }
        let (summary, runtime) = try await Self.replay(events, rules: Self.rules([("calc", Self.functionArn("one"))]), functions: [f], registry: registry)
        #expect(summary.settleProblem == nil)
        let stats = try #require(summary.functions.first)
        #expect(stats.maxConcurrent == 1)
        #expect(stats.invocations == 8)
        // (Throttles depend on how the handler tasks interleave in real time, so they are not asserted.)
        let seen = try Self.bodies(runtime, "ok").compactMap { $0["responsePayload"]?["n"]?.intValue }
        #expect(Set(seen) == Set(0..<8))
    }

    @Test func inputThatIsNotJSONFailsTheDeliveryToTheRuleDeadLetterQueue() async throws {
        let registry = SwiftFunctionRegistry()
        registry.register("Echo") { payload, _ in payload }
        let f = FunctionManifest(name: "echo", handler: "Echo")
        let rules = #"""
        {"Queues": [{"QueueName": "dlq"}],
         "Rules": [{"Name": "r", "EventPattern": {"source": ["calc"]},
                    "Targets": [{"Id": "t", "Arn": "\#(Self.functionArn("echo"))", "InputTransformer": {"InputPathsMap": {"n": "$.detail.n"}, "InputTemplate": "number <n>"},
                                 "DeadLetterConfig": {"Arn": "\#(Self.queueArn("dlq"))"}}]}]}
        """#
        let (summary, runtime) = try await Self.replay([Self.event("calc", #"{"n": 3}"#)], rules: rules, functions: [f], registry: registry)
        #expect(summary.deliveries.deadLettered == 1)
        #expect(summary.functions.map(\.invocations) == [0])
        let attributes = Self.messages(runtime, "dlq").first?["MessageAttributes"]
        #expect(attributes?["ERROR_CODE"]?["StringValue"] == "INVALID_INPUT")
        #expect(attributes?["ERROR_MESSAGE"]?["StringValue"]?.stringValue?.hasPrefix("a function's payload must be JSON, but the target's input is not") == true)
    }

    @Test func settlingIsBoundedAndSaysWhatIsStillPending() async throws {
        let registry = SwiftFunctionRegistry()
        registry.register("Fail") { _, _ in throw FunctionError(type: "Boom", message: "no") }
        let f = FunctionManifest(name: "fail", handler: "Fail")
        let (summary, _) = try await Self.replay([Self.event("calc")], rules: Self.rules([("calc", Self.functionArn("fail"))]),
                                                 functions: [f], registry: registry, limits: .init(maximumClockJumps: 1))
        #expect(summary.settleProblem == "did not settle: after 1 clock jumps, 0 deliveries and 1 function events are still pending")
        #expect(summary.text.contains("NOT SETTLED: did not settle: after 1 clock jumps"))
    }

    @Test func aProcessFunctionInATemporaryWorkspaceRunsEndToEnd() async throws {
        let folder = try FunctionTempFolder()
        try folder.write("Functions/shout/handler.sh", "#!/bin/sh\nexec cat\n", executable: true)
        try folder.write("Functions/shout/function.json", #"""
            {"Runtime": "process", "Handler": "handler.sh", "DestinationConfig": {"OnSuccess": {"Destination": "\#(Self.queueArn("ok"))"}}}
            """#)
        try folder.write("Rules/a.json", Self.rules([("calc", Self.functionArn("shout"))]))
        let loaded = WorkspaceLoader.validate(directory: folder.path)
        let workspace = try #require(loaded.workspace, "\(loaded.problems)")
        #expect(workspace.functions.map(\.name) == ["shout"])
        let options = ReplayRunner.Options(virtualTime: true, seed: 1, functionTimeoutClock: ManualClock())
        let (summary, runtime) = try await ReplayRunner.run(text: Self.event("calc", #"{"n": 5}"#), workspace: workspace, options: options)
        #expect(summary.functions.map(\.invocations) == [1])
        let records = try Self.bodies(runtime, "ok")
        #expect(records.first?["responsePayload"]?["detail"]?["n"] == 5)
    }

    @Test func theSummaryListsFunctionsAndStreams() async throws {
        let registry = SwiftFunctionRegistry()
        registry.register("Fail") { _, _ in throw FunctionError(type: "Boom", message: "no") }
        let f = FunctionManifest(name: "fail", handler: "Fail", maximumRetryAttempts: 1, onFailureDestination: "arn:aws:sqs:us-east-1:999999999999:gone")
        let rules = #"""
        {"Streams": [{"Name": "log"}],
         "Rules": [{"Name": "r", "EventPattern": {"source": ["calc"]},
                    "Targets": [{"Id": "f", "Arn": "\#(Self.functionArn("fail"))"},
                                {"Id": "s", "Arn": "arn:aws:kinesis:us-east-1:123456789012:stream/log"}]}]}
        """#
        let (summary, _) = try await Self.replay([Self.event("calc")], rules: rules, functions: [f], registry: registry)
        #expect(summary.text == """
            events read:   1
            rejected:      0
            matched:       1 (1 rule match)
            delivered:     2
            retried:       0
            dead-lettered: 0
            dropped:       0
            functions:
              fail             invocations 2, errors 2, throttles 0, max concurrent 1, p50/p90/p99 0.0/0.0/0.0 ms, 1 destination failure
            record failures: 1
              invocation record to arn:aws:sqs:us-east-1:999999999999:gone not delivered: queue arn:aws:sqs:us-east-1:999999999999:gone does not exist
            streams:
              log              1 record in 1 shard
            seed:          9

            """)
    }

    /// A paced replay runs the whole settle loop up to each event's time, so a function's retry
    /// happens at its own time, not when the next event comes.
    @Test func aPacedReplayRunsFunctionRetriesOnTime() async throws {
        let registry = SwiftFunctionRegistry()
        registry.register("Fail") { _, _ in throw FunctionError(type: "Boom", message: "no") }
        let f = FunctionManifest(name: "fail", handler: "Fail", maximumRetryAttempts: 1, onFailureDestination: Self.queueArn("failed"))
        let loaded = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.rules([("calc", Self.functionArn("fail"))]))], functions: [f])
        let workspace = try #require(loaded.workspace)
        var options = ReplayRunner.Options(virtualTime: true, seed: 9, functionRegistry: registry, functionTimeoutClock: ManualClock())
        options.pace = .original
        let events = [#"{"detail-type": "T", "source": "calc", "time": "2024-01-01T00:00:00Z", "detail": {"n": 1}}"#,
                      #"{"detail-type": "T", "source": "other", "time": "2024-01-01T00:10:00Z", "detail": {}}"#]
        let (summary, runtime) = try await ReplayRunner.run(text: events.joined(separator: "\n"), workspace: workspace, options: options)
        #expect(summary.settleProblem == nil)
        let records = try Self.bodies(runtime, "failed")
        try #require(records.count == 1)
        #expect(records[0]["timestamp"] == "2024-01-01T00:01:00.000Z")
        #expect(summary.elapsed == .seconds(600))
    }
}
