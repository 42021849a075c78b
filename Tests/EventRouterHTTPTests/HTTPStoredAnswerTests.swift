import Dispatch
import EventRouter
import Synchronization
import Testing
@testable import EventRouterHTTP

/// Answers held back until the request's journal records are stored (``HTTPStoredAnswer``,
/// docs/http-server.md "Answers that wait for the journal"): the handler's task ends at once, the
/// answer goes out only when the ticket calls back, and a record not stored sends the
/// not-stored answer instead.
@Suite struct HTTPStoredAnswerTests {
    /// A ticket the test stores (or fails) by hand.
    final class ManualPending: StateJournalPending {
        let callbacks = Mutex<[@Sendable (StateJournalFailure?) -> Void]>([])
        let registered = DispatchSemaphore(value: 0)

        func stored() async throws(StateJournalFailure) {
            Issue.record("the server awaited the ticket in the handler's task instead of holding the answer back")
        }

        func whenStored(_ body: @escaping @Sendable (StateJournalFailure?) -> Void) {
            callbacks.withLock { $0.append(body) }
            registered.signal()
        }

        func settle(_ failure: StateJournalFailure?) {
            for callback in callbacks.withLock({ $0 }) { callback(failure) }
        }
    }

    /// A handler whose every answer waits for `pending`.
    struct HeldHandler: HTTPHandler {
        let pending: ManualPending
        func handle(_ request: HTTPRequest) async -> HTTPResponse {
            Issue.record("the server called handle(_:) instead of handleDeferringStorage(_:)")
            return HTTPResponse(status: 500)
        }
        func handleDeferringStorage(_ request: HTTPRequest) async -> HTTPResponse {
            var response = HTTPResponse(status: 200, contentType: "text/plain", text: "stored")
            response.untilStored = HTTPStoredAnswer(ticket: StateJournalTicket(pending)) { failure in
                HTTPResponse(status: 503, contentType: "text/plain", text: "not stored: \(failure.message)")
            }
            return response
        }
    }

    @Test(arguments: [(true, nil, 200, "stored"), (false, nil, 200, "stored"),
                      (true, "ENOSPC", 503, "not stored: ENOSPC"), (false, "EIO", 503, "not stored: EIO")])
    func theAnswerWaitsForTheTicketAndANotStoredRecordSendsTheOtherAnswer(
        onSocketThread: Bool, failure: String?, status: Int, body: String
    ) async throws {
        var configuration = testConfiguration()
        configuration.handlersOnSocketThread = onSocketThread
        let pending = ManualPending()
        try await withServer(configuration, handler: HeldHandler(pending: pending)) { server in
            let port = server.port
            async let answer: TestResponse? = offPool {
                guard let socket = LoopbackSocket(port: port) else { return nil }
                socket.send("POST /put HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n")
                return socket.readResponse()
            }
            _ = await offPool { pending.registered.wait(timeout: .now() + 60) }  // a guard, not a timing
            #expect(server.answeredRequests == 0, "answered before the records were stored")
            pending.settle(failure.map(StateJournalFailure.init))
            let response = await answer
            #expect(response?.status == status)
            #expect(response?.body == body)
            #expect(server.answeredRequests == 1)
        }
    }
}
