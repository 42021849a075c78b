#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// One execution environment of a Runtime API function: a bootstrap process in its own process
/// group, the loopback listener that is its Runtime API (`AWS_LAMBDA_RUNTIME_API`), and one
/// dedicated thread that owns both: it polls the listener, the connections, the process's
/// stdout and stderr (the function's log) and its exit, and applies ``RuntimeAPISession``'s
/// decisions. Each environment has a port of its own, as each Lambda sandbox has, so the
/// server always knows which process a request comes from.
///
/// The environment ends when its process exits; ``stop()`` kills the process group, and the
/// thread then reaps it, closes every descriptor and signals ``waitFinished()``.
final class RuntimeEnvironment: Sendable {
    let process: ChildProcess
    /// The Runtime API's port on 127.0.0.1.
    let port: Int
    private let listener: Int32
    private let wake: (read: Int32, write: Int32)
    private struct Inbox {
        var pending: (RuntimeAPIInvocation, OneShot<RuntimeAPIOutcome>, InvocationLog?)?
        var terminal: RuntimeAPIOutcome?
        var finished = false
    }
    private let inbox = Mutex(Inbox())
    private let finished = DispatchSemaphore(value: 0)

    private init(process: ChildProcess, port: Int, listener: Int32, wake: (Int32, Int32)) {
        self.process = process
        self.port = port
        self.listener = listener
        self.wake = wake
    }

