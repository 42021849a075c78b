#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic writes: the one place the library and the command line read a
/// file into memory or write one back (state files, events files, rule files, payloads).
///
/// Blocking: call it from the command line's top level or from a thread of your own, not from
/// code that runs on the cooperative pool under load.
public enum TextFile {
    /// The whole file's bytes, or `nil` when it does not exist.
    /// - Throws: ``TextFileError`` when it exists but cannot be opened or read.
    public static func readBytes(_ path: String) throws(TextFileError) -> [UInt8]? {
        guard let f = fopen(path, "rb") else {
            if errno == ENOENT { return nil }
            throw TextFileError("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n > 0 { bytes.append(contentsOf: buffer[0..<n]) }
            if n < buffer.count {
                if ferror(f) != 0 { throw TextFileError("cannot read \(path)") }
                return bytes
            }
        }
    }

    /// The whole file as UTF-8 text (ill-formed bytes become U+FFFD), or `nil` when it does
    /// not exist.
    /// - Throws: ``TextFileError`` when it exists but cannot be opened or read.
    public static func read(_ path: String) throws(TextFileError) -> String? {
        try readBytes(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Writes `text` to `path` atomically and durably (see ``AtomicFile``).
    /// - Throws: ``TextFileError`` naming `path` and the reason in words; `path` is then unchanged.
    public static func write(_ text: String, to path: String) throws(TextFileError) {
        try AtomicFile.write(Array(text.utf8), to: path)
    }
}

/// A file that exists but cannot be read, or cannot be written; the description names the
/// file and the system's reason.
public struct TextFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
