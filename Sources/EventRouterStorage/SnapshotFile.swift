#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EventRouterCore

/// A snapshot of the engine's state, in `snapshots/` of the data directory, named after the
/// first journal segment it does not cover (`00000000000000000007.snapshot` = the state after
/// every record of segments 1…6). All integers little-endian:
///
///     offset 0   4 bytes  magic "ERSN"
///     offset 4   u32      format version (1)
///     offset 8   u64      the first segment not covered
///     offset 16  u64      payload length L
///     offset 24  u32      CRC-32C of the payload
///     offset 28  L bytes  payload (the engine's state)
///
/// Written atomically: a temporary file, `fsync`, `rename` over the name, `fsync` of the folder —
/// a crash leaves the old snapshot or the new one, never a part of one.
public enum SnapshotFile {
    /// The magic bytes, "ERSN".
    public static let magic: [UInt8] = Array("ERSN".utf8)
    /// The format version this build writes and reads.
    public static let version: UInt32 = 1
    /// The header's size.
    public static let headerSize = 28

    /// The file name of the snapshot that covers the segments before `segment`.
    public static func name(coveringBefore segment: UInt64) -> String {
        String(JournalSegmentFile.name(segment).dropLast(".journal".count)) + ".snapshot"
    }

    /// The segment number a snapshot's file name stands for, or `nil`.
    public static func segment(inName name: String) -> UInt64? {
        guard name.hasSuffix(".snapshot") else { return nil }
        return JournalSegmentFile.number(inName: String(name.dropLast(".snapshot".count)) + ".journal")
    }

    /// Writes `payload` as the snapshot covering the segments before `segment` into `directory`.
    /// - Throws: ``JournalError`` naming the file and the reason; an earlier snapshot is untouched.
    public static func write(_ payload: [UInt8], coveringBefore segment: UInt64, in directory: String,
                             operations: any JournalFileOperations) throws(JournalError) {
        let path = directory + "/" + name(coveringBefore: segment)
        let temporary = path + ".tmp"
        var bytes = magic
        JournalRecordFrame.appendLittleEndian(version, to: &bytes)
        JournalRecordFrame.appendLittleEndian(segment, to: &bytes)
        JournalRecordFrame.appendLittleEndian(UInt64(payload.count), to: &bytes)
        JournalRecordFrame.appendLittleEndian(CRC32C.checksum(payload), to: &bytes)
        do {
            let fd = try operations.open(temporary)
            defer { operations.close(fd) }
            try operations.truncate(fd, to: 0)
            // Header and payload apart: a 1 GB payload is not copied once more.
            try operations.write(fd, bytes, at: 0)
            try operations.write(fd, payload, at: Int64(headerSize))
            try operations.sync(fd)
        } catch {
            unlink(temporary)
            throw JournalError("cannot write the snapshot \(path): \(error)", code: error.code)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw JournalError("cannot write the snapshot \(path): \(SystemError(code))", code: code)
        }
        do { try operations.syncDirectory(directory) } catch { throw JournalError("cannot flush the folder \(directory): \(error)", code: error.code) }
    }

    /// Reads the snapshot at `path`, which covers the segments before `segment`, into an array
    /// (a copy of what ``withPayload(_:coveringBefore:_:)`` hands over).
    /// - Throws: ``JournalError`` naming the file and what to do when it is cut short, corrupt,
    ///   of a newer format or not a snapshot.
    public static func read(_ path: String, coveringBefore segment: UInt64) throws(JournalError) -> [UInt8] {
        try withPayload(path, coveringBefore: segment) { (raw) throws(JournalError) -> [UInt8] in Array(raw) }
    }

    /// Checks the snapshot at `path`, which covers the segments before `segment`, and hands its
    /// payload to `body`: the header is read first, then the file is mapped (`mmap`, read-only,
    /// pages populated at once) and the payload's CRC-32C checked on the mapping — a 1 GB payload
    /// is neither copied nor given fresh memory. The bytes are valid only inside `body`. The
    /// data directory's lock keeps other eventrouters from changing the file meanwhile.
    /// - Throws: ``JournalError`` naming the file and what to do when it is cut short, corrupt,
    ///   of a newer format or not a snapshot, or what `body` throws.
    public static func withPayload<T>(_ path: String, coveringBefore segment: UInt64,
                                      _ body: (UnsafeRawBufferPointer) throws(JournalError) -> T) throws(JournalError) -> T {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw JournalError("cannot read \(path): \(SystemError(errno))", code: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw JournalError("cannot read \(path): \(SystemError(errno))", code: errno) }
        guard let size = Int(exactly: info.st_size) else { throw JournalError("cannot read \(path): its size \(info.st_size) is out of range") }
        let header = try readBytes(fd, count: min(size, headerSize), at: 0, path: path)
        let remedy = "restore the data directory from a backup, or move it aside to start empty"
        guard header.count >= headerSize, Array(header[0..<4]) == magic else {
            throw JournalError("\(path) is not a whole eventrouter snapshot (\(size) bytes, no \"ERSN\" header); \(remedy)")
        }
        let (version, covers, length, stored) = withBytes(header) { raw in
            (JournalRecordFrame.readLittleEndian(UInt32.self, raw, 4), JournalRecordFrame.readLittleEndian(UInt64.self, raw, 8),
             JournalRecordFrame.readLittleEndian(UInt64.self, raw, 16), JournalRecordFrame.readLittleEndian(UInt32.self, raw, 24))
        }
        guard version <= self.version else {
            throw JournalError("\(path) is a snapshot of format \(version), written by a newer eventrouter; this one reads format \(self.version). Run the eventrouter that wrote it, or move the data directory aside to start empty")
        }
        guard covers == segment else { throw JournalError("\(path) says it covers the segments before \(covers), but its name says \(segment); \(remedy)") }
        guard let count = Int(exactly: length), count == size - headerSize else {
            throw JournalError("\(path) is corrupt: its header gives \(length) payload bytes, the file holds \(size - headerSize); \(remedy)")
        }
        return try MappedFile.withMapping(fd, size: size, path: path) { (file) throws(JournalError) -> T in
            let payload = UnsafeRawBufferPointer(rebasing: file[headerSize...])
            let computed = CRC32C.checksum(payload)
            guard stored == computed else {
                throw JournalError("\(path) is corrupt: CRC-32C mismatch (stored \(JournalRecordFrame.hex(stored)), computed \(JournalRecordFrame.hex(computed))); \(remedy)")
            }
            return try body(payload)
        }
    }

    /// Up to `count` bytes of `fd` from `offset` (fewer if the file ends first), read into an
    /// array that is not zero-filled first.
    private static func readBytes(_ fd: Int32, count: Int, at offset: Int, path: String) throws(JournalError) -> [UInt8] {
        var failure: Int32?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let n = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if n < 0 { if errno == EINTR { continue }; failure = errno; break }
                if n == 0 { break }
                done += n
            }
            initialized = done
        }
        if let failure { throw JournalError("cannot read \(path): \(SystemError(failure))", code: failure) }
        return bytes
    }
}
