import Foundation
import Synchronization
import Testing
@testable import EventRouter
import EventRouterTesting

/// Handlers that try to escape their limits: descendants that leave the process group and
/// hold the pipes, background children, unbounded output. Nothing here sleeps: the
/// invocations are awaited (with a real-time bound that fails instead of hanging), and the
/// handlers report their pids through their output or a FIFO.
@Suite struct FunctionEscapeTests {
    private func runtime(_ manifest: FunctionManifest, clock: ManualClock = ManualClock()) throws -> FunctionRuntime {
        try FunctionRuntime(manifest: manifest, registry: SwiftFunctionRegistry(), clock: clock)
    }

    /// Starts `setsid sleep 1000` holding stdout and stderr, and waits until it runs (its pid is in $HOLDER).
    static let startHolder = """
        setsid sh -c 'echo $$ > "$HOLDER.tmp"; mv "$HOLDER.tmp" "$HOLDER"; exec sleep 1000' &
        while [ ! -s "$HOLDER" ]; do :; done
        """

    @Test func aHandlerThatExitsLeavingADescendantOnItsPipeSucceedsAtOnce() async throws {
        let dir = try FunctionTempFolder()
        let holder = dir.path + "/holder.pid"
        let script = "#!/bin/sh\ncat >/dev/null\n\(Self.startHolder)\necho '{\"ok\": true}'\n"
        let r = try runtime(dir.manifest(script, timeout: 3, environment: [("HOLDER", holder)]))
        defer { killHolder(holder) }
        let result = await finishes(within: 30) { await r.invoke(["x": 1], requestId: "held") }
        #expect(result == .success(["ok": true]), "the invocation waited for the descendant's end of file")
        #expect(await allDead([try #require(holderPid(holder))]), "the descendant holding the pipe outlived the invocation")
        #expect(r.metrics.snapshot.timeouts == 0)
        #expect(r.metrics.snapshot.inFlight == 0)
    }

    @Test func aTimeoutEndsTheInvocationEvenWhenADescendantHoldsThePipe() async throws {
        let dir = try FunctionTempFolder()
        let holder = dir.path + "/holder.pid"
        let fifo = dir.path + "/ready"
        try #require(mkfifo(fifo, 0o600) == 0)
        let script = "#!/bin/sh\n\(Self.startHolder)\necho $$ > \"$READY_FIFO\"\nexec sleep 1000\n"
        let clock = ManualClock()
        let r = try runtime(dir.manifest(script, timeout: 3, environment: [("HOLDER", holder), ("READY_FIFO", fifo)]), clock: clock)
        defer { killHolder(holder) }
        let invocation = Task { await r.invoke(nil, requestId: "slow") }
        let pid = try #require(await readLine(fromFIFO: fifo).flatMap { Int32($0) })
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(3))
        let result = await finishes(within: 30) { await invocation.value }
        #expect(result == .functionError(.timeout(seconds: 3)))
        #expect(await allDead([pid, try #require(holderPid(holder))]))
        #expect(!ProcessGroupRegistry.shared.liveGroups.contains(pid))
    }

    @Test func backgroundChildrenOfASuccessfulHandlerDieWithTheInvocation() async throws {
        let dir = try FunctionTempFolder()
        let script = "#!/bin/sh\ncat >/dev/null\nsleep 1000 &\necho \"{\\\"handler\\\": $$, \\\"child\\\": $!}\"\n"
        let r = try runtime(dir.manifest(script, timeout: 3))
        let result = await finishes(within: 30) { await r.invoke(nil, requestId: "bg") }
        guard case .success(let v)? = result, let handler = v["handler"]?.intValue, let child = v["child"]?.intValue else {
            Issue.record("expected the pids, got \(String(describing: result))")
            return
        }
        #expect(await allDead([Int32(child)]), "the background child outlived its invocation")
        #expect(!ProcessGroupRegistry.shared.liveGroups.contains(Int32(handler)))
    }

    @Test func unboundedOutputFailsWithLambdasResponseSizeError() async throws {
        let dir = try FunctionTempFolder()
        let r = try runtime(dir.manifest("#!/bin/sh\necho $$ >&2\nexec yes\n", timeout: 3))
        let result = await finishes(within: 60) { await r.invoke(nil, requestId: "yes") }
        #expect(result == .functionError(FunctionError(type: "Function.ResponseSizeTooLarge",
                                                       message: "Response payload size exceeded maximum allowed payload size (6291456 bytes).")))
    }

    @Test func aRequestOverSixMegabytesIsRefusedBeforeTheHandlerRuns() async throws {
        let dir = try FunctionTempFolder()
        let r = try runtime(dir.manifest("#!/bin/sh\ncat\n"))
        let payload = JSONValue.string(String(repeating: "x", count: PayloadLimits.synchronousRequest - 1))
        guard case .functionError(let e) = await r.invoke(payload, requestId: "big") else {
            Issue.record("expected RequestEntityTooLargeException")
            return
        }
        #expect(e.type == "RequestEntityTooLargeException")
        #expect(e.message == "Request must be smaller than 6291456 bytes for the InvokeFunction operation (the payload has 6291457 bytes)")
        #expect(r.metrics.snapshot.invocations == 0)
    }

    @Test func anAsynchronousRequestOverOneMegabyteIsRefused() async throws {
        let r = FunctionRuntime(manifest: .swiftTest(), handler: ClosureFunctionHandler { event, _ in event }, clock: ManualClock())
        let engine = AsyncInvocationEngine(runtime: r, clock: ManualClock(), sink: DiscardingTarget())
        let payload = JSONValue.string(String(repeating: "x", count: PayloadLimits.asynchronousRequest - 2))
        do {
            try await engine.accept(.string(String(repeating: "x", count: PayloadLimits.asynchronousRequest - 1)))
            Issue.record("expected RequestEntityTooLargeException")
        } catch {
            #expect(error == .requestTooLarge(size: 1_048_577, limit: 1_048_576))
            #expect(error.message.hasPrefix("Request must be smaller than 1048576 bytes"))
        }
        #expect(try await engine.accept(payload).isEmpty == false)
        await engine.shutdown()
    }
}

