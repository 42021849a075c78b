#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered writes to stdout/stderr (no Foundation, no locale surprises).
enum Output {
    /// Writes `text` to standard output.
    static func out(_ text: String) { write(text, to: 1) }
    /// Writes `text` to standard error.
    static func err(_ text: String) { write(text, to: 2) }

    /// Writes raw bytes to a file descriptor, retrying short writes.
    static func write(bytes: UnsafeRawBufferPointer, to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let n = systemWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n <= 0 { return }
            offset += n
        }
    }

    static func write(_ text: String, to fd: Int32) {
        var copy = text
        copy.withUTF8 { buf in write(bytes: UnsafeRawBufferPointer(buf), to: fd) }
    }
}

/// Collects output lines into one buffer and flushes in large writes (for NDJSON output).
struct OutputBuffer {
    private var bytes: [UInt8] = []
    private let fd: Int32
    init(fd: Int32 = 1) {
        self.fd = fd
        bytes.reserveCapacity(1 << 16)
    }
    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        if bytes.count >= 1 << 16 { flush() }
    }
    mutating func appendLine(_ text: String) {
        append(text)
        bytes.append(0x0A)
    }
    mutating func flush() {
        bytes.withUnsafeBytes { Output.write(bytes: $0, to: fd) }
        bytes.removeAll(keepingCapacity: true)
    }
}

@inline(__always) private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, p, n)
    #else
    return Darwin.write(fd, p, n)
    #endif
}
