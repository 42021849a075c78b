#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads journal segment files (docs/durability.md, "Recovery").
///
/// The **tail** of the journal is the end of its newest segment. A bad frame there — cut
/// short, an impossible length, type 0 or a CRC mismatch — with no valid record anywhere after
/// it is what a crash in the middle of a write leaves: those bytes were never acknowledged
/// (an append is answered only after its whole batch is written and flushed), so they are cut
/// off and reported in one line. A bad frame anywhere else — in an older segment, or with a
/// valid record after it — is corruption: reading stops with an error naming the file, the
/// offset and what to do, and nothing is dropped.
public enum JournalReader {
    /// A torn final record that was cut off.
    public struct TornTail: Sendable, Equatable, CustomStringConvertible {
        /// The segment file.
        public var path: String
        /// Where the bad frame started (the file's new length).
        public var offset: Int64
        /// How many bytes were cut off.
        public var bytesDropped: Int64
        /// What was wrong with the frame.
        public var reason: String

        /// The one line `run` prints about it.
        public var description: String {
            "journal: a torn final record in \(path) at offset \(offset) (\(reason)): \(bytesDropped) byte\(bytesDropped == 1 ? "" : "s") dropped — a write cut short by a crash, never acknowledged"
        }
    }

    /// What reading one segment found.
    public struct SegmentSummary: Sendable, Equatable {
        /// Records read (and handed to the caller).
        public var records = 0
        /// The length of the valid part (the file's length after any cut).
        public var validLength: Int64 = 0
        /// The torn tail cut off, if any.
        public var tornTail: TornTail?
    }

    /// Reads segment `number` at `path`, handing each record to `body` in order.
    /// - Parameters:
    ///   - isNewest: whether it is the journal's newest segment (only there is a torn tail
    ///     possible; elsewhere a bad frame is corruption).
    ///   - cutTornTail: cut a torn tail off the file (recovery does; a check does not).
    /// - Throws: ``JournalError`` naming the file, the offset and what to do when the segment is
    ///   corrupt, from a newer format or unreadable, or what `body` throws.
    public static func readSegment(
        _ path: String, number: UInt64, isNewest: Bool, cutTornTail: Bool = true,
        _ body: (JournalRecord) throws(JournalError) -> Void
    ) throws(JournalError) -> SegmentSummary {
        return try withMappedFile(path) { (raw) throws(JournalError) -> SegmentSummary in
            var summary = SegmentSummary()
            if raw.count < JournalRecordFrame.headerSize {
                guard isNewest else { throw corrupt(path, at: 0, "the segment header is cut short (\(raw.count) of 16 bytes)", records: 0, total: raw.count) }
                summary.tornTail = TornTail(path: path, offset: 0, bytesDropped: Int64(raw.count), reason: "a segment header cut short")
                if cutTornTail { try cut(path, to: 0) }
                return summary
            }
            try checkHeader(raw, path: path, number: number)
            var offset = JournalRecordFrame.headerSize
            while true {
                switch JournalRecordFrame.decode(raw, at: offset) {
                case .end:
                    summary.validLength = Int64(offset)
                    return summary
                case .record(let record, let next):
                    do throws(JournalError) { try body(record) } catch {
                        throw JournalError("the record at offset \(offset) of \(path) cannot be recovered: \(error.message)")
                    }
                    summary.records += 1
                    offset = next
                case .bad(let reason):
                    if let valid = JournalRecordFrame.firstValidRecord(raw, after: offset) {
                        throw corrupt(path, at: offset, reason + ", and a valid record follows at offset \(valid)", records: summary.records, total: raw.count)
                    }
                    guard isNewest else {
                        throw corrupt(path, at: offset, reason + " in a segment that is not the newest", records: summary.records, total: raw.count)
                    }
                    summary.validLength = Int64(offset)
                    summary.tornTail = TornTail(path: path, offset: Int64(offset), bytesDropped: Int64(raw.count - offset), reason: reason)
                    if cutTornTail { try cut(path, to: Int64(offset)) }
                    return summary
                }
            }
        }
    }

    private static func checkHeader(_ raw: UnsafeRawBufferPointer, path: String, number: UInt64) throws(JournalError) {
        guard Array(raw[0..<4]) == JournalRecordFrame.magic else {
            throw JournalError("\(path) is not an eventrouter journal segment (it does not start with \"ERJL\"); move it out of the journal folder")
        }
        let version = JournalRecordFrame.readLittleEndian(UInt32.self, raw, 4)
        guard version <= JournalRecordFrame.version else {
            throw JournalError("\(path) is a journal segment of format \(version), written by a newer eventrouter; this one reads format \(JournalRecordFrame.version). Run the eventrouter that wrote it, or move the data directory aside to start empty")
        }
        let stored = JournalRecordFrame.readLittleEndian(UInt64.self, raw, 8)
        guard stored == number else {
            throw JournalError("\(path) says it is segment \(stored), but its name says \(number); the file was renamed or copied. Give it back its name \(JournalSegmentFile.name(stored)) or restore the data directory from a backup")
        }
    }

    private static func corrupt(_ path: String, at offset: Int, _ reason: String, records: Int, total: Int) -> JournalError {
        JournalError("""
            the journal segment \(path) is corrupt at offset \(offset): \(reason). eventrouter does not start rather than drop data. \
            To start anyway, keeping the \(records) record\(records == 1 ? "" : "s") before that offset, cut the file there \
            (truncate -s \(offset) \(path); the \(total - offset) bytes after it are lost), or restore the data directory from a backup, \
            or move it aside to start empty
            """)
    }

    /// Hands the whole file at `path` to `body`, mapped read-only (`mmap`, pages populated at
    /// once): a 64 MiB segment is neither copied nor given fresh memory. The bytes are valid only
    /// inside `body`; cutting the file there is safe as long as nothing past the cut is read after.
    static func withMappedFile<T>(_ path: String, _ body: (UnsafeRawBufferPointer) throws(JournalError) -> T) throws(JournalError) -> T {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw JournalError("cannot read \(path): \(SystemError(errno))", code: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw JournalError("cannot read \(path): \(SystemError(errno))", code: errno) }
        guard let size = Int(exactly: info.st_size) else { throw JournalError("cannot read \(path): its size \(info.st_size) is out of range") }
        guard size > 0 else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try MappedFile.withMapping(fd, size: size, path: path, body)
    }

    /// Cuts `path` to `length` bytes and flushes it; a segment left without a whole header is
    /// removed (it never held a record).
    private static func cut(_ path: String, to length: Int64) throws(JournalError) {
        if length < Int64(JournalRecordFrame.headerSize) {
            guard unlink(path) == 0 else {
                throw JournalError("cannot remove the torn segment \(path): \(SystemError(errno)); make the folder writable and start again", code: errno)
            }
            return
        }
        guard truncate(path, off_t(length)) == 0 else {
            throw JournalError("cannot cut the torn final record off \(path): \(SystemError(errno)); make the file writable and start again", code: errno)
        }
        let fd = open(path, O_RDWR | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }
}
