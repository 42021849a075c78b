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
    /// The largest file read by default (1 GiB): a file that grows past it is refused, not read forever.
    public static let defaultLimit = 1 << 30

    /// The whole file's bytes, or `nil` when it does not exist. Only regular files are read
    /// (symbolic links are followed); a directory, named pipe, device or socket, a link to
    /// nothing, a link loop and a file larger than `limit` bytes are errors naming the path.
    /// - Throws: ``TextFileError`` when it exists but cannot be opened or read.
    public static func readBytes(_ path: String, limit: Int = defaultLimit) throws(TextFileError) -> [UInt8]? {
        // O_NONBLOCK: opening a named pipe must not wait for a writer; it is refused below.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            var link = stat()
            if code == ENOENT, lstat(path, &link) == 0, link.st_mode & S_IFMT == S_IFLNK {
                throw TextFileError("cannot read \(path): it is a symbolic link to a file that does not exist")
            }
            if code == ENOENT { return nil }
            if code == ELOOP { throw TextFileError("cannot read \(path): it is a loop of symbolic links") }
            throw TextFileError("cannot open \(path): \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw TextFileError("cannot read \(path): \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw TextFileError("cannot read \(path): it is \(kind(info.st_mode)), not a regular file")
        }
        guard info.st_size <= limit else {
            throw TextFileError("cannot read \(path): it holds \(info.st_size) bytes, more than the limit of \(limit) bytes")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return try readBytes(fileDescriptor: fd, name: path, limit: limit)
    }

    /// Everything on standard input until end of file (`replay -`). Blocking.
    /// - Throws: ``TextFileError`` when it cannot be read or holds more than `limit` bytes.
    public static func readStandardInput(limit: Int = defaultLimit) throws(TextFileError) -> [UInt8] {
        try readBytes(fileDescriptor: 0, name: "standard input", limit: limit)
    }

    /// Everything readable from `fd` until end of file (a pipe, standard input). Blocking.
    /// - Throws: ``TextFileError`` naming `name` when it cannot be read or holds more than `limit` bytes.
    public static func readBytes(fileDescriptor fd: Int32, name: String, limit: Int = defaultLimit) throws(TextFileError) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw TextFileError("cannot read \(name): \(String(cString: strerror(errno)))")
            }
            if n == 0 { return bytes }
            guard bytes.count + n <= limit else {
                throw TextFileError("cannot read \(name): it holds more than the limit of \(limit) bytes")
            }
            bytes.append(contentsOf: buffer[0..<n])
        }
    }

    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a named pipe"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a plain file"
        }
    }

    /// The whole file as UTF-8 text, or `nil` when it does not exist (see ``readBytes(_:limit:)``).
    /// - Throws: ``TextFileError`` when it cannot be read, or is not UTF-8 (naming the line and byte).
    public static func read(_ path: String, limit: Int = defaultLimit) throws(TextFileError) -> String? {
        guard let bytes = try readBytes(path, limit: limit) else { return nil }
        return try text(bytes, name: path)
    }

    /// A command-line value as given, or for `@FILE` that file's UTF-8 text (`--event @e.json`).
    /// - Throws: ``TextFileError`` when the file is missing, unreadable or not UTF-8.
    public static func argument(_ value: String) throws(TextFileError) -> String {
        guard value.hasPrefix("@") else { return value }
        let path = String(value.dropFirst())
        guard let text = try read(path) else { throw TextFileError("cannot read \(path): it does not exist") }
        return text
    }

    /// `bytes` as a string when they are UTF-8.
    /// - Throws: ``TextFileError`` naming `name`, the line and the byte of the first ill-formed byte.
    public static func text(_ bytes: [UInt8], name: String) throws(TextFileError) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        let offset = TextLines.firstInvalidUTF8(in: bytes) ?? 0
        let (line, byte) = TextLines.position(of: offset, in: bytes)
        throw TextFileError("\(name) is not UTF-8 text: line \(line), byte \(byte) (offset \(offset) in the file) is not valid UTF-8; save it as UTF-8")
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

@inline(__always) private func systemRead(_ fd: Int32, _ p: UnsafeMutableRawPointer?, _ n: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, p, n)
    #else
    return Darwin.read(fd, p, n)
    #endif
}
