import Foundation
import Testing
import EventRouterTesting
@testable import EventRouter

/// The built `eventrouter`, signalled while a handler (and its background child) runs: the
/// handler's process group dies with the router, which exits with 128 + the signal number.
/// Waits only on events: the handler's FIFO line, then the router's exit.
@Suite struct FunctionSignalTests {
    static let handler = "#!/bin/sh\nsleep 1000 &\necho \"$$ $!\" > \"$READY_FIFO\"\nwait\n"

    @Test(arguments: [("invoke", SIGTERM), ("invoke", SIGINT), ("invoke", SIGHUP), ("replay", SIGTERM)])
    func aSignalledRouterTakesItsHandlersWithIt(command: String, signal: Int32) async throws {
        let binary = try #require(Self.builtBinary(), "\(BuiltExecutable.missing("eventrouter"))")
        let dir = try FunctionTempFolder()
        let fifo = dir.path + "/ready"
        try #require(mkfifo(fifo, 0o600) == 0)
        try dir.write("Functions/hold/function.json", "{\"Runtime\": \"process\", \"Handler\": \"handler.sh\", \"Timeout\": 900, \"Environment\": {\"Variables\": {\"READY_FIFO\": \"\(fifo)\"}}}")
        try dir.write("Functions/hold/handler.sh", Self.handler, executable: true)
        var arguments = ["invoke", "hold", "--workspace", dir.path]
        if command == "replay" {
            try dir.write("Rules/r.json", """
                {"Rules": [{"Name": "all", "EventPattern": {"source": ["t"]},
                            "Targets": [{"Id": "f", "Arn": "arn:aws:lambda:us-east-1:123456789012:function:hold"}]}]}
                """)
            try dir.write("events.ndjson", "{\"Source\": \"t\", \"DetailType\": \"d\", \"Detail\": \"{}\"}\n")
            arguments = ["replay", dir.path + "/events.ndjson", "--workspace", dir.path, "--virtual-time", "--seed", "1"]
        }
        // Spawned like a handler (its own group, no inherited descriptors), so that it holds
        // no other test's files open; its output stays in the pipes (small), read by no one.
        let router = try ChildProcess.spawn(executable: binary, arguments: arguments,
                                            environment: ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }, directory: dir.path)
        defer { for fd in [router.stdinFD, router.stdoutFD, router.stderrFD] { close(fd) } }
        let line = await readLine(fromFIFO: fifo)
        let pids = (line ?? "").split(separator: " ").compactMap { Int32($0) }
        guard pids.count == 2 else {
            router.killGroup()
            _ = await ChildProcess.offPool { router.reap() }
            Issue.record("the handler never reported its pids")
            return
        }
        #expect(pids.allSatisfy(isLiveProcess))
        kill(router.pid, signal)
        let status = await ChildProcess.offPool { () -> Int32 in
            var p = pollfd(fd: router.exit.fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 30_000) > 0 else { return -2 }  // a bound that fails rather than hangs
            return router.reap()
        }
        try #require(status != -2, "the router did not exit after signal \(signal)")
        #expect(ChildProcess.describe(status: status) == "exit status \(128 + signal)")
        #expect(await allDead(pids), "a handler process outlived the router")
    }

    /// `.build/<config>/eventrouter`, beside the test bundle.
    static func builtBinary() -> String? { BuiltExecutable.existing("eventrouter") }
}
