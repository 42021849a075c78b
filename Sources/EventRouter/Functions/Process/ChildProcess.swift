#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import Synchronization

/// A spawned child process in its own process group, with pipes for stdin, stdout and stderr.
///
/// Spawned with `posix_spawn`, `POSIX_SPAWN_SETPGROUP` (pgid = pid, so `kill(-pid, SIGKILL)`
/// reaches grandchildren too) and an emptied signal mask (children spawned off the main
/// thread would otherwise inherit a mask that blocks SIGTERM). Every blocking call here runs
/// on the process-I/O pool (``offPool(_:)``), never on Swift's cooperative pool.
final class ChildProcess: Sendable {
    let pid: pid_t
    let stdinFD: Int32
    let stdoutFD: Int32
    let stderrFD: Int32
    /// Readable once the process has exited (it stays unreaped until ``reap()``).
    let exit: ExitWatch
    /// The inodes of the stdout and stderr pipes (see ``PipeHolders``).
    let pipeInodes: Set<UInt64>
    /// Set (under the lock) when ``reap()`` begins; ``killGroup()`` checks it under the same lock.
    private let reaped = Mutex<Bool>(false)

    private init(pid: pid_t, stdin: Int32, stdout: Int32, stderr: Int32, exit: ExitWatch) {
        self.pid = pid
        stdinFD = stdin
        stdoutFD = stdout
        stderrFD = stderr
        self.exit = exit
        pipeInodes = Set([PipeHolders.inode(stdout), PipeHolders.inode(stderr)].compactMap { $0 })
    }

