import Foundation
import Testing
@testable import EventRouter
import EventRouterTesting

@Suite struct FunctionProcessTests {
    private func runtime(_ manifest: FunctionManifest, clock: any EventClock = ManualClock()) throws -> FunctionRuntime {
        try FunctionRuntime(manifest: manifest, registry: SwiftFunctionRegistry(), clock: clock)
    }

    @Test func echoesThePayloadThroughStdinAndStdout() async throws {
        let dir = try FunctionTempFolder()
        let r = try runtime(dir.manifest("#!/bin/sh\ncat\n"))
        #expect(await r.invoke(["hello": [1, 2]], requestId: "r1") == .success(["hello": [1, 2]]))
        #expect(r.metrics.snapshot.invocations == 1)
    }

    @Test func passesNameRequestIdAndDeadlineInTheEnvironment() async throws {
        let dir = try FunctionTempFolder()
        let script = "#!/bin/sh\nprintf '{\"name\":\"%s\",\"rid\":\"%s\",\"deadline\":%s,\"greeting\":\"%s\",\"cwd\":\"%s\"}' \"$AWS_LAMBDA_FUNCTION_NAME\" \"$EVENTROUTER_REQUEST_ID\" \"$EVENTROUTER_DEADLINE_MS\" \"$GREETING\" \"$(pwd)\"\n"
        let clock = ManualClock()
        let r = try runtime(dir.manifest(script, timeout: 5, environment: [("GREETING", "hi")]), clock: clock)
        let result = await r.invoke(nil, requestId: "req-42")
        guard case .success(let v) = result else {
            Issue.record("expected success, got \(result)")
            return
        }
        #expect(v["name"] == "test-fn")
        #expect(v["rid"] == "req-42")
        #expect(v["greeting"] == "hi")
        #expect(v["deadline"]?.intValue == Int((clock.now + .seconds(5)).millisecondsSinceEpoch))
        #expect(v["cwd"]?.stringValue.map { ($0 as NSString).resolvingSymlinksInPath } == (dir.path as NSString).resolvingSymlinksInPath)
    }

    @Test func aNonZeroExitIsAFunctionErrorWithStderrsTail() async throws {
        let dir = try FunctionTempFolder()
        let r = try runtime(dir.manifest("#!/bin/sh\ncat >/dev/null\necho 'noise' >&2\necho 'Traceback: KeyError total' >&2\nexit 3\n"))
        let result = await r.invoke(["a": 1], requestId: "r")
        #expect(result == .functionError(FunctionError(type: "Runtime.ExitError", message: "noise\nTraceback: KeyError total")))
        #expect(r.metrics.snapshot.errors == 1)
    }

    @Test func aSilentFailureNamesTheExitStatus() async throws {
        let dir = try FunctionTempFolder()
        let r = try runtime(dir.manifest("#!/bin/sh\nexit 7\n"))
        #expect(await r.invoke(nil, requestId: "r") == .functionError(FunctionError(type: "Runtime.ExitError", message: "the handler ended with exit status 7")))
    }

    @Test func invalidJSONOutputIsAFunctionError() async throws {
        let dir = try FunctionTempFolder()
        let r = try runtime(dir.manifest("#!/bin/sh\necho 'total: 3'\n"))
        guard case .functionError(let e) = await r.invoke(nil, requestId: "r") else {
            Issue.record("expected a function error")
            return
        }
        #expect(e.type == "Runtime.InvalidResponse")
        #expect(e.message.hasPrefix("the function's output is not valid JSON"))
        #expect(e.message.hasSuffix("it printed: total: 3"))
    }

    @Test func largePayloadsDoNotDeadlock() async throws {
        let dir = try FunctionTempFolder()
        let r = try runtime(dir.manifest("#!/bin/sh\ncat\n"))
        let big = JSONValue.string(String(repeating: "x", count: 1_000_000))
        #expect(await r.invoke(["data": big], requestId: "r") == .success(["data": big]))
    }

    @Test func aHandlerThatIgnoresALargePayloadStillSucceeds() async throws {
        let dir = try FunctionTempFolder()
        let r = try runtime(dir.manifest("#!/bin/sh\necho '{\"ok\": true}'\n"))
        let big = JSONValue.string(String(repeating: "y", count: 2_000_000))
        #expect(await r.invoke(["data": big], requestId: "r") == .success(["ok": true]))
    }

    @Test func aMissingExecutableFailsClearly() async throws {
        let dir = try FunctionTempFolder()
        let manifest = FunctionManifest(name: "gone", folder: dir.path, runtime: .process, handler: "nope.sh", timeoutSeconds: 60)
        guard case .functionError(let e) = try await runtime(manifest).invoke(nil, requestId: "r") else {
            Issue.record("expected a function error")
            return
        }
        #expect(e.type == "Runtime.StartError")
        #expect(e.message.contains("nope.sh"))
    }

    @Test func aTimeoutKillsTheHandlerAndTheChildItSpawned() async throws {
        let dir = try FunctionTempFolder()
        let fifo = dir.path + "/ready"
        try #require(mkfifo(fifo, 0o600) == 0)
        let script = "#!/bin/sh\nsleep 1000 &\necho \"$$ $!\" > \"$READY_FIFO\"\nwait\n"
        let clock = ManualClock()
        let r = try runtime(dir.manifest(script, timeout: 3, environment: [("READY_FIFO", fifo)]), clock: clock)
        let invocation = Task { await r.invoke(["x": 1], requestId: "slow") }
        let line = try #require(await readLine(fromFIFO: fifo), "the handler never reported its pids")
        let pids = line.split(separator: " ").compactMap { Int32($0) }
        try #require(pids.count == 2)
        #expect(pids.allSatisfy(isLiveProcess))
        await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == clock.now + .seconds(3))
        clock.advance(by: .seconds(3))
        let result = await invocation.value
        #expect(result == .functionError(.timeout(seconds: 3)))
        #expect(await allDead(pids), "the process group outlived the timeout")
        #expect(r.metrics.snapshot.timeouts == 1)
        #expect(r.metrics.snapshot.inFlight == 0)
    }
}

