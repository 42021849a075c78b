#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Durable, atomic whole-file writes: the bytes go to a temporary file beside the target,
/// are flushed to disk (`fsync`), renamed over the target, and the folder is flushed too, so a
/// crash leaves either the old file or the new one, never a mix. Failures name the file and
/// say the reason in words ("is a directory", "the folder … does not exist", "no space left").
///
/// Blocking: call it from a thread of your own (``StateFileStore`` does), not from code that
/// runs on the cooperative pool under load.
public enum AtomicFile {
    /// Writes `bytes` over `path` atomically and durably.
    /// - Throws: ``TextFileError`` naming `path` and the reason; `path` is then unchanged and no
    ///   temporary file is left behind.
    public static func write(_ bytes: [UInt8], to path: String) throws(TextFileError) {
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw failure(path, EISDIR)
        }
        var suffix = SystemRandomNumberGenerator()
        let temporary = path + ".tmp-\(getpid())-\(String(suffix.next() as UInt32, radix: 16))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(path, errno) }
        var code: Int32 = 0
        var offset = 0
        bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                #if canImport(Glibc)
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                #else
                let n = Darwin.write(fd, raw.baseAddress! + offset, raw.count - offset)
                #endif
                if n < 0 {
                    if errno == EINTR { continue }
                    code = errno
                    return
                }
                offset += n
            }
        }
        if code == 0, fsync(fd) != 0 { code = errno }
        if close(fd) != 0, code == 0 { code = errno }
        if code == 0, rename(temporary, path) != 0 { code = errno }
        guard code == 0 else {
            unlink(temporary)
            throw failure(path, code)
        }
        syncFolder(of: path)
    }

    /// Flushes the folder entry of a renamed file (best effort: some file systems refuse).
    private static func syncFolder(of path: String) {
        let folder = self.folder(of: path)
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// The folder holding `path` (`.` for a bare name).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `cannot write PATH: REASON`, the reason in words for the errors people meet.
    static func failure(_ path: String, _ code: Int32) -> TextFileError {
        TextFileError("cannot write \(path): \(reason(code, path: path))")
    }

    /// What `code` means for writing `path`, in words, with what to change.
    public static func reason(_ code: Int32, path: String) -> String {
        switch code {
        case EISDIR: return "it is a directory; give the path of a file (e.g. \(path)/state.json)"
        case ENOENT: return "the folder '\(folder(of: path))' does not exist; create it first or write elsewhere"
        case ENOTDIR: return "a part of the path '\(folder(of: path))' is not a directory"
        case ENOSPC: return "no space left on the device; free some space and run again"
        case EDQUOT: return "the disk quota is exhausted; free some space and run again"
        case EACCES, EPERM: return "permission denied; choose a folder you can write to"
        case EROFS: return "the file system is read-only; write elsewhere"
        default: return String(cString: strerror(code))
        }
    }
}
