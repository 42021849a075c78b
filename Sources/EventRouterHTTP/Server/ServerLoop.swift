#if canImport(Glibc)
import Glibc
#endif
import CEventRouterSystem
import EventRouter
import EventRouterStorage

/// The socket thread: one `epoll` loop over the listener, every connection and the inbox.
///
/// All sockets are non-blocking and touched only here, so no socket call ever runs on Swift's
/// cooperative pool. Complete requests go to the handler tasks through `jobs`; their answers come
/// back through the inbox. Idle connections cost a file descriptor and a small object, no thread.
final class ServerLoop {
    private static let listenerToken: UInt64 = 0
    private static let inboxToken: UInt64 = 1
    private static let readable = EPOLLIN.rawValue
    private static let writable = EPOLLOUT.rawValue
    private static let continueBytes = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private let configuration: HTTPServerConfiguration
    private let listener: ListeningSocket
    private let inbox: LoopInbox
    private let jobs: HTTPJobQueue
    private let handler: any HTTPHandler
    private let counters: HTTPServerCounters
    private let epoll: Int32
    private var connections: [UInt64: Connection] = [:]
    private var nextID: UInt64 = 2
    private var listening = true
    private var listenerArmed = true
    private var stopping = false
    private var graceDeadline: Timestamp?
    private var nextSweep: Timestamp
    private var scratch = [UInt8](repeating: 0, count: 65_536)
    /// Requests handed to handlers since the last `epoll_wait`.
    private var dispatchedThisRound = 0
    /// Requests handed to handlers and not answered yet (the counters sample it per wake-up).
    private var inFlight = 0
    /// How many times the inbox is emptied before `epoll_wait` is called again (others' sockets wait meanwhile).
    private static let inboxRounds = 64

    init(configuration: HTTPServerConfiguration, listener: ListeningSocket, inbox: LoopInbox,
         jobs: HTTPJobQueue, counters: HTTPServerCounters, handler: any HTTPHandler) {
        self.configuration = configuration
        self.handler = handler
        self.listener = listener
        self.inbox = inbox
        self.jobs = jobs
        self.counters = counters
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        nextSweep = configuration.clock.now + .seconds(1)
    }

    private var now: Timestamp { configuration.clock.now }

    /// Serves until shutdown has finished every connection.
    func run() {
        ThreadName.set("er-http")
        inbox.attach()
        control(EPOLL_CTL_ADD, fd: listener.fd, events: Self.readable, token: Self.listenerToken)
        control(EPOLL_CTL_ADD, fd: inbox.fd, events: Self.readable, token: Self.inboxToken)
        counters.ready.store(true, ordering: .releasing)
        configuration.onReady?()
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        while !(stopping && connections.isEmpty) {
            let count = epoll_wait(epoll, &events, Int32(events.count), inbox.hasWork ? 0 : millisecondsToNextSweep())
            dispatchedThisRound = 0
            counters.wakeups.add(1, ordering: .relaxed)
            counters.inFlightSum.add(inFlight, ordering: .relaxed)
            if inFlight > counters.inFlightMost.load(ordering: .relaxed) { counters.inFlightMost.store(inFlight, ordering: .relaxed) }
            for i in 0..<max(0, Int(count)) {
                let token = events[i].data.u64
                let flags = events[i].events
                switch token {
                case Self.listenerToken: acceptAll()
                case Self.inboxToken: inbox.reset()
                default: service(token, flags: flags)
                }
            }
            let forceSweep = runInbox()
            if forceSweep || now >= nextSweep { sweep() }
        }
        if listening { closeListener() }
        inbox.close()
        close(epoll)
        counters.ready.store(false, ordering: .releasing)
    }

    // MARK: Accepting

