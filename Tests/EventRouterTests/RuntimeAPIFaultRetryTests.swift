import Foundation
import Testing
@testable import EventRouter
import EventRouterTesting

/// Issue 15's bootstrap faults through the asynchronous engine: each ends the invocation as
/// Lambda does, is retried per the asynchronous rules (`MaximumRetryAttempts` 1: two attempts,
/// the retry after Lambda's one-minute wait), and the OnFailure record carries the error.
@Suite struct RuntimeAPIFaultRetryTests {
    static let failures = "arn:aws:sqs:us-east-1:123456789012:failures"

    /// The OnFailure record of `mode`'s invocation of `payload` after its two attempts.
    static func failureRecord(mode: String, payload: JSONValue, runtimeClock: any EventClock = SystemClock(),
                              drive: (ManualClock, String) async -> Void) async throws -> JSONValue {
        let dir = try FunctionTempFolder()
        var m = try RuntimeAPIFunctionTests.provided(dir, mode: mode, timeout: mode == "never-next" ? 3 : 60, fifo: mode == "never-next" ? dir.path + "/ready" : nil)
        if mode == "never-next" { try #require(mkfifo(dir.path + "/ready", 0o600) == 0) }
        m.maximumRetryAttempts = 1
        m.onFailureDestination = failures
        let (r, handler) = RuntimeAPIFunctionTests.runtime(m, clock: runtimeClock)
        let clock = (runtimeClock as? ManualClock) ?? ManualClock()
        let sink = RecordingTarget()
        let engine = AsyncInvocationEngine(runtime: r, clock: clock, sink: sink, random: SharedRandom(seed: 7))
        _ = await engine.enqueue(payload, requestId: "async-\(mode)")
        await drive(clock, dir.path + "/ready")
        await engine.waitUntilIdle()
        await r.shutdown()
        #expect(sink.deliveries.count == 1)
        let delivery = try #require(sink.deliveries.first)
        #expect(delivery.targetArn.description == failures)
        #expect(handler.environmentsStarted >= 1)
        return try JSONValue(parsing: delivery.body)
    }

    @Test(arguments: [
        ("exit-init", JSONValue.object([:]), "Runtime.ExitError",
         "RequestId: async-exit-init Error: Runtime exited with error: exit status 3; its last output: init failed on purpose"),
        ("init-error", [:], "Custom.InitFailure", "no config"),
        ("exit-mid", [:], "Runtime.ExitError", "RequestId: async-exit-mid Error: Runtime exited with error: exit status 5"),
        ("malformed-error", [:], "Custom.Broken",
         #"the runtime posted an error body that is not Lambda's {"errorMessage", "errorType", "stackTrace"} JSON: not json at all"#),
        ("too-large", ["big": true], "Function.ResponseSizeTooLarge", "Response payload size exceeded maximum allowed payload size (6291456 bytes)."),
    ] as [(String, JSONValue, String, String)])
    func aFaultEndsTheInvocationAsLambdaDoesAndIsRetried(mode: String, payload: JSONValue, type: String, message: String) async throws {
        let record = try await Self.failureRecord(mode: mode, payload: payload) { clock, _ in
            await clock.waitForSleepers(1)  // the retry's wait: the first attempt failed
            clock.advance(by: .seconds(60))
        }
        #expect(record["requestContext"]?["condition"] == "RetriesExhausted")
        #expect(record["requestContext"]?["approximateInvokeCount"] == 2)
        #expect(record["responseContext"]?["functionError"] == "Unhandled")
        #expect(record["responsePayload"]?["errorType"]?.stringValue == type)
        #expect(record["responsePayload"]?["errorMessage"]?.stringValue?.hasPrefix(message) == true,
                "\(record["responsePayload"]?["errorMessage"]?.stringValue ?? "no message")")
        #expect(record["requestPayload"] == payload)
    }

    @Test func aBootstrapThatNeverCallsNextTimesOutOnEachAttempt() async throws {
        let record = try await Self.failureRecord(mode: "never-next", payload: ["n": 1], runtimeClock: ManualClock()) { clock, fifo in
            // Each attempt: the bootstrap is up (it wrote its pid to the FIFO) and never asks for
            // the invocation; the invocation's deadline passes on the manual clock.
            let first = await readLine(fromFIFO: fifo)
            #expect(first != nil, "the first bootstrap never started")
            await clock.waitForSleepers(1)
            clock.advance(by: .seconds(3))
            await clock.waitForSleepers(1)  // the retry's wait
            clock.advance(by: .seconds(60))
            let second = await readLine(fromFIFO: fifo)
            #expect(second != nil && second != first, "the retry starts a fresh bootstrap")
            await clock.waitForSleepers(1)
            clock.advance(by: .seconds(3))
        }
        #expect(record["responsePayload"]?["errorType"] == "Sandbox.Timedout")
        #expect(record["responsePayload"]?["errorMessage"] == "Task timed out after 3.00 seconds")
        #expect(record["requestContext"]?["approximateInvokeCount"] == 2)
    }
}