    /// Opens a listener, starts `launch` with the Runtime API's variables and starts the
    /// environment's thread. Blocking: call off the cooperative pool.
    static func start(_ launch: RuntimeLaunch, manifest: FunctionManifest) throws(FunctionError) -> RuntimeEnvironment {
        let (listener, port) = try openListener()
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            close(listener)
            throw FunctionError(type: "Runtime.StartError", message: "cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        let process: ChildProcess
        do {
            process = try ChildProcess.spawn(executable: launch.executable, arguments: launch.arguments,
                                             environment: launch.environment(manifest: manifest, runtimeAPI: "127.0.0.1:\(port)"),
                                             directory: launch.directory)
        } catch {
            close(listener)
            close(fds[0])
            close(fds[1])
            var e = error
            if e.type == "Runtime.StartError" { e.type = "Runtime.InvalidEntrypoint" }
            throw e
        }
        for fd in [process.stdoutFD, process.stderrFD] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        close(process.stdinFD)
        let environment = RuntimeEnvironment(process: process, port: port, listener: listener, wake: (fds[0], fds[1]))
        ChildProcess.detach { environment.serve() }
        return environment
    }

    /// Hands `invocation` to the runtime; its end resolves `outcome`. Returns the outcome at
    /// once when the environment has already ended.
    func submit(_ invocation: RuntimeAPIInvocation, outcome: OneShot<RuntimeAPIOutcome>, log: InvocationLog?) -> RuntimeAPIOutcome? {
        inbox.withLock { box in
            if box.finished { return box.terminal ?? .exitedBeforeDelivery(FunctionError(type: "Runtime.ExitError", message: "the runtime has exited")) }
            box.pending = (invocation, outcome, log)
            var byte: UInt8 = 1
            _ = write(wake.write, &byte, 1)
            return nil
        }
    }

    /// Kills the process group; the environment's thread then cleans up.
    func stop() { process.killGroup() }

    /// Blocks until the environment's thread has reaped the process and closed everything.
    func waitFinished() {
        finished.wait()
        finished.signal()
    }

    // MARK: - The environment's thread

    private struct Connection {
        var fd: Int32
        var reader = RuntimeAPIRequestReader(bodyLimit: PayloadLimits.response)
        var closeAfterReply = false
    }

    /// The most connections a bootstrap may hold open at once.
    static let connectionLimit = 32

    private func serve() {
        var session = RuntimeAPISession()
        var connections: [Int: Connection] = [:]
        var nextID = 0
        var pipes = [process.stdoutFD, process.stderrFD]
        var outcome: OneShot<RuntimeAPIOutcome>?
        var log: InvocationLog?
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)

        func readPipe(_ i: Int, budget: Int = 1 << 20) {
            var left = budget
            while pipes[i] >= 0 && left > 0 {
                let r = read(pipes[i], &buffer, buffer.count)
                if r > 0 {
                    left -= r
                    log?.append(buffer[0..<r])
                    output.append(contentsOf: buffer[0..<r])
                    if output.count > 8192 { output.removeFirst(output.count - 4096) }
                } else if r < 0 && errno == EINTR {
                    continue
                } else {
                    if r == 0 || errno != EAGAIN {
                        close(pipes[i])
                        pipes[i] = -1
                    }
                    return
                }
            }
        }
        func closeConnection(_ id: Int) {
            guard let c = connections.removeValue(forKey: id) else { return }
            close(c.fd)
            session.closed(id)
        }
        func perform(_ actions: [RuntimeAPISession.Action]) {
            for action in actions {
                switch action {
                case .reply(let id, let reply):
                    guard let c = connections[id] else { continue }
                    if !sendAll(reply.serialized(close: c.closeAfterReply), to: c.fd) || c.closeAfterReply { closeConnection(id) }
                case .complete(let result):
                    // What the runtime printed before answering belongs to this invocation.
                    readPipe(0, budget: 1 << 16)
                    readPipe(1, budget: 1 << 16)
                    outcome?.resolve(result)
                    outcome = nil
                    log = nil
                }
            }
        }

        loop: while true {
            var polls = [pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0),
                         pollfd(fd: process.exit.fd, events: Int16(POLLIN), revents: 0),
                         pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
                         pollfd(fd: pipes[0], events: Int16(POLLIN), revents: 0),
                         pollfd(fd: pipes[1], events: Int16(POLLIN), revents: 0)]
            let ids = Array(connections.keys)
            for id in ids { polls.append(pollfd(fd: connections[id]?.fd ?? -1, events: Int16(POLLIN), revents: 0)) }
            if poll(&polls, nfds_t(polls.count), -1) < 0 {
                if errno == EINTR { continue }
                process.killGroup()
                break
            }
            if polls[0].revents != 0 {
                var drain = [UInt8](repeating: 0, count: 64)
                while read(wake.read, &drain, drain.count) > 0 {}
                if let (invocation, shot, invocationLog) = inbox.withLock({ box in
                    defer { box.pending = nil }
                    return box.pending
                }) {
                    outcome = shot
                    log = invocationLog
                    perform(session.submit(invocation))
                }
            }
            if polls[3].revents != 0 { readPipe(0, budget: 1 << 16) }
            if polls[4].revents != 0 { readPipe(1, budget: 1 << 16) }
            if polls[1].revents != 0 { break loop }
            if polls[2].revents != 0 {
                while true {
                    let fd = accept(listener, nil, nil)
                    if fd < 0 { break }
                    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                    if connections.count >= Self.connectionLimit {
                        close(fd)
                        continue
                    }
                    var one: Int32 = 1
                    _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                    connections[nextID] = Connection(fd: fd)
                    nextID += 1
                }
            }
            for (index, id) in ids.enumerated() where polls[5 + index].revents != 0 {
                guard var c = connections[id] else { continue }
                let r = recv(c.fd, &buffer, buffer.count, 0)
                if r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR) {
                    closeConnection(id)
                    continue
                }
                guard r > 0 else { continue }
                c.reader.feed(buffer[0..<r])
                var requests: [RuntimeAPIRequest] = []
                var malformed: String?
                while true {
                    do {
                        guard let request = try c.reader.next() else { break }
                        requests.append(request)
                    } catch {
                        malformed = error.reason
                        break
                    }
                }
                connections[id] = c
                for request in requests {
                    connections[id]?.closeAfterReply = request.closes
                    perform(session.handle(request, connection: id))
                    if connections[id] == nil { break }
                }
                if let malformed, let fd = connections[id]?.fd {
                    _ = sendAll(RuntimeAPIReply.error(400, type: "InvalidRequest", message: "malformed HTTP request: \(malformed)").serialized(close: true), to: fd)
                    closeConnection(id)
                }
            }
        }
        // The process exited (or the poll failed and its group was killed): read what it left, clean up.
        process.killGroup()
        readPipe(0)
        readPipe(1)
        process.killPipeHolders(ifHeld: pipes)
        for fd in pipes where fd >= 0 { close(fd) }
        for c in connections.values { close(c.fd) }
        connections.removeAll()
        close(listener)
        let status = process.reap()
        let (actions, terminal) = session.exited(status: ChildProcess.describe(status: status), cleanly: ChildProcess.isSuccess(status),
                                                 output: ProcessExchange.tail(output, limit: 400))
        perform(actions)
        let late = inbox.withLock { box in
            box.finished = true
            box.terminal = terminal
            close(wake.read)
            close(wake.write)
            defer { box.pending = nil }
            return box.pending
        }
        late?.1.resolve(terminal)
        finished.signal()
    }

    /// Writes all of `bytes` to a non-blocking socket, waiting for room (or the process's exit).
    private func sendAll(_ bytes: [UInt8], to fd: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let w = bytes.withUnsafeBytes { raw in raw.baseAddress.map { send(fd, $0 + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) } ?? -1 }
            if w > 0 {
                offset += w
            } else if w < 0 && errno == EINTR {
                continue
            } else if w < 0 && errno == EAGAIN {
                var polls = [pollfd(fd: fd, events: Int16(POLLOUT), revents: 0), pollfd(fd: process.exit.fd, events: Int16(POLLIN), revents: 0)]
                _ = poll(&polls, 2, -1)
                if polls[1].revents != 0 { return false }
            } else {
                return false
            }
        }
        return true
    }

    /// A listening TCP socket on 127.0.0.1 with a port the kernel chose.
    private static func openListener() throws(FunctionError) -> (Int32, Int) {
        func failure(_ what: String) -> FunctionError {
            FunctionError(type: "Runtime.StartError", message: "cannot open the Runtime API's loopback listener (\(what)): \(String(cString: strerror(errno)))")
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw failure("socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 64) == 0 else {
            let error = failure("bind/listen")
            close(fd)
            throw error
        }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard named == 0 else {
            let error = failure("getsockname")
            close(fd)
            throw error
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