    private func acceptAll() {
        while listening {
            let fd = accept(listener.fd, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                if errno == EMFILE || errno == ENFILE {
                    control(EPOLL_CTL_MOD, fd: listener.fd, events: 0, token: Self.listenerToken)
                    listenerArmed = false
                }
                return
            }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            guard connections.count < configuration.maximumConnections else {
                let busy = HTTPResponse(status: 503, contentType: "application/json",
                                        text: #"{"__type":"ServiceUnavailable","message":"too many open connections (\#(configuration.maximumConnections)); retry later"}"#)
                let bytes = busy.serialized(keepAlive: false)
                _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                close(fd)
                continue
            }
            let connection = Connection(id: nextID, fd: fd, limits: configuration.limits, now: now)
            nextID += 1
            connections[connection.id] = connection
            counters.connections.add(1, ordering: .relaxed)
            setInterest(connection, Self.readable)
        }
    }

    private func closeListener() {
        control(EPOLL_CTL_DEL, fd: listener.fd, events: 0, token: Self.listenerToken)
        close(listener.fd)
        listening = false
    }

    // MARK: Messages

    /// Runs the handler jobs waiting for this thread and handles the messages, round after round
    /// until none is left (or, after many rounds, leaves the rest for after one more `epoll_wait`);
    /// returns whether timeouts should be checked now.
    private func runInbox() -> Bool {
        var sweepNow = false
        for _ in 0..<Self.inboxRounds {
            let (messages, jobs) = inbox.take()
            if messages.isEmpty && jobs.isEmpty { break }
            sweepNow = handle(messages) || sweepNow  // answers first: they are written before more work starts
            for job in jobs { inbox.run(job) }
        }
        return sweepNow
    }

    /// Handles messages; returns whether timeouts should be checked now.
    private func handle(_ messages: [LoopMessage]) -> Bool {
        var sweepNow = false
        for message in messages {
            switch message {
            case .completed(let id, let response): complete(id, response)
            case .wake: sweepNow = true
            case .shutdown(let deadline):
                guard !stopping else { continue }
                stopping = true
                graceDeadline = deadline
                if listening { closeListener() }
                sweepNow = true
            }
        }
        return sweepNow
    }

    private func complete(_ id: UInt64, _ response: HTTPResponse) {
        inFlight -= 1
        guard let connection = connections[id], connection.phase == .handling else { return }
        if answer(connection, with: response) { advance(connection) }
    }

    /// Writes the answer to the request in flight on `connection`; returns whether the connection
    /// reads on (keep-alive) and is still open.
    private func answer(_ connection: Connection, with response: HTTPResponse) -> Bool {
        let keep = connection.keepAlive && !stopping  // after a half-close, pipelined requests still buffered are answered
        counters.requests.add(1, ordering: .relaxed)
        write(connection, response.serialized(keepAlive: keep, headRequest: connection.headRequest))
        guard connections[connection.id] != nil else { return false }
        if keep {
            connection.phase = .reading
            connection.lastActivity = now
            return true
        }
        connection.phase = .draining
        if !connection.hasPendingOutput { linger(connection) }
        return false
    }

    // MARK: Connections

    private func service(_ id: UInt64, flags: UInt32) {
        guard let connection = connections[id] else { return }
        if flags & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 && connection.phase != .reading {
            drop(connection)  // reset or closed both ways: nothing more can be written (and HUP would fire again and again)
            return
        }
        if flags & Self.writable != 0 { flush(connection) }
        guard connections[id] != nil else { return }
        if connection.phase == .handling && flags & (EPOLLHUP.rawValue | EPOLLERR.rawValue) == 0 {
            // Reading stays armed while a handler runs (no epoll_ctl per request); input arriving
            // meanwhile is left in the socket until the answer is written.
            if connection.interest & Self.readable != 0 { setInterest(connection, connection.interest & ~Self.readable) }
            return
        }
        if flags & (Self.readable | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { receive(connection) }
    }

    private func receive(_ connection: Connection) {
        var total = 0
        while total < 1 << 20 {
            let n = scratch.withUnsafeMutableBytes { read(connection.fd, $0.baseAddress, $0.count) }
            if n > 0 {
                total += n
                connection.lastActivity = now
                if connection.phase != .lingering { connection.parser.append(scratch[0..<n]) }
                // A short read took all there was: `epoll` is level-triggered and reports anything
                // (or the end) arriving later, so no second `read` just to hear EAGAIN.
                if n < scratch.count { break }
                continue
            }
            if n == 0 {
                connection.endOfInput = true
                break
            }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { break }
            drop(connection)
            return
        }
        switch connection.phase {
        case .reading: advance(connection)
        case .lingering: if connection.endOfInput { drop(connection) }
        case .handling, .draining: if connection.endOfInput { setInterest(connection, connection.hasPendingOutput ? Self.writable : 0) }
        }
    }

    /// Parses what has arrived: hands a whole request to the handlers, answers a malformed one.
    private func advance(_ connection: Connection) {
        while connection.phase == .reading {
            switch connection.parser.next() {
            case .needMoreData:
                if connection.endOfInput {
                    if let error = connection.parser.endOfInput() { fail(connection, error) } else if !connection.hasPendingOutput { drop(connection) } else {
                        connection.phase = .draining
                    }
                    return
                }
                if connection.parser.isMidRequest {
                    if connection.requestStarted == nil { connection.requestStarted = now }
                } else {
                    connection.requestStarted = nil
                }
                setInterest(connection, Self.readable | (connection.hasPendingOutput ? Self.writable : 0))
                return
            case .continueExpected:
                write(connection, Self.continueBytes)
            case .request(let request):
                connection.phase = .handling
                connection.requestStarted = nil
                connection.keepAlive = request.keepAlive
                connection.headRequest = request.method == "HEAD"
                if connection.hasPendingOutput { setInterest(connection, Self.readable | Self.writable) }
                if configuration.handlersOnSocketThread, var response = handler.answerAtOnce(request) {
                    // Answered without a task: written now, its remaining work handed to a task after.
                    let work = response.afterSending
                    response.afterSending = nil
                    let reading = answer(connection, with: response)
                    if let work { jobs.yield(.afterAnswer(work)) }
                    guard reading else { return }
                    continue  // a pipelined request may follow
                }
                // The first request of a wake-up is answered on this thread; more at once go to the pool too.
                inFlight += 1
                jobs.yield(.request(connection: connection.id, request: request,
                                    onSocketThread: configuration.handlersOnSocketThread && dispatchedThisRound == 0))
                dispatchedThisRound += 1
                return
            case .failure(let error):
                fail(connection, error)
                return
            }
        }
    }

    /// Answers `error` and closes the connection after the answer.
    private func fail(_ connection: Connection, _ error: HTTPParseError) {
        counters.rejected.add(1, ordering: .relaxed)
        let response = configuration.errorResponder(error, connection.parser.currentHead)
        connection.phase = .draining
        write(connection, response.serialized(keepAlive: false))
        if connections[connection.id] != nil && !connection.hasPendingOutput { linger(connection) }
    }

    private func write(_ connection: Connection, _ bytes: [UInt8]) {
        if connection.hasPendingOutput {
            connection.output.append(contentsOf: bytes)
        } else {
            connection.output = bytes
            connection.outputOffset = 0
        }
        flush(connection)
    }

    private func flush(_ connection: Connection) {
        while connection.hasPendingOutput {
            let n = connection.output.withUnsafeBytes { raw in
                send(connection.fd, raw.baseAddress! + connection.outputOffset, raw.count - connection.outputOffset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                connection.outputOffset += n
                continue
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                setInterest(connection, connection.interest | Self.writable)
                return
            }
            drop(connection)
            return
        }
        connection.output.removeAll(keepingCapacity: connection.output.count <= 65_536)
        connection.outputOffset = 0
        switch connection.phase {
        case .draining: linger(connection)
        case .reading: setInterest(connection, Self.readable)
        case .handling: if connection.interest & Self.writable != 0 { setInterest(connection, connection.interest & ~Self.writable) }
        case .lingering: break
        }
    }

    /// Closes the write side and reads until the peer closes (or the linger time passes), so that
    /// unread input does not turn into a reset that destroys the answer.
    private func linger(_ connection: Connection) {
        guard !connection.endOfInput && !stopping else {
            drop(connection)
            return
        }
        shutdown(connection.fd, Int32(SHUT_WR))
        connection.phase = .lingering
        connection.lingerDeadline = now + .seconds(2)
        setInterest(connection, Self.readable)
    }

    private func drop(_ connection: Connection) {
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        close(connection.fd)
        counters.connections.subtract(1, ordering: .relaxed)
    }

    private func setInterest(_ connection: Connection, _ events: UInt32) {
        guard connections[connection.id] != nil else { return }
        if connection.interest == events && (events != 0 || connection.registered) { return }
        let op = connection.interest == 0 && !connection.registered ? EPOLL_CTL_ADD : EPOLL_CTL_MOD
        connection.registered = true
        connection.interest = events
        control(op, fd: connection.fd, events: events, token: connection.id)
    }

    private func control(_ op: Int32, fd: Int32, events: UInt32, token: UInt64) {
        var event = epoll_event()
        event.events = events
        event.data.u64 = token
        _ = epoll_ctl(epoll, op, fd, &event)
    }

    // MARK: Timeouts

    private func millisecondsToNextSweep() -> Int32 {
        let (gap, overflow) = nextSweep.nanosecondsSinceEpoch.subtractingReportingOverflow(now.nanosecondsSinceEpoch)
        if overflow || gap <= 0 { return 0 }
        return Int32(min(gap / 1_000_000 + 1, 1000))
    }

    private func sweep() {
        let now = self.now
        nextSweep = now + .seconds(1)
        if !listenerArmed && listening {
            control(EPOLL_CTL_MOD, fd: listener.fd, events: Self.readable, token: Self.listenerToken)
            listenerArmed = true
        }
        let graceOver = graceDeadline.map { now >= $0 } ?? false
        for connection in Array(connections.values) {
            if graceOver {
                drop(connection)
                continue
            }
            switch connection.phase {
            case .reading:
                if let started = connection.requestStarted, connection.parser.isMidRequest {
                    if now - started >= configuration.requestReadTimeout {
                        fail(connection, .timeout("the request was not complete \(configuration.requestReadTimeout) after its first byte"))
                    }
                } else if stopping || now - connection.lastActivity >= configuration.idleTimeout {
                    drop(connection)
                }
            case .lingering:
                if let deadline = connection.lingerDeadline, now >= deadline { drop(connection) }
            case .draining:
                if now - connection.lastActivity >= configuration.idleTimeout { drop(connection) }
            case .handling:
                break
            }
        }
    }
}