@Suite struct FunctionWorkerTests {
    static let worker = """
        #!/usr/bin/env python3
        import json, os, sys
        count = 0
        for line in sys.stdin:
            request = json.loads(line)
            payload = request["payload"]
            if payload.get("crash"):
                sys.stderr.write("worker: crashing on purpose\\n")
                sys.stderr.flush()
                os._exit(4)
            if payload.get("chatty"):
                print("debug: about to reply", flush=True)
            if payload.get("fail"):
                print(json.dumps({"error": {"type": "ValueError", "message": "bad value"}}), flush=True)
                continue
            count += 1
            print(json.dumps({"result": {"count": count, "pid": os.getpid(), "rid": request["context"]["requestId"]}}), flush=True)
        """

    @Test func keepsStateAcrossInvocationsAndRestartsAfterACrash() async throws {
        let dir = try FunctionTempFolder()
        let handler = WorkerFunctionHandler(manifest: try dir.manifest(Self.worker, mode: .worker))
        let r = FunctionRuntime(manifest: handler.manifest, handler: handler, clock: ManualClock())
        let first = await r.invoke(["n": 1], requestId: "a")
        let second = await r.invoke(["n": 2], requestId: "b")
        #expect(first.responsePayload["count"] == 1)
        #expect(second.responsePayload["count"] == 2)
        #expect(second.responsePayload["rid"] == "b")
        #expect(first.responsePayload["pid"] == second.responsePayload["pid"])

        guard case .functionError(let crash) = await r.invoke(["crash": true], requestId: "c") else {
            Issue.record("expected the crash to fail the invocation")
            return
        }
        #expect(crash.type == "Runtime.WorkerCrashed")
        #expect(crash.message.contains("exit status 4 while handling request c; it will be restarted"))
        #expect(crash.message.contains("worker: crashing on purpose"))

        let afterRestart = await r.invoke(["n": 3], requestId: "d")
        #expect(afterRestart.responsePayload["count"] == 1)
        #expect(afterRestart.responsePayload["pid"] != first.responsePayload["pid"])
        #expect(handler.workersStarted == 2)
        await r.shutdown()
    }

    @Test func anErrorReplyIsAFunctionError() async throws {
        let dir = try FunctionTempFolder()
        let r = try FunctionRuntime(manifest: dir.manifest(Self.worker, mode: .worker), registry: .init(), clock: ManualClock())
        #expect(await r.invoke(["fail": true], requestId: "a") == .functionError(FunctionError(type: "ValueError", message: "bad value")))
        #expect(await r.invoke(["n": 1], requestId: "b").responsePayload["count"] == 1)
        await r.shutdown()
    }

    @Test func aWorkerThatPrintsNoiseOnStdoutIsReplacedToStayInStep() async throws {
        let dir = try FunctionTempFolder()
        let handler = WorkerFunctionHandler(manifest: try dir.manifest(Self.worker, mode: .worker))
        let r = FunctionRuntime(manifest: handler.manifest, handler: handler, clock: ManualClock())
        guard case .functionError(let e) = await r.invoke(["chatty": true], requestId: "a") else {
            Issue.record("expected an invalid-response error")
            return
        }
        #expect(e.type == "Runtime.InvalidResponse")
        #expect(e.message.hasSuffix("debug: about to reply; the worker was restarted (write logs to stderr, not stdout)"))
        #expect(await r.invoke(["n": 1], requestId: "b").responsePayload["count"] == 1)
        #expect(handler.workersStarted == 2)
        await r.shutdown()
    }

    @Test(arguments: [
        ("not json", "the worker's reply line is not valid JSON"),
        ("{\"value\": 1}", "the worker's reply must be {\"result\": …}"),
    ])
    func malformedRepliesAreFunctionErrors(reply: String, message: String) {
        #expect(throws: FunctionError.self) { try WorkerFunctionHandler.decode(Array(reply.utf8)) }
        do {
            _ = try WorkerFunctionHandler.decode(Array(reply.utf8))
        } catch let e as FunctionError {
            #expect(e.type == "Runtime.InvalidResponse")
            #expect(e.message.hasPrefix(message))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aTimeoutKillsTheWorkerAndTheNextInvocationStartsANewOne() async throws {
        let dir = try FunctionTempFolder()
        let script = "#!/bin/sh\nread line\necho \"$$\" > \"$READY_FIFO\"\nsleep 1000\n"
        let fifo = dir.path + "/ready"
        try #require(mkfifo(fifo, 0o600) == 0)
        let clock = ManualClock()
        let handler = WorkerFunctionHandler(manifest: try dir.manifest(script, mode: .worker, timeout: 2, environment: [("READY_FIFO", fifo)]))
        let r = FunctionRuntime(manifest: handler.manifest, handler: handler, clock: clock)
        let invocation = Task { await r.invoke(nil, requestId: "slow") }
        let pid = try #require(await readLine(fromFIFO: fifo).flatMap { Int32($0) })
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(2))
        #expect(await invocation.value == .functionError(.timeout(seconds: 2)))
        #expect(await allDead([pid]))
        await r.shutdown()
    }
}
