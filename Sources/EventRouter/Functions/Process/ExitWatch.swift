#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A descriptor that becomes readable when a child process exits, so that pipe loops can
/// `poll` it beside the child's pipes and never depend on end-of-file (which a descendant
/// holding the pipe would withhold forever).
///
/// On Linux 5.3+ with glibc 2.36+ it is a `pidfd` (no thread at all). Elsewhere a dedicated
/// thread waits with `waitid(…, WNOWAIT)`. Either way the exited child stays a zombie, so its
/// pid (and process-group id) cannot be reused until ``ChildProcess/reap()`` collects it, after
/// the group was killed.
final class ExitWatch: Sendable {
    /// Readable (end of file, or a `pidfd`'s POLLIN) once the process has exited.
    let fd: Int32

    private typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32
    /// glibc's `pidfd_open` (2.36+), looked up at run time.
    private static let pidfdOpen: PidfdOpen? = {
        guard let symbol = dlsym(nil, "pidfd_open") else { return nil }
        return unsafeBitCast(symbol, to: PidfdOpen.self)
    }()

    /// Starts watching `pid` (call under the spawn lock); nil when neither a pidfd nor a pipe could be made.
    init?(pid: pid_t) {
        if let open = Self.pidfdOpen {
            let pidfd = open(pid, 0)
            if pidfd >= 0 {
                _ = fcntl(pidfd, F_SETFD, FD_CLOEXEC)
                fd = pidfd
                return
            }
        }
        var fds: [Int32] = [-1, -1]
        // Made under ChildProcess's spawn lock, so no concurrent spawn inherits the write end.
        guard pipe(&fds) == 0 else { return nil }
        for f in fds { _ = fcntl(f, F_SETFD, FD_CLOEXEC) }
        fd = fds[0]
        let writeEnd = fds[1]
        ChildProcess.detach {
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
            close(writeEnd)
        }
    }

    /// Whether the process has exited (non-blocking).
    var hasExited: Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, 0) > 0
    }

    /// Blocks until the process has exited.
    func wait() {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while poll(&p, 1, -1) < 0 && errno == EINTR {}
    }

    deinit { close(fd) }
}
