#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Every handler process group this process started and has not reaped yet, so that none
/// outlives the router.
///
/// A group is registered when its leader is spawned and leaves when the leader is reaped
/// (after the group was killed). ``killAll()`` runs at exit (`atexit`, registered with the
/// first group) and in ``terminate(signal:)``, which a command-line tool calls on SIGINT, SIGTERM
/// or SIGHUP, after which the process exits with status 128 + the signal number.
public final class ProcessGroupRegistry: Sendable {
    /// The registry of this process.
    public static let shared = ProcessGroupRegistry()

    private let groups = Mutex<Set<pid_t>>([])
    /// Set by a terminating signal: no group starts after the last ``killAll()``.
    private let closed = Atomic<Bool>(false)
    /// The terminating signal received (0: none), recorded before any group is killed.
    private let terminatingSignal = Atomic<Int32>(0)
    private static let registerAtExit: Void = { atexit { ProcessGroupRegistry.shared.killAll() } }()

    private init() {}

    /// The process groups (their leaders' pids) alive or not yet reaped.
    public var liveGroups: [pid_t] { groups.withLock { Array($0) } }

    /// Runs `start` (a spawn that returns its status and the new group leader's pid) under the
    /// registry's lock and records the group when it started, so that a concurrent
    /// ``killAll()`` (a signal) either runs before the group exists or sees it. After a
    /// terminating signal nothing more is started (`ECANCELED`).
    func spawning(_ start: () -> (rc: Int32, pid: pid_t)) -> (rc: Int32, pid: pid_t) {
        _ = Self.registerAtExit
        return groups.withLock { groups in
            guard !closed.load(ordering: .acquiring) else { return (ECANCELED, 0) }
            let result = start()
            if result.rc == 0 { groups.insert(result.pid) }
            return result
        }
    }

    /// Forgets a group whose leader was reaped.
    func unregister(_ pgid: pid_t) {
        _ = groups.withLock { $0.remove(pgid) }
    }

    /// Sends SIGKILL to every registered group, under the lock that ``ChildProcess/reap()``
    /// takes to unregister a group before it reaps the leader, so a group id is never reused
    /// while it can be killed from here.
    public func killAll() {
        groups.withLock { groups in
            for pgid in groups { _ = kill(-pgid, SIGKILL) }
        }
    }

    /// The status the process exits with: 128 + the signal number once a terminating signal
    /// was received (the command may notice its killed handlers and finish first), else `status`.
    public func exitStatus(_ status: Int32) -> Int32 {
        let signo = terminatingSignal.load(ordering: .acquiring)
        return signo != 0 ? 128 + signo : status
    }

    /// For a terminating signal (SIGINT, SIGTERM, SIGHUP) received by a command-line tool:
    /// records it, lets no new group start, kills every handler process group, then exits with
    /// 128 + the signal number. (A long-running service that shuts down gracefully calls
    /// ``killAll()`` itself instead.) Call it from a signal-reading thread, not a signal handler.
    public func terminate(signal signo: Int32) -> Never {
        terminatingSignal.store(signo, ordering: .releasing)
        closed.store(true, ordering: .releasing)
        killAll()
        _exit(128 + signo)
    }
}