@Suite struct FunctionWorkerEscapeTests {
    private func worker(_ script: String, in dir: FunctionTempFolder) throws -> (FunctionRuntime, WorkerFunctionHandler) {
        let handler = WorkerFunctionHandler(manifest: try dir.manifest(script, mode: .worker))
        return (FunctionRuntime(manifest: handler.manifest, handler: handler, clock: ManualClock()), handler)
    }

    /// Replies to each request by its payload's "replies": 2 writes two lines at once, "stale"
    /// first repeats the previous reply; every reply carries the request id.
    static let replier = """
        #!/usr/bin/env python3
        import json, sys
        previous = None
        for line in sys.stdin:
            request = json.loads(line)
            rid = request["context"]["requestId"]
            payload = request["payload"] or {}
            reply = json.dumps({"requestId": rid, "result": {"for": rid}})
            if payload.get("replies") == 2:
                sys.stdout.write(reply + "\\n" + reply + "\\n")
            elif payload.get("stale") and previous:
                sys.stdout.write(previous + "\\n" + reply + "\\n")
            else:
                sys.stdout.write(reply + "\\n")
            sys.stdout.flush()
            previous = reply
        """

    @Test func twoReplyLinesForOneRequestFailItAndRestartTheWorker() async throws {
        let dir = try FunctionTempFolder()
        let (r, handler) = try worker(Self.replier, in: dir)
        guard case .functionError(let e) = await r.invoke(["replies": 2], requestId: "a") else {
            Issue.record("a worker that replied twice was recorded as a success")
            return
        }
        #expect(e.type == "Runtime.InvalidResponse")
        #expect(e.message.hasPrefix("the worker wrote more than one line in reply to request a; the worker was restarted"))
        #expect(await r.invoke(["n": 1], requestId: "b") == .success(["for": "b"]))
        #expect(await r.invoke(["n": 2], requestId: "c") == .success(["for": "c"]))
        #expect(handler.workersStarted == 2)
        await r.shutdown()
        withExtendedLifetime(dir) {}
    }

    @Test func aReplyForAnotherRequestIsNeverRecordedForThisOne() async throws {
        let dir = try FunctionTempFolder()
        let (r, handler) = try worker(Self.replier, in: dir)
        #expect(await r.invoke(["n": 1], requestId: "a") == .success(["for": "a"]))
        guard case .functionError(let e) = await r.invoke(["stale": true], requestId: "b") else {
            Issue.record("the reply to request a was recorded for request b")
            return
        }
        #expect(e.message.hasPrefix("the worker's reply answers request \"a\", but request \"b\" was sent"))
        #expect(await r.invoke(["n": 3], requestId: "c") == .success(["for": "c"]))
        #expect(handler.workersStarted == 2)
        await r.shutdown()
        withExtendedLifetime(dir) {}
    }

