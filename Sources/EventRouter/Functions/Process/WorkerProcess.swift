#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// One long-lived worker process: one JSON line in, one JSON line out per invocation.
///
/// Reads never wait for end of file: they poll the worker's exit beside its stdout, so a
/// descendant that left the process group and holds the pipe cannot hang an invocation.
///
/// `@unchecked Sendable`: `pending` and `scanned` (bytes read past the last reply) are touched
/// only by the one exchange in flight, and ``WorkerFunctionHandler`` lends a worker to one
/// invocation at a time; the stderr tail is behind a `Mutex`.
final class WorkerProcess: @unchecked Sendable {
    let process: ChildProcess
    private var pending: [UInt8] = []
    /// How much of `pending` is known to hold no newline (each read scans only new bytes).
    private var scanned = 0
    private let stderrTail = Mutex<[UInt8]>([])
    private let exited = Atomic<Bool>(false)
    /// Signalled when the stderr reader stops, so a crash report carries the whole tail.
    private let stderrClosed = DispatchSemaphore(value: 0)

    /// Why an exchange failed.
    enum Failure: Error {
        /// The worker exited or could not be written to; carries its exit description and stderr tail.
        case died(status: String, stderr: String)
        /// The reply line grew past the limit without a newline.
        case replyTooLarge
        /// The worker wrote stdout while no request was outstanding. Carries that output's tail.
        case unexpectedOutput(String)
        /// The worker wrote more after its reply line (a second reply?). Carries both.
        case extraOutput(reply: [UInt8], extra: String)
    }

    private init(process: ChildProcess) { self.process = process }

    /// Spawns a worker and starts draining its stderr. Blocking: call off the cooperative pool.
    static func start(manifest: FunctionManifest) throws(FunctionError) -> WorkerProcess {
        let process = try ChildProcess.spawn(
            executable: ProcessEnvironment.executablePath(manifest),
            environment: ProcessEnvironment.make(manifest: manifest, context: nil),
            directory: ProcessEnvironment.directory(manifest))
        let worker = WorkerProcess(process: process)
        _ = fcntl(process.stdoutFD, F_SETFL, fcntl(process.stdoutFD, F_GETFL) | O_NONBLOCK)
        _ = fcntl(process.stderrFD, F_SETFL, fcntl(process.stderrFD, F_GETFL) | O_NONBLOCK)
        ChildProcess.detach { worker.drainStderr() }
        return worker
    }

    /// Whether the worker can take a request (not stopped, not exited).
    var isAlive: Bool { !exited.load(ordering: .acquiring) && !process.exit.hasExited }

    /// Keeps the last part of stderr until the worker exits, then reads what the pipe holds.
    private func drainStderr() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var budgetAfterExit = 1 << 20
        var exitSeen = false
        while budgetAfterExit > 0 {
            if !exitSeen {
                var polls = [pollfd(fd: process.stderrFD, events: Int16(POLLIN), revents: 0),
                             pollfd(fd: process.exit.fd, events: Int16(POLLIN), revents: 0)]
                if poll(&polls, 2, -1) < 0 { if errno == EINTR { continue } else { break } }
                exitSeen = polls[1].revents != 0
            }
            let r = read(process.stderrFD, &buffer, buffer.count)
            if r > 0 {
                if exitSeen { budgetAfterExit -= r }
                stderrTail.withLock { tail in
                    tail.append(contentsOf: buffer[0..<r])
                    if tail.count > ProcessExchange.stderrLimit * 2 { tail.removeFirst(tail.count - ProcessExchange.stderrLimit) }
                }
            } else if r < 0 && (errno == EINTR || (errno == EAGAIN && !exitSeen)) {
                continue
            } else {
                break
            }
        }
        close(process.stderrFD)
        stderrClosed.signal()
    }

    /// Sends one request line and reads one reply line of at most `replyLimit` bytes.
    /// Blocking: call off the cooperative pool.
    func exchange(_ line: [UInt8], replyLimit: Int) -> Result<[UInt8], Failure> {
        guard isAlive else { return .failure(reap()) }
        if pending.isEmpty { readAvailable(budget: 4096) }
        if !pending.isEmpty { return .failure(.unexpectedOutput(ProcessExchange.tail(pending, limit: 200))) }
        guard ProcessExchange.writeAll(process.stdinFD, line + [0x0A]) else { return .failure(reap()) }
        while true {
            if let newline = pending[scanned...].firstIndex(of: 0x0A) {
                let reply = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                scanned = 0
                if !pending.isEmpty { return .failure(.extraOutput(reply: reply, extra: ProcessExchange.tail(pending, limit: 200))) }
                return .success(reply)
            }
            scanned = pending.count
            if pending.count > replyLimit { return .failure(.replyTooLarge) }
            var polls = [pollfd(fd: process.stdoutFD, events: Int16(POLLIN), revents: 0),
                         pollfd(fd: process.exit.fd, events: Int16(POLLIN), revents: 0)]
            if poll(&polls, 2, -1) < 0 {
                if errno == EINTR { continue }
                return .failure(reap())
            }
            if polls[1].revents != 0 {
                // Exited: what it wrote is in the pipe (at most its capacity); a reply there still counts.
                readAvailable(budget: 1 << 20)
                if pending[scanned...].contains(0x0A) { continue }
                return .failure(reap())
            }
            if !readAvailable(budget: 65_536) { return .failure(reap()) }
        }
    }

    /// Reads what stdout holds now, up to about `budget` bytes; false at end of file or on an error.
    @discardableResult
    private func readAvailable(budget: Int) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var left = budget
        while left > 0 {
            let r = read(process.stdoutFD, &buffer, min(buffer.count, left))
            if r > 0 {
                pending.append(contentsOf: buffer[0..<r])
                left -= r
            } else if r < 0 && errno == EINTR {
                continue
            } else {
                return r < 0 && errno == EAGAIN
            }
        }
        return true
    }

    /// Kills the group, reaps the worker and closes its pipes. Blocking.
    private func reap() -> Failure {
        guard !exited.exchange(true, ordering: .acquiringAndReleasing) else {
            return .died(status: "had already exited", stderr: ProcessExchange.tail(stderrTail.withLock { $0 }))
        }
        let status = process.reap()
        process.killPipeHolders(ifHeld: [process.stdoutFD])
        // The worker has exited, so the stderr reader stops at once; the bound is a safety net.
        _ = stderrClosed.wait(timeout: .now() + .seconds(2))
        close(process.stdinFD)
        close(process.stdoutFD)
        return .died(status: ChildProcess.describe(status: status), stderr: ProcessExchange.tail(stderrTail.withLock { $0 }))
    }

    /// Stops the worker. Blocking.
    func stop() { _ = reap() }
}
