#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file system calls the journal makes, behind a seam so tests can count `fsync`s and make
/// writes fail (ENOSPC, EIO) on demand. Each call blocks; the journal makes them on its own
/// thread, never on the cooperative pool. A failure throws the `errno` as ``SystemError``.
public protocol JournalFileOperations: Sendable {
    /// Opens (creating if missing) `path` for reading and writing; returns the descriptor.
    func open(_ path: String) throws(SystemError) -> Int32
    /// Writes all of `bytes` at `offset` of `fd` (a short write that cannot go on throws).
    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(SystemError)
    /// Flushes `fd`'s data to the disk.
    func sync(_ fd: Int32) throws(SystemError)
    /// Cuts `fd` to `length` bytes.
    func truncate(_ fd: Int32, to length: Int64) throws(SystemError)
    /// Closes `fd`.
    func close(_ fd: Int32)
    /// Flushes the entries of the folder `path` (after a create, rename or unlink in it).
    func syncDirectory(_ path: String) throws(SystemError)
}

extension JournalFileOperations {
    /// Writes all of `bytes` at `offset` of `fd`.
    func write(_ fd: Int32, _ bytes: [UInt8], at offset: Int64) throws(SystemError) {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(SystemError) in try write(fd, raw, at: offset) } }
        try result.get()
    }
}

/// Runs `body` on `bytes`' storage, keeping its typed error (`withUnsafeBytes` rethrows untyped).
func withBytes<T, E: Error>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(E) -> T) throws(E) -> T {
    let result = bytes.withUnsafeBytes { raw in Result { () throws(E) -> T in try body(raw) } }
    return try result.get()
}

/// A failed system call's `errno`, with its text.
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `errno`.
    public var code: Int32
    /// The `errno`.
    public init(_ code: Int32) { self.code = code }
    /// The reason in words, for the errors people meet with what to do.
    public var description: String {
        switch code {
        case ENOSPC: return "no space left on the device (free some space; later writes are retried)"
        case EDQUOT: return "the disk quota is exhausted (free some space; later writes are retried)"
        case EIO: return "an input/output error from the disk"
        case EACCES, EPERM: return "permission denied"
        case EROFS: return "the file system is read-only"
        default: return String(cString: strerror(code))
        }
    }
}

/// The real system calls.
public struct SystemFileOperations: JournalFileOperations {
    public init() {}

    public func open(_ path: String) throws(SystemError) -> Int32 {
        let fd = retrying { Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { throw SystemError(errno) }
        return fd
    }

    public func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(SystemError) {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError(errno)
            }
            if n == 0 { throw SystemError(EIO) }
            done += n
        }
    }

    public func sync(_ fd: Int32) throws(SystemError) {
        guard retrying({ fsync(fd) }) == 0 else { throw SystemError(errno) }
    }

    public func truncate(_ fd: Int32, to length: Int64) throws(SystemError) {
        guard retrying({ ftruncate(fd, off_t(length)) }) == 0 else { throw SystemError(errno) }
    }

    public func close(_ fd: Int32) { _ = Glibc.close(fd) }

    public func syncDirectory(_ path: String) throws(SystemError) {
        let fd = retrying { Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { throw SystemError(errno) }
        defer { _ = Glibc.close(fd) }
        // Some file systems refuse fsync on a folder (EINVAL); that is not a failure to store.
        guard retrying({ fsync(fd) }) == 0 || errno == EINVAL else { throw SystemError(errno) }
    }

    private func retrying(_ call: () -> Int32) -> Int32 {
        while true {
            let result = call()
            if result >= 0 || errno != EINTR { return result }
        }
    }
}
