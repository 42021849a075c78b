#if canImport(Glibc)
import Glibc
#endif
import EventRouter
import Foundation
import Synchronization

/// Counters shared between the socket thread and observers.
final class HTTPServerCounters: Sendable {
    let connections = Atomic<Int>(0)
    let requests = Atomic<Int>(0)
    let rejected = Atomic<Int>(0)
    let ready = Atomic<Bool>(false)
    /// Returns of `epoll_wait` (socket-thread wake-ups, timeouts included).
    let wakeups = Atomic<Int>(0)
    /// Requests waiting for their answer (handler running or answer held back), summed over
    /// the wake-ups, and the most at one wake-up.
    let inFlightSum = Atomic<Int>(0)
    let inFlightMost = Atomic<Int>(0)
}

/// An HTTP/1.1 server on POSIX sockets.
///
/// One dedicated thread runs an `epoll` loop over non-blocking sockets: it accepts, reads, parses
/// (``HTTPRequestParser``) and writes. A request the handler can answer at once
/// (``HTTPHandler/answerAtOnce(_:)``) is answered right there, with no task. Each other request
/// goes to the ``HTTPHandler`` as a child task of ``run()``; the first request of each wake-up runs on the socket thread itself
/// (the thread is the task's executor), others on Swift's pool; its response is written back with
/// one `send` (and `TCP_NODELAY`).
/// Connections are persistent; pipelined requests are answered in order (one at a time per
/// connection). Malformed requests get a 4xx answer and the connection closes; other connections
/// carry on.
///
/// ```swift
/// let server = try HTTPServer(configuration: configuration, handler: handler)
/// print(server.port)           // bound already
/// async let serving: Void = server.run()
/// server.shutdown()             // e.g. on SIGTERM
/// await serving                 // returns once requests in flight are answered
/// ```
public final class HTTPServer: Sendable {
    /// The port the server is bound to.
    public let port: Int
    private let configuration: HTTPServerConfiguration
    private let handler: any HTTPHandler
    private let listener: ListeningSocket
    private let inbox: LoopInbox
    private let counters = HTTPServerCounters()
    private let started = Atomic<Bool>(false)

    /// Binds and listens (connections queue until ``run()``).
    /// - Throws: ``HTTPServerError`` when the address cannot be resolved or bound.
    public init(configuration: HTTPServerConfiguration, handler: any HTTPHandler) throws(HTTPServerError) {
        listener = try ListeningSocket(host: configuration.host, port: configuration.port)
        do {
            inbox = try LoopInbox()
        } catch {
            close(listener.fd)
            throw error
        }
        port = listener.port
        self.configuration = configuration
        self.handler = handler
    }

    deinit {
        if !started.load(ordering: .acquiring) {
            close(listener.fd)
            inbox.close()
        }
    }

    /// Whether the socket thread is accepting connections.
    public var isReady: Bool { counters.ready.load(ordering: .acquiring) }
    /// Connections open now.
    public var openConnections: Int { counters.connections.load(ordering: .relaxed) }
    /// Requests answered by the handler so far.
    public var answeredRequests: Int { counters.requests.load(ordering: .relaxed) }
    /// Whether the caller runs on this server's socket thread (tests of where handlers run).
    var isOnSocketThread: Bool { inbox.isOnLoopThread }
    /// Requests rejected as malformed so far.
    public var rejectedRequests: Int { counters.rejected.load(ordering: .relaxed) }

    /// A line for the log: requests, socket-thread wake-ups per request, and how many requests
    /// were in flight (handler running or answer held back for the journal) per wake-up.
    public var loopSummary: String {
        let requests = answeredRequests, wakeups = counters.wakeups.load(ordering: .relaxed)
        let perRequest = requests == 0 ? 0 : Double(wakeups) / Double(requests)
        let inFlight = wakeups == 0 ? 0 : Double(counters.inFlightSum.load(ordering: .relaxed)) / Double(wakeups)
        return "\(requests) requests, \(wakeups) socket-thread wake-ups (\((perRequest * 100).rounded() / 100) per request), "
            + "\((inFlight * 10).rounded() / 10) requests in flight per wake-up (most \(counters.inFlightMost.load(ordering: .relaxed)))"
    }

    /// Serves until ``shutdown()`` has finished: then requests in flight have been answered (or,
    /// past the grace period, cancelled) and every connection is closed. Call it once.
    public func run() async {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let jobs = HTTPJobQueue()
        let configuration = configuration, listener = listener, inbox = inbox, counters = counters, handler = handler
        await withDiscardingTaskGroup { group in
            group.addTask {
                await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                    let thread = Thread {
                        ServerLoop(configuration: configuration, listener: listener, inbox: inbox, jobs: jobs, counters: counters, handler: handler).run()
                        jobs.finish()
                        done.resume()
                    }
                    thread.name = "eventrouter-http"
                    thread.start()
                }
            }
            // This loop runs on the socket thread, so a request it receives starts there without a
            // wake-up of another thread; each handler runs on the socket thread or on the pool as chosen.
            await withTaskExecutorPreference(inbox) {
                while let job = await jobs.next() {
                    switch job {
                    case .afterAnswer(let work):
                        group.addTask(executorPreference: inbox) { await work() }  // on the socket thread, after the answer
                    case .request(let connection, let request, let onSocketThread):
                        group.addTask(executorPreference: onSocketThread ? inbox : globalConcurrentExecutor) {
                            await Self.handle(request, connection: connection, onSocketThread: onSocketThread, handler: handler, inbox: inbox)
                        }
                    }
                }
            }
            group.cancelAll()
        }
    }

    /// Answers one request in its task: posts the response to the socket thread, or has the
    /// journal's completion post it once its records are stored.
    private static func handle(_ request: HTTPRequest, connection: UInt64, onSocketThread: Bool, handler: any HTTPHandler, inbox: LoopInbox) async {
        var response = await handler.handleDeferringStorage(request)
        if let held = response.untilStored {
            response.untilStored = nil
            guard response.afterSending == nil else {
                response = await held.settle(response)  // its work runs after a stored answer
                return await answer(response, connection: connection, onSocketThread: onSocketThread, inbox: inbox)
            }
            // Sent from the journal's completion: no task waits or wakes for it.
            let answer = response
            held.ticket.whenStored { failure in
                inbox.post(.completed(connection: connection, response: failure.map(held.notStored) ?? answer))
            }
            return
        }
        await answer(response, connection: connection, onSocketThread: onSocketThread, inbox: inbox)
    }

    /// Posts `response` to the socket thread, with its ``HTTPResponse/afterSending`` work done
    /// after the answer (on the socket thread) or before it (on the pool).
    private static func answer(_ response: HTTPResponse, connection: UInt64, onSocketThread: Bool, inbox: LoopInbox) async {
        var response = response
        guard let work = response.afterSending else {
            inbox.post(.completed(connection: connection, response: response))
            return
        }
        response.afterSending = nil
        if onSocketThread {
            // Answer first: the loop writes the response before it runs this task's next job.
            inbox.post(.completed(connection: connection, response: response))
            await Task.yield()
            await work()
        } else {
            await work()
            inbox.post(.completed(connection: connection, response: response))
        }
    }

    /// Stops accepting, lets requests in flight finish (for up to the grace period from now),
    /// closes every connection and makes ``run()`` return; handlers still running then are
    /// cancelled. Safe to call from any thread, more than once.
    public func shutdown() { inbox.post(.shutdown(deadline: configuration.clock.now + configuration.shutdownGracePeriod)) }

    /// Makes the socket thread check its timeouts now (tests call it after advancing a manual clock).
    public func wake() { inbox.post(.wake) }
}
