import Foundation
import Testing
@testable import EventRouter
import EventRouterTesting

/// A `provided` bootstrap written against the Runtime API (Python's urllib, no EventRouter code),
/// whose behaviour the tests pick with `MODE`: the happy path and each fault of issue 15.
let providedBootstrap = #"""
#!/usr/bin/env python3
import json, os, sys, time, urllib.request, urllib.error
API = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
MODE = os.environ.get("MODE", "echo")
FIFO = os.environ.get("READY_FIFO")

def call(method, path, body=None, headers={}):
    req = urllib.request.Request(API + path, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {}, e.read()

def ready():
    if FIFO:
        with open(FIFO, "w") as f:
            f.write("%d\n" % os.getpid())

if MODE == "never-next":
    ready()
    time.sleep(1000)
if MODE == "exit-init":
    print("init failed on purpose", file=sys.stderr)
    sys.exit(3)
if MODE == "init-error":
    call("POST", "/init/error", json.dumps({"errorMessage": "no config", "errorType": "Custom.InitFailure"}).encode(),
         {"Lambda-Runtime-Function-Error-Type": "Custom.InitFailure"})
    sys.exit(1)

notes = []
while True:
    status, head, body = call("GET", "/invocation/next")
    rid = head["lambda-runtime-aws-request-id"]
    event = json.loads(body)
    print("handling " + rid, flush=True)
    if MODE == "hang" and os.path.exists("hang-once"):
        os.remove("hang-once")
        ready()
        time.sleep(1000)
    if MODE == "wrong-id":
        s, _, b = call("POST", "/invocation/not-" + rid + "/response", b"{}")
        notes.append("%d %s" % (s, b.decode()))
    if MODE == "exit-mid":
        sys.exit(5)
    if MODE == "malformed-error":
        call("POST", "/invocation/" + rid + "/error", b"not json at all", {"Lambda-Runtime-Function-Error-Type": "Custom.Broken"})
        continue
    if MODE == "too-large" and event.get("big"):
        s, _, b = call("POST", "/invocation/" + rid + "/response", b"[" + b"1," * 3200000 + b"1]")
        notes.append("%d %s" % (s, b.decode()))
        continue
    if MODE == "fail":
        call("POST", "/invocation/" + rid + "/error", json.dumps({"errorMessage": "failed on purpose", "errorType": "Custom.Failure", "stackTrace": ["bootstrap line 1"]}).encode())
        continue
    answer = {"event": event, "notes": notes, "pid": os.getpid(),
              "env": {k: os.environ.get(k) for k in ["_HANDLER", "LAMBDA_TASK_ROOT", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                                                     "AWS_LAMBDA_FUNCTION_VERSION", "AWS_REGION", "GREETING"]},
              "deadline": head.get("lambda-runtime-deadline-ms"), "arn": head.get("lambda-runtime-invoked-function-arn"),
              "trace": head.get("lambda-runtime-trace-id")}
    s, _, _ = call("POST", "/invocation/" + rid + "/response", json.dumps(answer).encode())
    if MODE == "twice":
        s, _, b = call("POST", "/invocation/" + rid + "/response", b"{}")
        notes.append("%d %s" % (s, b.decode()))
"""#

@Suite struct RuntimeAPIFunctionTests {
    /// A `provided.al2023` function in a temporary folder running ``providedBootstrap`` in `mode`.
    static func provided(_ dir: FunctionTempFolder, mode: String, timeout: Int = 60, fifo: String? = nil) throws -> FunctionManifest {
        try dir.write("bootstrap", providedBootstrap, executable: true)
        var environment: [(key: String, value: String)] = [("MODE", mode), ("GREETING", "hi")]
        if let fifo { environment.append(("READY_FIFO", fifo)) }
        var m = FunctionManifest(name: "custom", folder: dir.path, runtime: .provided, handler: "my.handler", timeoutSeconds: timeout, environment: environment)
        m.runtimeName = "provided.al2023"
        m.memorySize = 512
        return m
    }

    static func runtime(_ m: FunctionManifest, clock: any EventClock = ManualClock()) -> (FunctionRuntime, RuntimeAPIFunctionHandler) {
        let handler = RuntimeAPIFunctionHandler(manifest: m)
        return (FunctionRuntime(manifest: m, handler: handler, clock: clock), handler)
    }

    @Test func aProvidedBootstrapGetsLambdasEnvironmentAndHeadersAndStaysWarm() async throws {
        let dir = try FunctionTempFolder()
        let (r, handler) = Self.runtime(try Self.provided(dir, mode: "echo"))
        defer { Task { await r.shutdown() } }
        let log = InvocationLog()
        let first = await r.invoke(["n": 1], requestId: "0a1b2c3d-0000-4000-8000-000000000001", log: log)
        guard case .success(let value) = first else { Issue.record("\(first)"); return }
        #expect(value["event"] == ["n": 1])
        #expect(value["env"]?["_HANDLER"] == "my.handler")
        #expect(value["env"]?["AWS_LAMBDA_FUNCTION_NAME"] == "custom")
        #expect(value["env"]?["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "512")
        #expect(value["env"]?["AWS_LAMBDA_FUNCTION_VERSION"] == "$LATEST")
        #expect(value["env"]?["AWS_REGION"] == "us-east-1")
        #expect(value["env"]?["GREETING"] == "hi")
        #expect(value["env"]?["LAMBDA_TASK_ROOT"]?.stringValue.map { $0.hasSuffix(dir.path.split(separator: "/").last.map(String.init) ?? "?") } == true)
        #expect(value["arn"] == "arn:aws:lambda:us-east-1:123456789012:function:custom")
        #expect(value["trace"]?.stringValue?.hasPrefix("Root=1-") == true)
        #expect(String(decoding: log.tail, as: UTF8.self).contains("handling 0a1b2c3d-0000-4000-8000-000000000001"))
        let second = await r.invoke(["n": 2], requestId: "r2")
        #expect(second.successValue?["pid"] == value["pid"], "the second invocation should reuse the warm environment")
        #expect(handler.environmentsStarted == 1)
    }

    @Test func concurrentInvocationsStartMoreEnvironments() async throws {
        let dir = try FunctionTempFolder()
        let (r, handler) = Self.runtime(try Self.provided(dir, mode: "echo"))
        defer { Task { await r.shutdown() } }
        async let a = r.invoke(["n": 1], requestId: "a")
        async let b = r.invoke(["n": 2], requestId: "b")
        let (x, y) = await (a, b)
        #expect(x.successValue != nil && y.successValue != nil)
        #expect((1...2).contains(handler.environmentsStarted))
    }

    @Test func aBootstrapThatNeverCallsNextTimesOutAndItsGroupIsKilled() async throws {
        let dir = try FunctionTempFolder()
        let fifo = dir.path + "/ready"
        try #require(mkfifo(fifo, 0o600) == 0)
        let clock = ManualClock()
        let (r, _) = Self.runtime(try Self.provided(dir, mode: "never-next", timeout: 3, fifo: fifo), clock: clock)
        let invocation = Task { await r.invoke([:], requestId: "init-timeout") }
        let pid = try #require(await readLine(fromFIFO: fifo).flatMap { Int32($0) }, "the bootstrap never started")
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(3))
        #expect(await invocation.value == .functionError(.timeout(seconds: 3)))
        #expect(await allDead([pid]))
    }

    @Test func aBootstrapThatExitsDuringInitIsRuntimeExitError() async throws {
        let dir = try FunctionTempFolder()
        let (r, _) = Self.runtime(try Self.provided(dir, mode: "exit-init"))
        let result = await r.invoke([:], requestId: "r-exit")
        #expect(result == .functionError(FunctionError(type: "Runtime.ExitError", message: "RequestId: r-exit Error: Runtime exited with error: exit status 3; its last output: init failed on purpose")))
    }

    @Test func anInitErrorIsReportedAsTheRuntimePostedIt() async throws {
        let dir = try FunctionTempFolder()
        let (r, _) = Self.runtime(try Self.provided(dir, mode: "init-error"))
        let result = await r.invoke([:], requestId: "r-init")
        #expect(result.functionErrorValue?.type == "Custom.InitFailure")
        #expect(result.functionErrorValue?.message == "no config")
    }

    @Test func anExitDuringAnInvocationIsRuntimeExitErrorAndTheNextStartsFresh() async throws {
        let dir = try FunctionTempFolder()
        let (r, handler) = Self.runtime(try Self.provided(dir, mode: "exit-mid"))
        let result = await r.invoke([:], requestId: "r-mid")
        #expect(result.functionErrorValue?.type == "Runtime.ExitError")
        #expect(result.functionErrorValue?.message.hasPrefix("RequestId: r-mid Error: Runtime exited with error: exit status 5") == true)
        _ = await r.invoke([:], requestId: "r-mid-2")
        #expect(handler.environmentsStarted == 2)
    }

    @Test func aResponseForTheWrongRequestIdIsRefusedAndTheRightOneStillCounts() async throws {
        let dir = try FunctionTempFolder()
        let (r, _) = Self.runtime(try Self.provided(dir, mode: "wrong-id"))
        defer { Task { await r.shutdown() } }
        let value = try #require(await r.invoke([:], requestId: "r-w").successValue)
        #expect(value["notes"] == [#"400 {"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}"#])
    }

    @Test func aSecondResponseIsRefusedAndTheFirstIsTheResult() async throws {
        let dir = try FunctionTempFolder()
        let (r, _) = Self.runtime(try Self.provided(dir, mode: "twice"))
        defer { Task { await r.shutdown() } }
        let first = try #require(await r.invoke(["n": 1], requestId: "r-t1").successValue)
        #expect(first["event"] == ["n": 1])
        let second = try #require(await r.invoke(["n": 2], requestId: "r-t2").successValue)
        #expect(second["notes"]?.arrayValue?.first?.stringValue?.hasPrefix(#"403 {"errorMessage":"State transition from ResponseSent to InvocationResponse failed"#) == true)
    }

    @Test func aResponseOverSixMegabytesFailsWithResponseSizeTooLarge() async throws {
        let dir = try FunctionTempFolder()
        let (r, _) = Self.runtime(try Self.provided(dir, mode: "too-large"))
        defer { Task { await r.shutdown() } }
        #expect(await r.invoke(["big": true], requestId: "r-big") == .functionError(.responseTooLarge))
        let next = try #require(await r.invoke([:], requestId: "r-after").successValue)
        #expect(next["notes"] == [#"413 {"errorMessage":"Exceeded maximum allowed payload size (6291456 bytes).","errorType":"RequestEntityTooLarge"}"#])
    }

    @Test func aMalformedErrorBodyIsAFunctionErrorSayingSo() async throws {
        let dir = try FunctionTempFolder()
        let (r, _) = Self.runtime(try Self.provided(dir, mode: "malformed-error"))
        defer { Task { await r.shutdown() } }
        #expect(await r.invoke([:], requestId: "r-m") == .functionError(FunctionError(
            type: "Custom.Broken", message: #"the runtime posted an error body that is not Lambda's {"errorMessage", "errorType", "stackTrace"} JSON: not json at all"#)))
    }

    @Test func aHangingBootstrapTimesOutAndTheNextInvocationGetsAFreshProcess() async throws {
        let dir = try FunctionTempFolder()
        let fifo = dir.path + "/ready"
        try #require(mkfifo(fifo, 0o600) == 0)
        try dir.write("hang-once", "")
        let clock = ManualClock()
        let (r, handler) = Self.runtime(try Self.provided(dir, mode: "hang", timeout: 2, fifo: fifo), clock: clock)
        defer { Task { await r.shutdown() } }
        let invocation = Task { await r.invoke([:], requestId: "r-hang") }
        let pid = try #require(await readLine(fromFIFO: fifo).flatMap { Int32($0) }, "the bootstrap never took the invocation")
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(2))
        #expect(await invocation.value == .functionError(.timeout(seconds: 2)))
        #expect(await allDead([pid]))
        let next = try #require(await r.invoke(["n": 2], requestId: "r-fresh").successValue)
        #expect(next["pid"]?.intValue != Int(pid))
        #expect(handler.environmentsStarted == 2)
    }

    @Test func failedAsynchronousInvocationsAreRetriedPerTheAsynchronousRules() async throws {
        let dir = try FunctionTempFolder()
        var m = try Self.provided(dir, mode: "fail")
        m.maximumRetryAttempts = 1
        m.onFailureDestination = "arn:aws:sqs:us-east-1:123456789012:failures"
        // Timeouts on the real clock (60 s, never reached); retries on a manual one.
        let (r, _) = Self.runtime(m, clock: SystemClock())
        defer { Task { await r.shutdown() } }
        let clock = ManualClock()
        let sink = RecordingTarget()
        let engine = AsyncInvocationEngine(runtime: r, clock: clock, sink: sink, random: SharedRandom(seed: 7))
        _ = await engine.enqueue(["n": 1])
        await clock.waitForSleepers(1)
        #expect(sink.count == 0)
        clock.advance(by: .seconds(60))
        await engine.waitUntilIdle()
        let record = try #require(sink.deliveries.first)
        #expect(record.targetArn.description == "arn:aws:sqs:us-east-1:123456789012:failures")
        #expect(record.body.contains("Custom.Failure"))
        #expect(record.body.contains(#""approximateInvokeCount":2"#))
    }
}

extension InvocationResult {
    var successValue: JSONValue? { if case .success(let v) = self { v } else { nil } }
    var functionErrorValue: FunctionError? { if case .functionError(let e) = self { e } else { nil } }
}
