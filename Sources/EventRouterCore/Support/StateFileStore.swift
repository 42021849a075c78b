#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A state file (the `replay --state-out` format) shared by commands that may run at the same
/// time: every read-modify-write holds an exclusive advisory lock (`flock`) on a lock file
/// beside it (`FILE.lock`, kept: removing it would let two commands lock different files), and
/// the new text is written atomically and durably (``AtomicFile``). So concurrent
/// `queue send`, `queue receive` and `stream put` never lose an acknowledged write and never
/// hand one message to two receivers.
///
/// Blocking work (waiting for the lock, reading, `fsync`) runs on a thread of its own, never on
/// the cooperative pool.
public struct StateFileStore: Sendable {
    /// The state file.
    public let path: String

    /// The state file at `path` (it need not exist yet).
    public init(path: String) { self.path = path }

    /// The lock file beside the state file.
    public var lockPath: String { path + ".lock" }

    /// Reads the file under the lock, runs `body` on its text (`nil`: no file yet) and, when
    /// `body` returns new text, writes it atomically before the lock is released.
    /// - Parameters:
    ///   - whileWaiting: called once, with a sentence to show, when another process holds the lock.
    ///   - body: the operation; returns its result and the text to write (`nil`: leave the file).
    /// - Throws: ``TextFileError`` when the lock, the file or the write fails (the file is then
    ///   unchanged), or what `body` throws.
    public func update<R: Sendable>(
        whileWaiting: @escaping @Sendable (String) -> Void = { _ in },
        _ body: (_ text: String?) async throws -> (result: R, text: String?)
    ) async throws -> R {
        try await transact(reading: true, whileWaiting: whileWaiting, body)
    }

    private func transact<R: Sendable>(
        reading: Bool, whileWaiting: @escaping @Sendable (String) -> Void,
        _ body: (_ text: String?) async throws -> (result: R, text: String?)
    ) async throws -> R {
        let path = self.path, lockPath = self.lockPath
        let fd = try await Self.onOwnThread { () throws(TextFileError) -> Int32 in
            try Self.lock(lockPath, statePath: path, whileWaiting: whileWaiting)
        }
        defer { close(fd) }  // releases the lock
        let text = !reading ? nil : try await Self.onOwnThread { () throws(TextFileError) -> String? in
            var info = stat()
            if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                throw TextFileError("cannot use \(path) as a state file: \(AtomicFile.reason(EISDIR, path: path))")
            }
            return try TextFile.read(path)
        }
        let (result, newText) = try await body(text)
        if let newText {
            try await Self.onOwnThread { () throws(TextFileError) in try AtomicFile.write(Array(newText.utf8), to: path) }
        }
        return result
    }

    /// Replaces the file's text under the lock (e.g. `replay --state-out`).
    /// - Throws: ``TextFileError`` saying why it could not be written.
    public func replace(with text: String, whileWaiting: @escaping @Sendable (String) -> Void = { _ in }) async throws(TextFileError) {
        do {
            try await transact(reading: false, whileWaiting: whileWaiting) { _ in ((), text) }
        } catch let error as TextFileError {
            throw error
        } catch {
            throw TextFileError("cannot write \(path): \(error)")
        }
    }

    /// The clock a state-file command acts on: a manual clock at `time` (`--now`, else a time
    /// the state recorded) moved `seconds` forward; without a time, the system clock (as a
    /// manual clock `seconds` ahead when `seconds > 0`).
    /// - Throws: ``TimestampError`` when the advanced time would leave ``Timestamp/supportedRange``.
    public static func clock(at time: Timestamp?, advancedBy seconds: Int = 0) throws(TimestampError) -> any EventClock {
        if time == nil && seconds == 0 { return SystemClock() }
        return ManualClock(start: try (time ?? SystemClock().now).advanced(bySeconds: seconds))
    }

    /// Opens `lockPath` and takes the exclusive lock, waiting (and saying so) while another holds it.
    static func lock(_ lockPath: String, statePath: String, whileWaiting: @Sendable (String) -> Void) throws(TextFileError) -> Int32 {
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            // The lock file sits beside the state file: the reason is the same for both.
            throw TextFileError("cannot write \(statePath): \(AtomicFile.reason(errno, path: statePath))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return fd }
        guard errno == EWOULDBLOCK || errno == EINTR else {
            let code = errno
            close(fd)
            throw TextFileError("cannot lock the state file \(statePath) (lock file \(lockPath)): \(String(cString: strerror(code)))")
        }
        whileWaiting("waiting for another eventrouter command to finish with \(statePath) (it holds \(lockPath))")
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let code = errno
                close(fd)
                throw TextFileError("cannot lock the state file \(statePath) (lock file \(lockPath)): \(String(cString: strerror(code)))")
            }
        }
        return fd
    }

    /// Runs blocking `work` on a new thread and returns its result.
    static func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws(TextFileError) -> T) async throws(TextFileError) -> T {
        let result: Result<T, TextFileError> = await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: Result { () throws(TextFileError) -> T in try work() }) }
            thread.start()
        }
        return try result.get()
    }
}
