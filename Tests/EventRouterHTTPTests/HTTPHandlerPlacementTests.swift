import EventRouter
import Synchronization
import Testing
@testable import EventRouterHTTP

/// Where handlers run (docs/http-server.md, "Where handlers run"): on the socket thread when the
/// configuration allows it, otherwise on the pool; and work after the answer.
@Suite struct HTTPHandlerPlacementTests {
    /// The server, known to its handler once built.
    final class ServerBox: Sendable {
        let server = Mutex<HTTPServer?>(nil)
        /// `socket` on the server's socket thread, `pool` elsewhere.
        func place() -> String { server.withLock { $0 }?.isOnSocketThread == true ? "socket" : "pool" }
    }

    @Test(arguments: [(true, "socket"), (false, "pool")])
    func aHandlerThatDoesNotSuspendRunsOnTheSocketThreadWhenAllowed(onSocketThread: Bool, expected: String) async throws {
        var configuration = testConfiguration()
        configuration.handlersOnSocketThread = onSocketThread
        let box = ServerBox()
        let handler = ClosureHTTPHandler { _ in HTTPResponse(status: 200, contentType: "text/plain", text: box.place()) }
        try await withServer(configuration, handler: handler) { server in
            box.server.withLock { $0 = server }
            let port = server.port
            let bodies: [String?] = await offPool {
                guard let socket = LoopbackSocket(port: port) else { return [] }
                return (0..<3).map { _ in
                    socket.send("GET /where HTTP/1.1\r\nHost: h\r\n\r\n")
                    return socket.readResponse()?.body
                }
            }
            #expect(bodies == [expected, expected, expected])
        }
    }

    @Test func aHandlerThatSuspendsOnTheSocketThreadResumesThereAndAnswers() async throws {
        let box = ServerBox()
        let handler = ClosureHTTPHandler { _ in
            let before = box.place()
            _ = await offPool { 0 }  // a real suspension: resumed from another thread
            return HTTPResponse(status: 200, contentType: "text/plain", text: "\(before) \(box.place())")
        }
        try await withServer(handler: handler) { server in
            box.server.withLock { $0 = server }
            let port = server.port
            let body: String? = await offPool {
                guard let socket = LoopbackSocket(port: port) else { return nil }
                socket.send("GET /sleep HTTP/1.1\r\nHost: h\r\n\r\n")
                return socket.readResponse()?.body
            }
            #expect(body == "socket socket")
        }
    }

    @Test(arguments: [true, false])
    func workAfterTheAnswerIsDoneBeforeTheNextRequestIsAnswered(onSocketThread: Bool) async throws {
        var configuration = testConfiguration()
        configuration.handlersOnSocketThread = onSocketThread
        let done = Mutex(0)
        let handler = ClosureHTTPHandler { request in
            if request.path == "/count" {
                return HTTPResponse(status: 200, contentType: "text/plain", text: String(done.withLock { $0 }))
            }
            var response = HTTPResponse(status: 200, contentType: "text/plain", text: "accepted")
            response.afterSending = { done.withLock { $0 += 1 } }
            return response
        }
        try await withServer(configuration, handler: handler) { server in
            let port = server.port
            let bodies: [String?] = await offPool {
                guard let first = LoopbackSocket(port: port), let second = LoopbackSocket(port: port) else { return [] }
                var bodies: [String?] = []
                for _ in 0..<3 {
                    first.send("POST /publish HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n")
                    bodies.append(first.readResponse()?.body)
                    second.send("GET /count HTTP/1.1\r\nHost: h\r\n\r\n")  // another connection, as an SQS client after SNS Publish
                    bodies.append(second.readResponse()?.body)
                }
                return bodies
            }
            #expect(bodies == ["accepted", "1", "accepted", "2", "accepted", "3"])
        }
    }
}
