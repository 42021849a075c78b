#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Files tests write, in particular executables a test then runs.
public enum TestFile {
    /// Why a file could not be written: the path and the system's reason.
    public struct WriteError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes `text` to `path` (executable when asked) through a temporary file opened with
    /// `O_CLOEXEC`, renamed into place. Foundation's `String.write(toFile:)` opens without it, so a
    /// process another test starts meanwhile (Foundation's `Process`) keeps the file open for
    /// writing for its whole life, and executing the file then fails with "Text file busy".
    public static func write(_ text: String, to path: String, executable: Bool = false) throws {
        let mode: mode_t = executable ? 0o755 : 0o644
        let temporary = path + ".tmp-" + UUID().uuidString
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw failure("cannot create", temporary) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                let error = failure("cannot write", temporary)
                close(fd)
                unlink(temporary)
                throw error
            }
            written += n
        }
        _ = fchmod(fd, mode)  // the umask may have narrowed open's mode
        close(fd)
        guard rename(temporary, path) == 0 else {
            let error = failure("cannot rename \(temporary) to", path)
            unlink(temporary)
            throw error
        }
    }

    private static func failure(_ what: String, _ path: String) -> WriteError {
        WriteError(description: "\(what) \(path): \(String(cString: strerror(errno)))")
    }
}
