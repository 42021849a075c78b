import EventRouter
import Synchronization
import Testing
@testable import EventRouterHTTP

/// Requests a handler answers at once (``HTTPHandler/answerAtOnce(_:)``): answered on the socket
/// thread without a task, in order with the others, their work done after the answer and before
/// the next request is read; declined or disallowed ones go through ``HTTPHandler/handle(_:)``.
@Suite struct HTTPAnswerAtOnceTests {
    /// Answers `/now…` at once (saying where it ran and which way), everything else through `handle`;
    /// `/count` reports how much after-answer work has been done.
    final class SplitHandler: HTTPHandler {
        let box = HTTPHandlerPlacementTests.ServerBox()
        let done = Counter()

        final class Counter: Sendable {
            let value = Mutex(0)
            func withLock<T>(_ body: (inout Int) -> T) -> T { value.withLock { body(&$0) } }
        }

        func answerAtOnce(_ request: HTTPRequest) -> HTTPResponse? {
            guard request.path.hasPrefix("/now") else { return nil }
            var response = HTTPResponse(status: 200, contentType: "text/plain", text: "at once \(request.path) on \(box.place())")
            let done = self.done
            response.afterSending = { done.withLock { $0 += 1 } }
            return response
        }

        func handle(_ request: HTTPRequest) async -> HTTPResponse {
            if request.path == "/count" { return HTTPResponse(status: 200, contentType: "text/plain", text: String(done.withLock { $0 })) }
            return HTTPResponse(status: 200, contentType: "text/plain", text: "handled \(request.path)")
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrderEachItsWay() async throws {
        let handler = SplitHandler()
        try await withServer(handler: handler) { server in
            handler.box.server.withLock { $0 = server }
            let port = server.port
            let bodies: [String?] = await offPool {
                guard let socket = LoopbackSocket(port: port) else { return [] }
                socket.send("GET /now/1 HTTP/1.1\r\nHost: h\r\n\r\nGET /later HTTP/1.1\r\nHost: h\r\n\r\nGET /now/2 HTTP/1.1\r\nHost: h\r\n\r\n"
                            + "GET /now/3 HTTP/1.1\r\nHost: h\r\n\r\n")
                return (0..<4).map { _ in socket.readResponse()?.body }
            }
            #expect(bodies == ["at once /now/1 on socket", "handled /later", "at once /now/2 on socket", "at once /now/3 on socket"])
            #expect(server.answeredRequests == 4)
        }
    }

    @Test func workAfterAnAnswerAtOnceIsDoneBeforeTheNextRequestIsRead() async throws {
        let handler = SplitHandler()
        try await withServer(handler: handler) { server in
            handler.box.server.withLock { $0 = server }
            let port = server.port
            let bodies: [String?] = await offPool {
                guard let first = LoopbackSocket(port: port), let second = LoopbackSocket(port: port) else { return [] }
                var bodies: [String?] = []
                for _ in 0..<3 {
                    first.send("POST /now HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n")
                    bodies.append(first.readResponse()?.body)
                    second.send("GET /count HTTP/1.1\r\nHost: h\r\n\r\n")
                    bodies.append(second.readResponse()?.body)
                }
                return bodies
            }
            #expect(bodies == ["at once /now on socket", "1", "at once /now on socket", "2", "at once /now on socket", "3"])
        }
    }

    @Test func withHandlersOffTheSocketThreadNothingIsAnsweredAtOnce() async throws {
        var configuration = testConfiguration()
        configuration.handlersOnSocketThread = false
        let handler = SplitHandler()
        try await withServer(configuration, handler: handler) { server in
            let port = server.port
            let body: String? = await offPool {
                guard let socket = LoopbackSocket(port: port) else { return nil }
                socket.send("GET /now HTTP/1.1\r\nHost: h\r\n\r\n")
                return socket.readResponse()?.body
            }
            #expect(body == "handled /now")
        }
    }

    @Test func aConnectionClosingAfterAnAnswerAtOnceGetsItWhole() async throws {
        let handler = SplitHandler()
        try await withServer(handler: handler) { server in
            let port = server.port
            let response: (Int, String?)? = await offPool {
                guard let socket = LoopbackSocket(port: port) else { return nil }
                socket.send("GET /now HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
                guard let response = socket.readResponse() else { return nil }
                return (response.status, response.headers["Connection"])
            }
            #expect(response?.0 == 200)
            #expect(response?.1 == "close")
        }
    }
}
