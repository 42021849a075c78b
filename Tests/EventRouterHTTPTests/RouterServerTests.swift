import Dispatch
import EventRouter
import Synchronization
import Testing
@testable import EventRouterHTTP

/// The router served in process: admin endpoints, remote shutdown, log lines.
@Suite struct RouterServerTests {
    static func workspace(_ rules: String = #"{"Queues": [{"QueueName": "orders"}], "Rules": []}"#) throws -> Workspace {
        try #require(WorkspaceLoader.validate(files: [("a.json", rules)]).workspace)
    }

    static func get(_ path: String) -> HTTPRequest {
        HTTPRequest(method: "GET", target: path, headers: HTTPHeaders([("Host", "h")]))
    }

    @Test(arguments: [
        ("GET", "/_eventrouter/shutdown", 405, #"{"__type":"MethodNotAllowed","message":"use POST /_eventrouter/shutdown, not GET"}"#),
        ("POST", "/_eventrouter/shutdown", 403,
         #"{"__type":"AccessDeniedException","message":"remote shutdown is off: start the router with 'eventrouter run --allow-remote-shutdown' to allow POST /_eventrouter/shutdown, or send it SIGTERM"}"#),
        ("POST", "/_eventrouter/state", 405, #"{"__type":"MethodNotAllowed","message":"use GET /_eventrouter/state, not POST"}"#),
        ("GET", "/_eventrouter/state", 404, #"{"__type":"NotFound","message":"no router runs behind this endpoint, so it has no state"}"#),
        ("GET", "/_eventrouter/graph", 404, #"{"__type":"NotFound","message":"no router runs behind this endpoint, so it has no graph"}"#),
        ("PUT", "/_eventrouter/graph", 405, #"{"__type":"MethodNotAllowed","message":"use GET /_eventrouter/graph, not PUT"}"#),
    ])
    func adminRefusalsSayWhatToDo(method: String, path: String, status: Int, body: String) async {
        let response = await AdminEndpoint().handle(path: String(path.dropFirst("/_eventrouter".count)),
                                                     request: HTTPRequest(method: method, target: path, headers: HTTPHeaders([("Host", "h")])))
        #expect(response.status == status)
        #expect(String(decoding: response.body, as: UTF8.self) == body)
    }

    /// Issue 18: the running router's graph, with the counts of its state, in each format.
    @Test func graphDrawsTheWorkspaceWithItsCounts() async throws {
        let workspace = try Self.workspace()
        let state: JSONValue = ["queues": [:], "deliveries": ["succeeded": 3, "retried": 1, "deadLettered": 0, "dropped": 0]]
        let admin = AdminEndpoint(state: { state }, workspace: workspace)
        let mermaid = await admin.handle(path: "/graph", request: Self.get("/_eventrouter/graph"))
        #expect(mermaid.status == 200)
        let text = String(decoding: mermaid.body, as: UTF8.self)
        #expect(text == WorkspaceGraph(workspace: workspace, state: state).render(.mermaid))
        #expect(text.contains("%% rule deliveries: succeeded 3, retried 1"))
        let dot = await admin.handle(path: "/graph", request: Self.get("/_eventrouter/graph?format=dot"))
        #expect(String(decoding: dot.body, as: UTF8.self).hasPrefix("digraph workspace {"))
        let bad = await admin.handle(path: "/graph", request: Self.get("/_eventrouter/graph?format=png"))
        #expect(bad.status == 400)
        #expect(String(decoding: bad.body, as: UTF8.self).contains("format must be mermaid, dot or json, not 'png'"))
    }

    @Test func stateIsTheReplayStateJSONAndRemoteShutdownStopsTheServer() async throws {
        var options = RouterServer.Options()
        options.port = 0
        options.allowRemoteShutdown = true
        let router = try RouterServer(workspace: try Self.workspace(), options: options)
        let port = router.port
        let (ready, readySink) = AsyncStream.makeStream(of: Void.self)
        async let serving: Void = router.run { readySink.yield() }
        var iterator = ready.makeAsyncIterator()
        _ = await iterator.next()
        let expected = await router.runtime.completeStateJSON()
        let (state, shutdown, afterwards) = await offPool { () -> (TestResponse?, TestResponse?, Bool) in
            let socket = LoopbackSocket(port: port)
            socket?.send("GET /_eventrouter/state HTTP/1.1\r\nHost: h\r\n\r\n")
            let state = socket?.readResponse()
            socket?.send("POST /_eventrouter/shutdown HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n")
            return (state, socket?.readResponse(), socket?.readsEndOfStream() ?? false)
        }
        #expect(state?.status == 200)
        let stateJSON = try JSONValue(parsing: state?.body ?? "")
        #expect(stateJSON.objectValue?.keys.sorted() == expected.objectValue?.keys.sorted(), "the keys of replay --state-out")
        #expect(stateJSON["deliveries"] == expected["deliveries"])
        #expect(stateJSON["queues"]?["arn:aws:sqs:us-east-1:123456789012:orders"] != nil, "\(state?.body ?? "")")
        #expect(shutdown?.status == 202)
        #expect(shutdown?.body == #"{"status":"stopping"}"#)
        #expect(afterwards, "the connection closes once the server stops")
        await serving
        #expect(!router.isReady)
    }

    @Test func logLinesAreFilteredByLevelAndWrittenInOrder() async throws {
        let lines = Mutex<[String]>([])
        let sink = LineLogSink(minimum: try! LineLogSink.level(named: "warn")) { text in lines.withLock { $0.append(text) } }
        sink.log(.info, "hidden")
        sink.log(.warning, "shown", LogMetadata(rule: "r1"))
        sink.log(.error, "also shown")
        await offPool { sink.flush() }
        #expect(lines.withLock { $0.joined() } == "warning [general] shown (rule=r1)\nerror [general] also shown\n")
        #expect(throws: RouterServerError("--log-level must be one of error, warn, info, debug, got 'loud'")) { try LineLogSink.level(named: "loud") }
        #expect(try LineLogSink.level(named: "debug") == .trace)
    }

    @Test func aSlowReaderCostsLinesNotTime() async {
        let entered = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let written = Mutex<[String]>([])
        let first = Atomic<Bool>(true)
        let sink = LineLogSink(minimum: .info, capacity: 2) { text in
            if first.exchange(false, ordering: .relaxed) {
                entered.signal()
                release.wait()
            }
            written.withLock { $0.append(text) }
        }
        sink.log(.info, "one")
        await offPool { entered.wait() }  // the writer holds "one" and is stuck
        for name in ["two", "three", "four", "five"] { sink.log(.info, name) }  // returns at once
        release.signal()
        await offPool { sink.flush() }
        #expect(written.withLock { $0.joined() } == "info [general] one\ninfo [general] two\ninfo [general] three\n"
            + "warning [general] 2 log records left out: the output was not read fast enough\n")
    }
}
