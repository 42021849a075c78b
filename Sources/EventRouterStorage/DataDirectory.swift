#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EventRouterCore
import Foundation

/// The folder `eventrouter run` keeps its data in (default `.eventrouter/` in the workspace),
/// opened for one process at a time (docs/durability.md, "The data directory"):
///
/// - created when missing (with its parents);
/// - `format` holds the data format version; a folder of a newer version is refused, saying
///   which version is needed;
/// - `lock` is held with an exclusive `flock` for as long as this object lives (the kernel
///   releases it when the process dies, even by `kill -9`) and holds the holder's pid, which a
///   second user's error names.
///
/// Blocking: open it off the cooperative pool (``open(_:)`` runs on its own thread).
public final class DataDirectory: Sendable {
    /// The data format this build writes and reads.
    public static let formatVersion = 2
    /// The oldest data format this build reads (and upgrades: docs/durability.md, "Format 1 directories").
    public static let oldestReadableFormat = 1
    /// The name of the format-version file.
    public static let formatFileName = "format"
    /// The name of the lock file.
    public static let lockFileName = "lock"

    /// The folder.
    public let path: String
    private let lockDescriptor: Int32

    private init(path: String, lockDescriptor: Int32) {
        self.path = path
        self.lockDescriptor = lockDescriptor
    }

    deinit { close(lockDescriptor) }  // releases the lock

    /// Opens (creating if missing) the data directory at `path` on a thread of its own.
    /// - Throws: ``JournalError`` saying what to do when the folder cannot be created or written,
    ///   another process holds it (naming its pid), or its format is newer or unreadable.
    public static func open(_ path: String) async throws(JournalError) -> DataDirectory {
        try await StorageThread.run { () throws(JournalError) in try openBlocking(path) }
    }

    /// ``open(_:)`` on the calling thread.
    public static func openBlocking(_ path: String) throws(JournalError) -> DataDirectory {
        try createFolders(path)
        let lockPath = path + "/" + lockFileName
        let fd = Glibc.open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw notWritable(path, errno) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            let holder = readPID(fd)
            close(fd)
            guard code == EWOULDBLOCK else { throw JournalError("cannot lock \(lockPath): \(SystemError(code))", code: code) }
            throw JournalError("the data directory \(path) is in use by another eventrouter (\(holder.map { "pid \($0)" } ?? "pid not yet written"), per \(lockPath)); stop that process first, or pass another --data-dir, or --in-memory")
        }
        let directory = DataDirectory(path: path, lockDescriptor: fd)  // closes fd if a check below throws
        let pid = Array("\(getpid())\n".utf8)
        let written = pid.withUnsafeBytes { raw in ftruncate(fd, 0) == 0 && pwrite(fd, raw.baseAddress, raw.count, 0) == raw.count }
        guard written else { throw notWritable(path, errno) }
        try checkFormat(path)
        return directory
    }

    /// `mkdir -p`, and a check that the folder is a folder we can write in.
    private static func createFolders(_ path: String) throws(JournalError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw notWritable(path, errno) }
            prefix += "/"
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw notWritable(path, errno) }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw notWritable(path, ENOTDIR) }
        guard access(path, W_OK | X_OK) == 0 else { throw notWritable(path, errno) }
    }

    private static func notWritable(_ path: String, _ code: Int32) -> JournalError {
        let reason: String
        switch code {
        case EACCES, EPERM: reason = "permission denied; make it writable (chmod u+rwx \(path)) or pass another --data-dir, or --in-memory"
        case ENOTDIR: reason = "a part of that path is a file, not a folder; pass another --data-dir, or --in-memory"
        case EROFS: reason = "the file system is read-only; pass another --data-dir, or --in-memory"
        case ENOSPC: reason = "no space left on the device; free some space, or pass another --data-dir"
        default: reason = "\(SystemError(code)); pass another --data-dir, or --in-memory"
        }
        return JournalError("the data directory \(path) is not writable: \(reason)", code: code)
    }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Writes the format file of a new folder; refuses a newer or unreadable one.
    private static func checkFormat(_ path: String) throws(JournalError) {
        let file = path + "/" + formatFileName
        let text: String?
        do { text = try TextFile.read(file) } catch { throw JournalError("cannot read \(file): \(error)") }
        guard let text else {
            do { try AtomicFile.write(Array("\(formatVersion)\n".utf8), to: file) } catch { throw JournalError("\(error)") }
            return
        }
        let firstLine = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard let version = Int(firstLine.trimmingCharacters(in: .whitespaces)), version > 0 else {
            throw JournalError("\(file) does not hold a data format version (its first line should be a number such as \(formatVersion), found '\(firstLine.prefix(40))'); restore it, or move the data directory aside to start empty")
        }
        guard version <= formatVersion else {
            throw JournalError("the data directory \(path) has data format \(version), written by a newer eventrouter; this eventrouter reads formats \(oldestReadableFormat) to \(formatVersion). Run an eventrouter that reads format \(version) (the one that wrote it), or pass another --data-dir (or move this one aside) to start empty")
        }
        // An older format this build reads: from now on it writes the current one, so the file
        // says so (an older eventrouter then refuses the folder instead of misreading it).
        if version < formatVersion {
            do { try AtomicFile.write(Array("\(formatVersion)\n".utf8), to: file) } catch { throw JournalError("\(error)") }
        }
    }
}
