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
///
/// The lock covers only the list (an append or a swap): handler tasks post an answer per
/// request, so the `eventfd` system calls stay outside it. The `eventfd` lives as long as the
/// inbox (closed in `deinit`), so a post racing with ``close()`` never writes to a reused descriptor.
final class LoopInbox: Sendable {
    private struct State {
        var messages: [LoopMessage] = []
        var open = true
    }
    private let state = Mutex(State())
    private let eventFD: Int32

    init() throws(HTTPServerError) {
        let fd = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard fd >= 0 else { throw HTTPServerError("cannot create an eventfd: \(ListeningSocket.reason())") }
        eventFD = fd
    }

    deinit { Glibc.close(eventFD) }

    /// The eventfd to watch, or -1 once closed.
    var fd: Int32 { state.withLock { $0.open } ? eventFD : -1 }

    /// Queues `message` and wakes the socket thread; dropped once the loop has ended.
    func post(_ message: LoopMessage) {
        let signal = state.withLock { s -> Bool in
            guard s.open else { return false }
            s.messages.append(message)
            return s.messages.count == 1  // otherwise already signalled; the loop takes them all at once
        }
        guard signal else { return }
        var one: UInt64 = 1
        _ = write(eventFD, &one, 8)
    }

    /// Takes every queued message and resets the eventfd (the socket thread only).
    func take() -> [LoopMessage] {
        var count: UInt64 = 0
        _ = read(eventFD, &count, 8)  // before the swap: a post after it signals again
        var taken: [LoopMessage] = []
        state.withLock { s in swap(&taken, &s.messages) }
        return taken
    }

    /// Drops queued and later messages (the loop has ended).
    func close() {
        state.withLock { s in
            s.open = false
            s.messages = []
        }
    }
}
