import Foundation
import Testing
@testable import EventRouter
import EventRouterFunctions
import EventRouterTesting

@Suite struct FunctionWorkspaceTests {
    /// The repository's own Functions/ folder (the example workflow).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func theBuildPluginCompilesInTheSwiftFunctionsOfFunctions() {
        #expect(CompiledFunctions.names.contains("OrderTotal"))
        #expect(CompiledFunctions.registry().handler(named: "OrderTotal") != nil)
    }

    @Test func theExampleFunctionsLoadWithoutProblems() throws {
        let ws = FunctionWorkspace(workspace: Self.repository, registry: CompiledFunctions.registry())
        #expect(ws.problems.isEmpty, "\(ws.problems)")
        let names = ws.manifests.map(\.name)
        #expect(names.contains("rolling-average"))
        #expect(names.contains("order-total"))
        let average = try ws.manifest(named: "arn:aws:lambda:us-east-1:123456789012:function:rolling-average")
        #expect(average.reservedConcurrentExecutions == 1)
        #expect(average.mode == .worker)
    }

    @Test func theSwiftExampleTotalsAnOrder() async throws {
        let ws = FunctionWorkspace(workspace: Self.repository, registry: CompiledFunctions.registry())
        let event: JSONValue = ["detail": ["orderId": "o-1", "items": [["sku": "a", "price": 2.5, "quantity": 2], ["sku": "b", "price": 1]]]]
        let result = try await ws.invoke("order-total", payload: event, clock: ManualClock(), requestId: "r")
        #expect(result.responsePayload["total"] == 6, "\(result)")
        #expect(result.responsePayload["itemCount"] == 3)
    }

    @Test func theRollingAverageWorkerKeepsItsWindow() async throws {
        let ws = FunctionWorkspace(workspace: Self.repository, registry: CompiledFunctions.registry())
        let runtime = try FunctionRuntime(manifest: ws.manifest(named: "rolling-average"), registry: ws.registry, clock: ManualClock())
        var averages: [JSONValue?] = []
        for total in [10, 20, 30, 40, 50, 60] {
            averages.append(await runtime.invoke(["detail": ["total": .number(JSONNumber(total))]], requestId: "r\(total)").responsePayload["average"])
        }
        #expect(averages == [10, 15, 20, 25, 30, 40])
        #expect(await runtime.invoke(["detail": ["total": "x"]], requestId: "bad")
            == .functionError(FunctionError(type: "ValueError", message: "expected a numeric detail.total or value, got 'x'")))
        await runtime.shutdown()
    }

    @Test func asynchronousInvocationSettlesOnVirtualTime() async throws {
        let ws = FunctionWorkspace(workspace: Self.repository, registry: CompiledFunctions.registry())
        let (outcome, elapsed) = try await ws.invokeAsync("order-total", payload: ["detail": ["orderId": "o-2", "items": []]], timeoutClock: ManualClock())
        #expect(outcome.condition == .retriesExhausted)
        #expect(outcome.event.invokeCount == 2)
        #expect(elapsed == .seconds(60))
    }

    @Test func anInvalidManifestIsReportedWhenItsFunctionIsAskedFor() throws {
        let ws = try FunctionTempFolder()
        try ws.write("Functions/bad/function.json", #"{"Runtime": "process", "Handler": "h", "MaximumRetryAttempts": 5}"#)
        let functions = FunctionWorkspace(workspace: ws.path, registry: SwiftFunctionRegistry())
        do {
            _ = try functions.manifest(named: "bad")
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "function 'bad' has an invalid manifest:\n\(ws.path)/Functions/bad/function.json: $.MaximumRetryAttempts: error: 'MaximumRetryAttempts' must be between 0 and 2, got 5")
        }
        #expect(functions.listingJSON["Problems"]?.arrayValue?.count == 1)
    }

    @Test func unknownFunctionsAreNamedWithTheKnownOnes() {
        let ws = FunctionWorkspace(workspace: Self.repository, registry: SwiftFunctionRegistry())
        #expect(throws: EventRouterError.self) { try ws.manifest(named: "nope") }
        do {
            _ = try ws.manifest(named: "nope")
        } catch {
            #expect(error.message.hasPrefix("no function named 'nope' in Functions/ (known: echo, greeter-node, greeter-python, order-total, rolling-average)"))
        }
    }
}

@Suite struct FunctionMetricsTests {
    @Test func stateJSONIsKeyedByFunctionARN() async {
        let a = FunctionRuntime(manifest: .swiftTest(name: "a"), handler: ClosureFunctionHandler { e, _ in e }, clock: ManualClock())
        let b = FunctionRuntime(manifest: .swiftTest(name: "b", reserved: 0), handler: ClosureFunctionHandler { e, _ in e }, clock: ManualClock())
        _ = await a.invoke(nil, requestId: "1")
        _ = await a.invoke(nil, requestId: "2")
        #expect(await b.invoke(nil, requestId: "3") == .throttled)
        let state = FunctionMetrics.stateJSON([b, a])
        #expect(state.objectValue?.keys == ["arn:aws:lambda:us-east-1:123456789012:function:a", "arn:aws:lambda:us-east-1:123456789012:function:b"])
        let sa = state["arn:aws:lambda:us-east-1:123456789012:function:a"]
        #expect(sa?["invocations"] == 2)
        #expect(sa?["errors"] == 0)
        #expect(sa?["throttles"] == 0)
        #expect(sa?["maxConcurrent"] == 1)
        #expect(sa?["durationP50Ms"] == 0)
        #expect(state["arn:aws:lambda:us-east-1:123456789012:function:b"]?["throttles"] == 1)
    }

    @Test func percentilesUseNearestRank() {
        var s = FunctionMetrics.Snapshot()
        s.durations = (1...100).map { Int64($0) * 1_000_000 }
        #expect(s.durationPercentileMilliseconds(50) == 50)
        #expect(s.durationPercentileMilliseconds(90) == 90)
        #expect(s.durationPercentileMilliseconds(99) == 99)
        #expect(FunctionMetrics.Snapshot().durationPercentileMilliseconds(50) == nil)
    }
}
