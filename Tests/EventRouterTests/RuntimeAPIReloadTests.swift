import Foundation
import Testing
@testable import EventRouter

/// Hot reload of Runtime API functions (issue 14 item 6, issue 15 part 4): editing a Python or
/// Node.js handler file of a running workspace takes effect on the next invocation; an
/// environment busy with an invocation finishes it on the old code and is replaced after it.
@Suite struct RuntimeAPIReloadTests {
    static func python(_ version: Int) -> String {
        """
        import os
        VERSION = \(version)

        def lambda_handler(event, context):
            if event.get("slow"):
                with open(os.environ["READY"], "w") as f:
                    f.write("in\\n")
                with open(os.environ["GATE"]) as f:
                    f.readline()
            return {"version": VERSION, "pid": os.getpid()}
        """
    }

    static func node(_ version: Int) -> String {
        "export const handler = async (event, context) => ({ version: \(version), pid: process.pid });\n"
    }

    struct Fixture {
        let folder: FunctionTempFolder
        let runtime: RouterRuntime
        let reloader: WorkspaceReloader

        init(environment: String = "") async throws {
            folder = try FunctionTempFolder()
            try folder.write("Rules/main.json", #"{"Queues": [{"QueueName": "a"}]}"#)
            try folder.write("Functions/greet-py/function.json",
                             #"{"Runtime": "python3.12", "Handler": "app.lambda_handler", "Timeout": 60\#(environment)}"#)
            try folder.write("Functions/greet-py/app.py", RuntimeAPIReloadTests.python(1))
            try folder.write("Functions/greet-node/function.json", #"{"Runtime": "nodejs20.x", "Handler": "index.handler", "Timeout": 60}"#)
            try folder.write("Functions/greet-node/index.mjs", RuntimeAPIReloadTests.node(1))
            let workspace = try WorkspaceLoader.load(directory: folder.path)
            // Timeouts on the real clock (60 s, never reached): the handlers run in real processes.
            runtime = try RouterRuntime(workspace: workspace, clock: .virtual(ManualClock()), seed: 1,
                                        functionRegistry: SwiftFunctionRegistry(), functionTimeoutClock: SystemClock())
            reloader = WorkspaceReloader(runtime: runtime, workspace: workspace, directory: folder.path,
                                         origins: ResourceOrigins(workspace: workspace))
            await reloader.prepare()
        }

        func function(_ name: String) throws -> (FunctionRuntime, RuntimeAPIFunctionHandler) {
            let function = try #require(runtime.functions.runtime(for: name))
            return (function, try #require(function.handler as? RuntimeAPIFunctionHandler))
        }
    }

    @Test func anEditedPythonOrNodeHandlerAnswersTheNextInvocation() async throws {
        let f = try await Fixture()
        let (py, pyHandler) = try f.function("greet-py")
        let (node, nodeHandler) = try f.function("greet-node")
        let before = try #require(await py.invoke([:], requestId: "p-1").successValue)
        #expect(before["version"] == 1)
        #expect(await py.invoke([:], requestId: "p-2").successValue?["pid"] == before["pid"], "warm before the edit")
        #expect(await node.invoke([:], requestId: "n-1").successValue?["version"] == 1)

        try f.folder.write("Functions/greet-py/app.py", Self.python(2))
        try f.folder.write("Functions/greet-node/index.mjs", Self.node(2))
        let outcome = try #require(await f.reloader.check())
        #expect(outcome.status == .applied)
        for name in ["greet-node", "greet-py"] {
            #expect(outcome.lines.contains("function \(name): code changed; 1 idle execution environment stopped, busy ones restart after their current invocation, the next invocation runs the new code"),
                    "\(outcome.lines)")
        }
        let after = try #require(await py.invoke([:], requestId: "p-3").successValue)
        #expect(after["version"] == 2, "the next invocation runs the edited app.py")
        #expect(after["pid"] != before["pid"])
        #expect(await node.invoke([:], requestId: "n-2").successValue?["version"] == 2, "the next invocation runs the edited index.mjs")
        #expect(pyHandler.environmentsStarted == 2 && nodeHandler.environmentsStarted == 2)
        #expect(await f.reloader.check() == nil, "nothing changed since")
        await f.runtime.shutdown()
    }

    @Test func aBusyEnvironmentFinishesOnTheOldCodeAndIsReplacedAfterIt() async throws {
        let dir = try FunctionTempFolder()
        let ready = try HeldFIFO(dir.path + "/ready"), gate = try HeldFIFO(dir.path + "/gate")
        let f = try await Fixture(environment: #", "Environment": {"Variables": {"READY": "\#(ready.path)", "GATE": "\#(gate.path)"}}"#)
        let (py, handler) = try f.function("greet-py")
        let slow = Task { await py.invoke(["slow": true], requestId: "slow") }
        #expect(await readLine(fromFIFO: ready.path) == "in", "the environment is busy with the slow invocation")
        try f.folder.write("Functions/greet-py/app.py", Self.python(2))
        #expect(await handler.codeDidChange() == .environmentsRestarted(idleStopped: 0), "the busy environment is not stopped")
        gate.send("go")
        #expect(await slow.value.successValue?["version"] == 1, "the invocation in flight finishes on the old code")
        #expect(await py.invoke([:], requestId: "next").successValue?["version"] == 2, "the next invocation runs the new code")
        #expect(handler.environmentsStarted == 2, "the busy environment was replaced after its invocation")
        await f.runtime.shutdown()
    }
}