    @Test func aWorkerThatDiesLeavingADescendantOnItsPipeFailsAtOnce() async throws {
        let dir = try FunctionTempFolder()
        let holder = dir.path + "/holder.pid"
        let script = "#!/bin/sh\nread line\n\(FunctionEscapeTests.startHolder)\nexit 5\n"
        let handler = WorkerFunctionHandler(manifest: try dir.manifest(script, mode: .worker, environment: [("HOLDER", holder)]))
        let r = FunctionRuntime(manifest: handler.manifest, handler: handler, clock: ManualClock())
        defer { killHolder(holder) }
        let result = await finishes(within: 30) { await r.invoke(nil, requestId: "d") }
        guard case .functionError(let e)? = result else {
            Issue.record("expected a crash, got \(String(describing: result))")
            return
        }
        #expect(e.type == "Runtime.WorkerCrashed")
        #expect(e.message.hasPrefix("the worker process exit status 5 while handling request d"))
        #expect(await allDead([try #require(holderPid(holder))]), "the descendant holding the pipe outlived the worker")
        await r.shutdown()
        withExtendedLifetime(dir) {}
    }

    @Test func aTimeoutEndsAWorkerInvocationEvenWhenADescendantHoldsThePipe() async throws {
        let dir = try FunctionTempFolder()
        let holder = dir.path + "/holder.pid", fifo = dir.path + "/ready"
        try #require(mkfifo(fifo, 0o600) == 0)
        let script = "#!/bin/sh\nread line\n\(FunctionEscapeTests.startHolder)\necho $$ > \"$READY_FIFO\"\nexec sleep 1000\n"
        let clock = ManualClock()
        let handler = WorkerFunctionHandler(manifest: try dir.manifest(script, mode: .worker, timeout: 2, environment: [("HOLDER", holder), ("READY_FIFO", fifo)]))
        let r = FunctionRuntime(manifest: handler.manifest, handler: handler, clock: clock)
        defer { killHolder(holder) }
        let invocation = Task { await r.invoke(nil, requestId: "slow") }
        let pid = try #require(await readLine(fromFIFO: fifo).flatMap { Int32($0) })
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(2))
        #expect(await finishes(within: 30) { await invocation.value } == .functionError(.timeout(seconds: 2)))
        #expect(await allDead([pid, try #require(holderPid(holder))]))
        await r.shutdown()
        withExtendedLifetime(dir) {}
    }

    @Test func anEndlessReplyLineFailsWithLambdasResponseSizeError() async throws {
        let dir = try FunctionTempFolder()
        let (r, _) = try worker("#!/bin/sh\nread line\nexec cat /dev/zero\n", in: dir)
        let result = await finishes(within: 60) { await r.invoke(nil, requestId: "z") }
        #expect(result == .functionError(.responseTooLarge))
        await r.shutdown()
        withExtendedLifetime(dir) {}
    }
}

/// Runs `operation`, waiting at most `seconds` of real time for it (a safety net on an
/// event, not a sleep): nil when it did not finish, so a hang fails the test instead of the run.
func finishes<T: Sendable>(within seconds: Int, _ operation: @escaping @Sendable () async -> T) async -> T? {
    let done = DispatchSemaphore(value: 0)
    let once = OnceBox<T?>()
    let task = Task {
        let value = await operation()
        once.set(value)
        done.signal()
    }
    return await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
        Thread {
            if done.wait(timeout: .now() + .seconds(seconds)) == .timedOut {
                task.cancel()
                continuation.resume(returning: nil)
            } else {
                continuation.resume(returning: once.get() ?? nil)
            }
        }.start()
    }
}

/// A value set once from one task and read from another.
final class OnceBox<T: Sendable>: Sendable {
    private let value = Mutex<T?>(nil)
    func set(_ v: T) { value.withLock { $0 = v } }
    func get() -> T? { value.withLock { $0 } }
}

/// The pid of the `setsid` holder written to `file`.
func holderPid(_ file: String) -> Int32? {
    (try? String(contentsOfFile: file, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
}

/// Cleanup: kills the `setsid` holder whose pid is in `file`, should the router have missed it.
func killHolder(_ file: String) {
    if let pid = holderPid(file) { kill(pid, SIGKILL) }
}
