import Synchronization
import Testing
@testable import EventRouter
import EventRouterTesting

/// `replay --trace` and the runtime's log seam: function invocations, retries and destinations
/// are traced and logged, besides rule deliveries.
@Suite struct ReplayTraceFunctionTests {
    typealias W = WiringFunctionTargetTests

    @Test func traceAndLogShowInvocationsRetriesAndDestinations() async throws {
        let registry = SwiftFunctionRegistry()
        let calls = Mutex(0)
        registry.register("Flaky") { payload, _ in
            let n = calls.withLock { c in
                c += 1
                return c
            }
            if n == 1 { throw FunctionError(type: "Boom", message: "first try fails") }
            return payload
        }
        let f = FunctionManifest(name: "flaky", handler: "Flaky", onSuccessDestination: W.queueArn("ok"))
        let loaded = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: W.rules([("calc", W.functionArn("flaky"))]))], functions: [f])
        let workspace = try #require(loaded.workspace, "\(loaded.problems)")
        let lines = Mutex<[String]>([])
        let log = RecordingLogSink()
        var options = ReplayRunner.Options(virtualTime: true, seed: 9, trace: { l in lines.withLock { $0.append(l) } },
                                           functionRegistry: registry, functionTimeoutClock: ManualClock())
        options.log = log
        let (summary, _) = try await ReplayRunner.run(text: W.event("calc"), workspace: workspace, options: options)
        #expect(summary.settleProblem == nil)
        let trace = lines.withLock { $0 }
        #expect(trace.contains { $0.hasPrefix("  line 1 event ") && $0.contains("function flaky request ") && $0.hasSuffix(": invocation 1: Boom: first try fails") }, "\(trace)")
        #expect(trace.contains { $0.contains("function flaky") && $0.hasSuffix(": retry at 2024-01-01T00:01:00.000Z") }, "\(trace)")
        #expect(trace.contains { $0.contains("function flaky") && $0.hasSuffix(": invocation 2: success") }, "\(trace)")
        #expect(trace.contains { $0.hasSuffix(": Success: invocation record sent to \(W.queueArn("ok"))") }, "\(trace)")

        let invocations = log.records(.invocation)
        #expect(invocations.map(\.level) == [.warning, .info])
        #expect(invocations.allSatisfy { $0.metadata.function == W.functionArn("flaky") && $0.metadata.requestId != nil && $0.metadata.eventId != nil })
        #expect(invocations.first?.metadata.extra["code"] == "Boom")
        #expect(log.records(.retry).count == 1)
        #expect(log.records(.destination).map(\.metadata.target) == [W.queueArn("ok")])
    }

    @Test func aRefusedDestinationIsCountedAndLoggedAndListedInTheSummary() async throws {
        let registry = SwiftFunctionRegistry()
        registry.register("Ok") { payload, _ in payload }
        let missing = "arn:aws:sqs:us-east-1:999999999999:nowhere"  // an account the workspace does not know: a warning
        let f = FunctionManifest(name: "ok", handler: "Ok", onSuccessDestination: missing)
        let loaded = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: W.rules([("calc", W.functionArn("ok"))]))], functions: [f])
        let workspace = try #require(loaded.workspace, "\(loaded.problems)")
        let log = RecordingLogSink()
        var options = ReplayRunner.Options(virtualTime: true, seed: 9, functionRegistry: registry, functionTimeoutClock: ManualClock())
        options.log = log
        let (summary, runtime) = try await ReplayRunner.run(text: W.event("calc"), workspace: workspace, options: options)
        #expect(runtime.destinations.failureCount == 1)
        let line = "invocation record to \(missing) not delivered: queue \(missing) does not exist"
        #expect(log.records(.destinationFailure, atLeast: .warning).map(\.message) == [line])
        #expect(summary.destinationFailures == [line])
    }
}
