import EventRouter
import Synchronization
import Testing
@testable import EventRouterHTTP

/// The server over real loopback sockets.
@Suite struct HTTPServerTests {
    @Test func keepsConnectionsOpenAndAnswersPipelinedRequestsInOrder() async throws {
        try await withServer { server in
            let port = server.port
            let answers: [TestResponse?] = await offPool {
                guard let socket = LoopbackSocket(port: port) else { return [] }
                socket.send("GET /one HTTP/1.1\r\nHost: h\r\n\r\n")
                let first = socket.readResponse()
                socket.send("POST /two?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcGET /three HTTP/1.1\r\nHost: h\r\n\r\nPOST /four HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n")
                return [first, socket.readResponse(), socket.readResponse(), socket.readResponse()]
            }
            #expect(answers.map { $0?.body } == ["GET /one ? []", "POST /two ?x=1 [abc]", "GET /three ? []", "POST /four ? [hi]"])
            #expect(answers.allSatisfy { $0?.headers["Connection"] == nil && $0?.status == 200 })
        }
    }

    @Test func answersEveryPipelinedRequestSentBeforeAHalfClose() async throws {
        try await withServer { server in
            let port = server.port
            let (bodies, closed): ([String?], Bool) = await offPool {
                guard let socket = LoopbackSocket(port: port) else { return ([], false) }
                socket.send("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n")
                socket.shutdownWrite()
                return ([socket.readResponse()?.body, socket.readResponse()?.body], socket.readsEndOfStream())
            }
            #expect(bodies == ["GET /a ? []", "GET /b ? []"])
            #expect(closed)
        }
    }

    @Test func sendsContinueThenReadsTheBody() async throws {
        try await withServer { server in
            let port = server.port
            let (interim, final): (TestResponse?, TestResponse?) = await offPool {
                guard let socket = LoopbackSocket(port: port) else { return (nil, nil) }
                socket.send("PUT /upload HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
                let interim = socket.readResponse()
                socket.send("data")
                return (interim, socket.readResponse())
            }
            #expect(interim?.status == 100)
            #expect(final?.body == "PUT /upload ? [data]")
        }
    }

    @Test func answersMalformedRequestsClosesThemAndKeepsServingOthers() async throws {
        var configuration = testConfiguration()
        configuration.limits = HTTPParserLimits(maximumHeaderBytes: 1024, maximumBodyBytes: 1000)
        try await withServer(configuration) { server in
            let port = server.port
            let results: [(Int?, Bool)] = await offPool {
                let inputs = [
                    "BROKEN\r\n\r\n",
                    "GET / HTTP/1.1\r\nHost: h\r\nno colon\r\n\r\n",
                    "GET / HTTP/1.1\r\nHost: h\r\nX: " + String(repeating: "a", count: 2000) + "\r\n\r\n",
                    "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5000\r\n\r\n" + String(repeating: "b", count: 5000),
                    "GET /%G1 HTTP/1.1\r\nHost: h\r\n\r\n",
                ]
                return inputs.map { input in
                    guard let socket = LoopbackSocket(port: port) else { return (nil, false) }
                    socket.send(input)
                    let response = socket.readResponse()
                    return (response?.status, response?.headers["Connection"] == "close" && socket.readsEndOfStream())
                }
            }
            #expect(results.map(\.0) == [400, 400, 431, 413, 400])
            #expect(results.allSatisfy { $0.1 }, "each malformed request is answered, then its connection closes")
            let healthy = await offPool { () -> TestResponse? in
                let socket = LoopbackSocket(port: port)
                socket?.send("GET /still-here HTTP/1.1\r\nHost: h\r\n\r\n")
                return socket?.readResponse()
            }
            #expect(healthy?.body == "GET /still-here ? []")
            #expect(server.rejectedRequests == 5)
        }
    }

    @Test func answersATruncatedChunkedBodyWhenThePeerStopsSending() async throws {
        try await withServer { server in
            let port = server.port
            let response = await offPool { () -> TestResponse? in
                let socket = LoopbackSocket(port: port)
                socket?.send("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel")
                socket?.shutdownWrite()
                return socket?.readResponse()
            }
            #expect(response?.status == 400)
            #expect(response?.body.contains("the connection ended inside a chunked body, before its last (zero-size) chunk") == true)
        }
    }

    @Test func closesIdleConnectionsAndTimesOutSlowRequestsOnTheInjectedClock() async throws {
        let clock = ManualClock()
        var configuration = testConfiguration()
        configuration.clock = clock
        configuration.idleTimeout = .seconds(60)
        configuration.requestReadTimeout = .seconds(30)
        try await withServer(configuration) { server in
            let port = server.port
            let (idle, slow, first) = await offPool { () -> (LoopbackSocket?, LoopbackSocket?, TestResponse?) in
                let idle = LoopbackSocket(port: port), slow = LoopbackSocket(port: port)
                idle?.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
                slow?.send("GET / HTTP/1.1\r\nHost: h\r\n")
                return (idle, slow, idle?.readResponse())
            }
            #expect(first?.status == 200)
            let idleSocket = try #require(idle), slowSocket = try #require(slow)
            for _ in 0..<2 {  // the second step covers bytes read only after the first wake
                clock.advance(by: .seconds(31))
                server.wake()
            }
            let timedOut = await offPool { slowSocket.readResponse() }
            #expect(timedOut?.status == 408)
            #expect(timedOut?.body.contains("the request was not complete") == true)
            clock.advance(by: .seconds(61))
            server.wake()
            #expect(await offPool { idleSocket.readsEndOfStream() })
        }
    }

    @Test func holdsTwoHundredKeepAliveConnectionsAndAnswersOnEach() async throws {
        try await withServer { server in
            let port = server.port
            let statuses: [Int] = await offPool {
                let sockets = (0..<200).compactMap { _ in LoopbackSocket(port: port) }
                for (i, socket) in sockets.enumerated() { socket.send("GET /c\(i) HTTP/1.1\r\nHost: h\r\n\r\n") }
                var statuses = sockets.enumerated().map { i, socket in socket.readResponse()?.body == "GET /c\(i) ? []" ? 200 : 0 }
                for socket in sockets { socket.send("GET /again HTTP/1.1\r\nHost: h\r\n\r\n") }
                statuses += sockets.map { $0.readResponse()?.status ?? 0 }
                return statuses
            }
            #expect(statuses.count == 400 && statuses.allSatisfy { $0 == 200 })
        }
    }

    @Test func parkedLongPollsDoNotStarveOtherRequests() async throws {
        let gate = Gate()
        let handler = ClosureHTTPHandler { request in
            if request.path == "/poll" { await gate.wait() }
            return HTTPResponse(status: 200, contentType: "text/plain", text: request.path)
        }
        try await withServer(handler: handler) { server in
            let port = server.port
            let polls = await offPool { () -> [LoopbackSocket] in
                let sockets = (0..<100).compactMap { _ in LoopbackSocket(port: port) }
                for socket in sockets { socket.send("GET /poll HTTP/1.1\r\nHost: h\r\n\r\n") }
                return sockets
            }
            await gate.waitForWaiters(100)
            let quick = await offPool { () -> TestResponse? in
                let socket = LoopbackSocket(port: port)
                socket?.send("GET /quick HTTP/1.1\r\nHost: h\r\n\r\n")
                return socket?.readResponse()
            }
            #expect(quick?.body == "/quick")
            gate.open()
            let answered = await offPool { polls.map { $0.readResponse()?.body } }
            #expect(answered.allSatisfy { $0 == "/poll" } && answered.count == 100)
        }
    }

    @Test func shutdownFinishesTheRequestInFlightThenReturns() async throws {
        let gate = Gate()
        let handler = ClosureHTTPHandler { _ in
            await gate.wait()
            return HTTPResponse(status: 200, contentType: "text/plain", text: "finished")
        }
        let server = try HTTPServer(configuration: testConfiguration(), handler: handler)
        let port = server.port
        let socket = try #require(await offPool { () -> LoopbackSocket? in
            let socket = LoopbackSocket(port: port)
            socket?.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
            return socket
        })
        async let serving: Void = server.run()
        await gate.waitForWaiters(1)
        server.shutdown()
        gate.open()
        let response = await offPool { socket.readResponse() }
        await serving
        #expect(response?.body == "finished")
        #expect(response?.headers["Connection"] == "close")
        #expect(await offPool { LoopbackSocket(port: port) == nil }, "the listener is closed")
    }
}

