#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Read-only `mmap` of a file the journal reads at start-up (segments, snapshots): pages are
/// populated at once on Linux, nothing is copied, and the mapping ends when `body` returns.
/// Only safe while nothing else truncates the file (the data directory's lock keeps other
/// eventrouters out).
enum MappedFile {
    /// Maps the first `size` bytes (> 0) of the open `fd` and hands them to `body`.
    /// - Throws: ``JournalError`` naming `path` when the mapping fails, or what `body` throws.
    static func withMapping<T>(_ fd: Int32, size: Int, path: String,
                               _ body: (UnsafeRawBufferPointer) throws(JournalError) -> T) throws(JournalError) -> T {
        #if os(Linux)
        let flags = MAP_PRIVATE | MAP_POPULATE
        #else
        let flags = MAP_PRIVATE
        #endif
        guard let mapped = mmap(nil, size, PROT_READ, flags, fd, 0), mapped != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw JournalError("cannot read \(path): \(SystemError(errno))", code: errno)
        }
        defer { munmap(mapped, size) }
        return try body(UnsafeRawBufferPointer(start: mapped, count: size))
    }
}
