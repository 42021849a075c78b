#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes a trap inside a target detectable: keeps a copy of the input about to run and, on
/// SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE or SIGABRT, writes it to a file and prints it as
/// base64 before the process dies with that signal. The handler uses only async-signal-safe
/// calls (`open`, `write`, `close`, `signal`, `raise`) on memory allocated beforehand.
public enum FuzzCrashRecorder {
    nonisolated(unsafe) private static var buffer: UnsafeMutablePointer<UInt8>?
    nonisolated(unsafe) private static var capacity = 0
    nonisolated(unsafe) private static var count = 0
    nonisolated(unsafe) private static var path: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var banner: UnsafeMutablePointer<CChar>?

    /// Installs the handlers; a crash saves the current input to `path`. Call from one thread,
    /// before any input runs.
    public static func install(path file: String, target: String, maximumInputSize: Int) {
        buffer?.deallocate()
        capacity = maximumInputSize
        buffer = .allocate(capacity: max(capacity, 1))
        count = 0
        free(path)
        path = strdup(file)
        free(banner)
        banner = strdup("\neventrouter-fuzz: \(target) crashed on an input; saved to \(file); base64:\n")
        for s in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT] { signal(s, handler) }
    }

    /// Keeps a copy of `input` (called before each execution).
    public static func note(_ input: [UInt8]) {
        guard let buffer else { return }
        let n = min(input.count, capacity)
        input.withUnsafeBufferPointer { b in
            if let base = b.baseAddress { buffer.update(from: base, count: n) }
        }
        count = n
    }

    private static let handler: @convention(c) (Int32) -> Void = { number in
        if let path, let buffer {
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            if fd >= 0 {
                _ = write(fd, buffer, FuzzCrashRecorder.count)
                close(fd)
            }
            if let banner { _ = write(2, banner, strlen(banner)) }
            writeBase64(buffer, FuzzCrashRecorder.count)
        }
        signal(number, SIG_DFL)
        raise(number)
    }

    private static func writeBase64(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) {
        let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        let a = alphabet.utf8Start
        var out: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        var i = 0
        while i < n {
            let b0 = UInt32(p[i])
            let b1 = i + 1 < n ? UInt32(p[i + 1]) : 0
            let b2 = i + 2 < n ? UInt32(p[i + 2]) : 0
            let v = b0 << 16 | b1 << 8 | b2
            out.0 = a[Int(v >> 18 & 63)]
            out.1 = a[Int(v >> 12 & 63)]
            out.2 = i + 1 < n ? a[Int(v >> 6 & 63)] : UInt8(ascii: "=")
            out.3 = i + 2 < n ? a[Int(v & 63)] : UInt8(ascii: "=")
            _ = withUnsafeBytes(of: &out) { write(2, $0.baseAddress, 4) }
            i += 3
        }
        var newline = UInt8(ascii: "\n")
        _ = write(2, &newline, 1)
    }
}
