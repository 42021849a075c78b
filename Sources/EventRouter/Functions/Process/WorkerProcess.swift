#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// One long-lived worker process: one JSON line in, one JSON line out per invocation.
///
/// `@unchecked Sendable`: `pending` (bytes read past the last newline) is touched only by the
/// one exchange in flight, and ``WorkerFunctionHandler`` lends a worker to one invocation at
/// a time; the stderr tail is behind a `Mutex`.
final class WorkerProcess: @unchecked Sendable {
    let process: ChildProcess
    private var pending: [UInt8] = []
    private let stderrTail = Mutex<[UInt8]>([])
    private let exited = Atomic<Bool>(false)
    /// Signalled when stderr reaches end of file, so a crash report carries the whole tail.
    private let stderrClosed = DispatchSemaphore(value: 0)

    /// Why an exchange failed.
    enum Failure: Error {
        /// The worker closed stdout or could not be written to; carries its exit description and stderr tail.
        case died(status: String, stderr: String)
    }

    private init(process: ChildProcess) { self.process = process }

    /// Spawns a worker and starts draining its stderr. Blocking: call off the cooperative pool.
    static func start(manifest: FunctionManifest) throws(FunctionError) -> WorkerProcess {
        let process = try ChildProcess.spawn(
            executable: ProcessEnvironment.executablePath(manifest),
            environment: ProcessEnvironment.make(manifest: manifest, context: nil),
            directory: ProcessEnvironment.directory(manifest))
        let worker = WorkerProcess(process: process)
        ChildProcess.detach { worker.drainStderr() }
        return worker
    }

    var isAlive: Bool { !exited.load(ordering: .acquiring) }

    private func drainStderr() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let r = read(process.stderrFD, &buffer, buffer.count)
            if r > 0 {
                stderrTail.withLock { tail in
                    tail.append(contentsOf: buffer[0..<r])
                    if tail.count > ProcessExchange.stderrLimit * 2 { tail.removeFirst(tail.count - ProcessExchange.stderrLimit) }
                }
            } else if r < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        close(process.stderrFD)
        stderrClosed.signal()
    }

    /// Sends one request line and reads one reply line. Blocking: call off the cooperative pool.
    func exchange(_ line: [UInt8]) -> Result<[UInt8], Failure> {
        guard isAlive, ProcessExchange.writeAll(process.stdinFD, line + [0x0A]) else { return .failure(reap()) }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let reply = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                return .success(reply)
            }
            let r = read(process.stdoutFD, &buffer, buffer.count)
            if r > 0 {
                pending.append(contentsOf: buffer[0..<r])
            } else if r < 0 && errno == EINTR {
                continue
            } else {
                return .failure(reap())
            }
        }
    }

    /// Kills the group, waits for the worker and closes its pipes. Blocking.
    private func reap() -> Failure {
        guard !exited.exchange(true, ordering: .acquiringAndReleasing) else {
            return .died(status: "had already exited", stderr: ProcessExchange.tail(stderrTail.withLock { $0 }))
        }
        process.killGroup()
        let status = process.waitForExit()
        // The group is dead, so stderr reaches EOF at once; the bound only guards against a
        // grandchild that left the group and still holds the pipe.
        _ = stderrClosed.wait(timeout: .now() + .seconds(2))
        close(process.stdinFD)
        close(process.stdoutFD)
        return .died(status: ChildProcess.describe(status: status), stderr: ProcessExchange.tail(stderrTail.withLock { $0 }))
    }

    /// Stops the worker. Blocking.
    func stop() { _ = reap() }
}
