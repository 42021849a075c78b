#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// Every handler process group this process started and has not reaped yet, so that none
/// outlives the router.
///
/// A group is registered when its leader is spawned and leaves when the leader is reaped
/// (after the group was killed). ``killAll()`` runs at exit (`atexit`, registered with the
/// first group) and, once ``installTerminationHandler()`` was called, on SIGINT, SIGTERM and
/// SIGHUP, after which the process exits with status 128 + the signal number.
public final class ProcessGroupRegistry: Sendable {
    /// The registry of this process.
    public static let shared = ProcessGroupRegistry()

    private let groups = Mutex<Set<pid_t>>([])
    private let signalSources = Mutex<[any DispatchSourceSignal]>([])
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

    /// On SIGINT, SIGTERM or SIGHUP: kills every handler process group, then exits with
    /// 128 + the signal number. Idempotent; for command-line tools (a long-running service
    /// that shuts down gracefully installs its own handling and calls ``killAll()``).
    public func installTerminationHandler() {
        signalSources.withLock { sources in
            guard sources.isEmpty else { return }
            let queue = DispatchQueue(label: "eventrouter.termination-signals")
            for signo in [SIGINT, SIGTERM, SIGHUP] {
                _ = signal(signo, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signo, queue: queue)
                source.setEventHandler {
                    ProcessGroupRegistry.shared.terminatingSignal.store(signo, ordering: .releasing)
                    ProcessGroupRegistry.shared.closed.store(true, ordering: .releasing)
                    ProcessGroupRegistry.shared.killAll()
                    _exit(128 + signo)
                }
                source.resume()
                sources.append(source)
            }
        }
    }
}
