#if canImport(Glibc)
import Glibc
#endif

/// Names the calling thread for `ps`, `perf` and `/proc/PID/task/*/comm` (Foundation's
/// `Thread.name` does not reach the kernel on Linux, so every thread showed as the pool's).
public enum ThreadName {
    /// Sets the calling thread's kernel name to `name` (at most 15 bytes are kept); does nothing
    /// where `/proc/thread-self/comm` cannot be written.
    public static func set(_ name: String) {
        #if os(Linux)
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        #endif
    }
}