extension HTTPServerTests {
    @Test func shutdownCancelsHandlersStillRunningWhenTheGracePeriodEnds() async throws {
        let clock = ManualClock()
        var configuration = testConfiguration()
        configuration.clock = clock
        configuration.shutdownGracePeriod = .seconds(8)
        let (entered, enteredSink) = AsyncStream.makeStream(of: Void.self)
        let (never, neverSink) = AsyncStream.makeStream(of: Void.self)
        let cancelled = Mutex(false)
        let handler = ClosureHTTPHandler { _ in
            enteredSink.yield()
            for await _ in never {}  // ends only when the task is cancelled
            cancelled.withLock { $0 = Task.isCancelled }
            return HTTPResponse(status: 200)
        }
        let server = try HTTPServer(configuration: configuration, handler: handler)
        let port = server.port
        let socket = try #require(await offPool { () -> LoopbackSocket? in
            let socket = LoopbackSocket(port: port)
            socket?.send("GET /poll HTTP/1.1\r\nHost: h\r\n\r\n")
            return socket
        })
        async let serving: Void = server.run()
        var arrivals = entered.makeAsyncIterator()
        _ = await arrivals.next()
        server.shutdown()
        clock.advance(by: .seconds(9))
        server.wake()
        await serving
        #expect(cancelled.withLock { $0 })
        #expect(await offPool { socket.readsEndOfStream() }, "the connection is closed without an answer")
        withExtendedLifetime(neverSink) {}
    }
}

/// Parks handlers until opened; tests wait until a given number are parked.
final class Gate: Sendable {
    private struct State {
        var open = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        var watchers: [(Int, CheckedContinuation<Void, Never>)] = []
    }
    private let state = Mutex(State())

    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let (resumeNow, due) = state.withLock { s -> (Bool, [CheckedContinuation<Void, Never>]) in
                if s.open { return (true, []) }
                s.waiters.append(c)
                let count = s.waiters.count
                let due = s.watchers.filter { $0.0 <= count }.map(\.1)
                s.watchers.removeAll { $0.0 <= count }
                return (false, due)
            }
            if resumeNow { c.resume() }
            due.forEach { $0.resume() }
        }
    }

    func waitForWaiters(_ n: Int) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s in
                if s.waiters.count >= n { return true }
                s.watchers.append((n, c))
                return false
            }
            if now { c.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { s in
            s.open = true
            defer { s.waiters = [] }
            return s.waiters
        }
        waiters.forEach { $0.resume() }
    }
}
