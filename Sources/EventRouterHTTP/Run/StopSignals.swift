import CEventRouterSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Terminating signals, read on a thread of their own: SIGINT and SIGTERM for `eventrouter run`
/// (a graceful shutdown), SIGINT, SIGTERM and SIGHUP for the other commands (their handler
/// process groups are killed and the process exits).
///
/// A `sigaction` handler writes the signal's number into a pipe, and one dedicated thread reads
/// the pipe and calls `onSignal`. Whichever thread the kernel interrupts, the signal arrives:
/// a dispatch signal source on Linux reads a `signalfd` on its manager thread, and a signal the
/// kernel hands to another thread that has not blocked it (the server's socket thread, the
/// journal's writer) could stay pending there and never be seen — a SIGTERM lost under load.
public enum StopSignals {
    /// Why the handler could not be installed.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Installs the handler (once per process) and starts the reading thread; `onSignal` runs on
    /// that thread, once per signal received (SIGINT and SIGTERM unless `signals` says
    /// otherwise), with the signal's number.
    /// - Throws: ``Failure`` when the pipe or the handler cannot be set up (naming the call).
    public static func install(signals: [Int32] = [SIGINT, SIGTERM],
                               _ onSignal: @escaping @Sendable (Int32) -> Void) throws(Failure) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0, fcntl(fds[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(fds[1], F_SETFD, FD_CLOEXEC) == 0 else {
            throw Failure(description: "cannot create the stop-signal pipe: \(String(cString: strerror(errno)))")
        }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        let installed = signals.withUnsafeBufferPointer { er_install_signal_pipe(writeEnd, $0.baseAddress, Int32($0.count)) }
        guard installed == 0 else {
            let reason = String(cString: strerror(errno))
            close(readEnd)
            close(writeEnd)
            throw Failure(description: "cannot install the handler for signals \(signals): \(reason)")
        }
        let thread = Thread {
            var byte: UInt8 = 0
            while true {
                let n = read(readEnd, &byte, 1)
                if n == 1 { onSignal(Int32(byte)); continue }
                if n < 0, errno == EINTR { continue }
                return  // the pipe is never closed while the process runs
            }
        }
        thread.name = "eventrouter.stop-signals"
        thread.start()
    }
}
