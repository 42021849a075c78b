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

/// What the socket thread hands to the handler tasks.
enum HTTPJob: Sendable {
    /// A request to answer: on the socket thread (``LoopInbox`` as its task executor) or on
    /// Swift's global pool.
    case request(connection: UInt64, request: HTTPRequest, onSocketThread: Bool)
    /// The ``HTTPResponse/afterSending`` work of a response already written (answered at once).
    case afterAnswer(@Sendable () async -> Void)
}

/// The socket thread's mailbox: a locked list of messages and of task jobs, plus an `eventfd`
/// that wakes `epoll_wait`.
///
/// It is also a `TaskExecutor`: a handler task that prefers it runs on the socket thread, between
/// two `epoll_wait` calls, so a request whose handler never really suspends is read, answered and
/// written by one thread with no hand-off (docs/http-server.md, "Where handlers run"). A handler
/// that does suspend (a long poll, a function invocation, a journal write) resumes here when it is
/// woken, through the same `eventfd`.
///
/// The lock covers only the lists (an append or a swap), so the `eventfd` system calls stay outside
/// it. Posts and jobs from the socket thread itself never signal: the loop empties the inbox before
/// it waits. The `eventfd` lives as long as the inbox (closed in `deinit`), so a post racing with
/// ``close()`` never writes to a reused descriptor. Once closed (the loop has ended), messages are
/// dropped and jobs go to Swift's global executor, so tasks preferring the socket thread still finish.
final class LoopInbox: TaskExecutor, Sendable {
    private struct State {
        var messages: [LoopMessage] = []
        var jobs: [UnownedJob] = []
        var open = true
        var isEmpty: Bool { messages.isEmpty && jobs.isEmpty }
    }
    private let state = Mutex(State())
    private let eventFD: Int32
    /// `pthread_self()` of the socket thread while it runs (0 before and after).
    private let loopThread = Atomic<UInt>(0)

    init() throws(HTTPServerError) {
        let fd = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard fd >= 0 else { throw HTTPServerError("cannot create an eventfd: \(ListeningSocket.reason())") }
        eventFD = fd
    }

    deinit { Glibc.close(eventFD) }

    /// The eventfd to watch, or -1 once closed.
    var fd: Int32 { state.withLock { $0.open } ? eventFD : -1 }

    /// Marks the calling thread as the socket thread (its posts and jobs need no signal).
    func attach() { loopThread.store(UInt(pthread_self()), ordering: .releasing) }

    var isOnLoopThread: Bool { loopThread.load(ordering: .acquiring) == UInt(pthread_self()) }

    /// Queues `message` and wakes the socket thread; dropped once the loop has ended.
    func post(_ message: LoopMessage) {
        let local = isOnLoopThread
        let signal = state.withLock { s -> Bool in
            guard s.open else { return false }
            let wasEmpty = s.isEmpty
            s.messages.append(message)
            return wasEmpty && !local  // otherwise already signalled, or the loop empties the inbox before it waits
        }
        if signal { self.signal() }
    }

    /// Runs `job` on the socket thread (or, once the loop has ended, on the global executor).
    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let local = isOnLoopThread
        let queued = state.withLock { s -> Bool? in
            guard s.open else { return nil }
            let wasEmpty = s.isEmpty
            s.jobs.append(unowned)
            return wasEmpty && !local
        }
        guard let signal = queued else {
            globalConcurrentExecutor.enqueue(ExecutorJob(unowned))
            return
        }
        if signal { self.signal() }
    }

    private func signal() {
        var one: UInt64 = 1
        _ = write(eventFD, &one, 8)
    }

    /// Resets the eventfd (the socket thread only, when `epoll` reports it readable); call
    /// ``take()`` after it, so that a post racing with the reset is not missed.
    func reset() {
        var count: UInt64 = 0
        _ = read(eventFD, &count, 8)
    }

    /// Whether anything waits (the socket thread does not block in `epoll_wait` then).
    var hasWork: Bool { state.withLock { !$0.isEmpty } }

    /// Takes every queued message and job (the socket thread only).
    func take() -> (messages: [LoopMessage], jobs: [UnownedJob]) {
        state.withLock { s in
            defer {
                s.messages = []
                s.jobs = []
            }
            return (s.messages, s.jobs)
        }
    }

    /// Runs `job` on the calling (socket) thread with this inbox as its task executor.
    func run(_ job: UnownedJob) { job.runSynchronously(on: asUnownedTaskExecutor()) }

    /// Drops queued and later messages and hands queued and later jobs to the global executor
    /// (the loop has ended).
    func close() {
        let jobs = state.withLock { s -> [UnownedJob] in
            s.open = false
            s.messages = []
            defer { s.jobs = [] }
            return s.jobs
        }
        loopThread.store(0, ordering: .releasing)
        for job in jobs { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
    }
}
