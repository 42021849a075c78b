#if canImport(Glibc)
import Glibc
#endif
import CEventRouterSystem
import EventRouter
import Synchronization

/// What other threads tell the socket thread.
enum LoopMessage: Sendable {
    /// A handler answered the request in flight on a connection.
    case completed(connection: UInt64, response: HTTPResponse)
    /// Stop accepting, finish requests in flight (until `deadline`), then end.
    case shutdown(deadline: Timestamp)
    /// Check timeouts now (after a manual clock moved).
    case wake
}

/// A request handed from the socket thread to the handler tasks.
struct HTTPJob: Sendable {
    let connection: UInt64
    let request: HTTPRequest
}

/// The socket thread's mailbox: a locked list plus an `eventfd` that wakes `epoll_wait`.
final class LoopInbox: Sendable {
    private struct State {
        var messages: [LoopMessage] = []
        var fd: Int32
    }
    private let state: Mutex<State>

    init() throws(HTTPServerError) {
        let fd = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard fd >= 0 else { throw HTTPServerError("cannot create an eventfd: \(ListeningSocket.reason())") }
        state = Mutex(State(fd: fd))
    }

    /// The eventfd to watch, or -1 once closed.
    var fd: Int32 { state.withLock { $0.fd } }

    /// Queues `message` and wakes the socket thread; dropped once the loop has ended.
    func post(_ message: LoopMessage) {
        state.withLock { s in
            guard s.fd >= 0 else { return }
            s.messages.append(message)
            guard s.messages.count == 1 else { return }  // already signalled; the loop takes them all at once
            var one: UInt64 = 1
            _ = write(s.fd, &one, 8)
        }
    }

    /// Takes every queued message and resets the eventfd.
    func take() -> [LoopMessage] {
        state.withLock { s in
            var count: UInt64 = 0
            if s.fd >= 0 { _ = read(s.fd, &count, 8) }
            defer { s.messages.removeAll(keepingCapacity: true) }
            return s.messages
        }
    }

    /// Closes the eventfd; later posts are dropped.
    func close() {
        state.withLock { s in
            if s.fd >= 0 { _ = Glibc.close(s.fd) }
            s.fd = -1
            s.messages = []
        }
    }
}