    /// Runs blocking `work` on the process-I/O pool (``BlockingIOPool``) and resumes the caller
    /// with its result.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await BlockingIOPool.shared.run(work)
    }

    /// Starts `work` on a new thread of its own: for the few waits that last a process's
    /// lifetime (a worker's stderr, an exit watch without `pidfd`), one per live process,
    /// which must not take pool threads that invocations wait for.
    static func detach(_ work: @escaping @Sendable () -> Void) {
        let thread = Thread { work() }
        thread.stackSize = 512 * 1024
        thread.start()
    }

    private static let spawnLock = NSLock()

    /// Runs `body` (writing a file that will be executed) while no spawn is in progress: a
    /// process being spawned holds copies of this process's descriptors until it execs, and
    /// an executable still open for writing in any process cannot be executed (`ETXTBSY`).
    static func whileNotSpawning<T>(_ body: () throws -> T) rethrows -> T {
        spawnLock.lock()
        defer { spawnLock.unlock() }
        return try body()
    }

    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return true
    }

    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32
    /// glibc's `posix_spawn_file_actions_addchdir_np` (not exported to Swift without `_GNU_SOURCE`).
    private static let addchdir: AddChdir? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+): the child keeps only 0, 1 and 2,
    /// so no descriptor another thread opened without `FD_CLOEXEC` (a file being written, a
    /// socket) leaks into a handler and its descendants.
    private static let addclosefrom: AddCloseFrom? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    /// How often a spawn is tried while the executable is busy being written (`ETXTBSY`): the
    /// first ``textBusyYields`` tries only yield the processor, the rest wait 2 ms each (about
    /// 1 s in all), enough for a process another thread forked on a loaded machine to reach
    /// its `exec` and drop its copy of the writer's descriptor.
    static let textBusyAttempts = 700
    /// Tries of a busy spawn that only yield before the next one.
    static let textBusyYields = 200

    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Spawns `executable` with `arguments`, `environment` (`KEY=VALUE`) in `directory`.
    /// - Throws: ``FunctionError`` saying why the process could not start.
    static func spawn(executable: String, arguments: [String] = [], environment: [String], directory: String) throws(FunctionError) -> ChildProcess {
        _ = ignoreSIGPIPE
        var inPipe: [Int32] = [-1, -1], outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        // pipe + FD_CLOEXEC under the spawn lock, so no concurrent spawn inherits these descriptors.
        spawnLock.lock()
        defer { spawnLock.unlock() }
        guard makePipe(&inPipe), makePipe(&outPipe), makePipe(&errPipe) else {
            let reason = String(cString: strerror(errno))
            for fd in inPipe + outPipe + errPipe where fd >= 0 { close(fd) }
            throw FunctionError(type: "Runtime.StartError", message: "cannot create pipes for \(executable): \(reason)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        if !directory.isEmpty, let addchdir = Self.addchdir { _ = addchdir(&actions, directory) }
        if let addclosefrom = Self.addclosefrom { _ = addclosefrom(&actions, 3) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        // Spawned and registered under the registry's lock: a signal's killAll() sees the group.
        // ETXTBSY: the file was just written and a process forked meanwhile (by any thread) still
        // holds a copy of the writer's descriptor until it execs; try again (bounded, no timer).
        var (rc, pid): (Int32, pid_t) = (0, 0)
        for attempt in 0..<Self.textBusyAttempts {
            (rc, pid) = ProcessGroupRegistry.shared.spawning {
                var pid: pid_t = 0
                let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
                return (rc, pid)
            }
            guard rc == ETXTBSY else { break }
            if attempt < Self.textBusyYields { sched_yield() } else { usleep(2_000) }
        }
        close(inPipe[0])
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else {
            close(inPipe[1])
            close(outPipe[0])
            close(errPipe[0])
            throw FunctionError(type: "Runtime.StartError", message: "cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        guard let exit = ExitWatch(pid: pid) else {
            let reason = String(cString: strerror(errno))
            _ = kill(-pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            ProcessGroupRegistry.shared.unregister(pid)
            for fd in [inPipe[1], outPipe[0], errPipe[0]] { close(fd) }
            throw FunctionError(type: "Runtime.StartError", message: "cannot watch \(executable): \(reason)")
        }
        return ChildProcess(pid: pid, stdin: inPipe[1], stdout: outPipe[0], stderr: errPipe[0], exit: exit)
    }

    /// Sends SIGKILL to the whole process group (the handler and everything it spawned).
    /// Does nothing once ``reap()`` has begun, so a late kill never reaches a reused group id.
    func killGroup() {
        reaped.withLock { reaped in
            if !reaped { _ = kill(-pid, SIGKILL) }
        }
    }

    /// After the group was killed: when one of `fds` (non-blocking read ends of our stdout and
    /// stderr; -1 for closed ones) is not at end of file, some process outside the group holds
    /// the pipe; kill every holder.
    ///
    /// Only pipes whose read end we still hold are searched for: a pipe we closed may be gone,
    /// and its inode number reused by an unrelated process's new pipe.
    func killPipeHolders(ifHeld fds: [Int32]) {
        let held = fds.filter { $0 >= 0 && !PipeHolders.isAtEndOfFile($0) }.compactMap(PipeHolders.inode)
        if !held.isEmpty { PipeHolders.terminate(holding: Set(held).intersection(pipeInodes)) }
    }

    /// Kills what is left of the group, then collects the leader's exit status (raw wait
    /// status, -1 when it could not be waited for) and forgets the group. Until `waitpid`
    /// the leader is at least a zombie, so its group id is not reused while anyone may still
    /// kill it. Blocking: call once, off the cooperative pool.
    func reap() -> Int32 {
        reaped.withLock { reaped in
            _ = kill(-pid, SIGKILL)
            reaped = true
        }
        ProcessGroupRegistry.shared.unregister(pid)
        var status: Int32 = 0
        var rc: pid_t
        repeat { rc = waitpid(pid, &status, 0) } while rc < 0 && errno == EINTR
        return rc < 0 ? -1 : status
    }

    /// "exit status N" or "killed by signal N" for a raw wait status.
    static func describe(status: Int32) -> String {
        if status < 0 { return "could not be waited for" }
        let signal = status & 0x7F
        return signal == 0 ? "exit status \((status >> 8) & 0xFF)" : "killed by signal \(signal)"
    }

    /// Whether a raw wait status is a normal exit with status 0.
    static func isSuccess(_ status: Int32) -> Bool { status == 0 }
}
