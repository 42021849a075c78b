import Dispatch

/// One open segment file of the journal, owned by the writer's thread: its number, descriptor
/// and the end of what is stored in it (the offset the next batch is written at).
struct JournalSegmentFile {
    let number: UInt64
    let path: String
    let fd: Int32
    /// The end of the stored bytes; a failed batch is cut back to it.
    private(set) var end: Int64
    /// A failed batch could not be cut back: cut before the next write.
    private var needsRepair = false

    /// The file name of segment `number`: 20 digits (so names sort as numbers) and `.journal`.
    static func name(_ number: UInt64) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".journal"
    }

    /// The segment number a file name stands for, or `nil` if it is not a segment's name.
    static func number(inName name: String) -> UInt64? {
        guard name.hasSuffix(".journal") else { return nil }
        let digits = name.dropLast(".journal".count)
        guard digits.count == 20, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return UInt64(digits)
    }

    /// Creates segment `number` in `directory`: header written and on disk, folder entry flushed.
    static func create(number: UInt64, in directory: String, operations: any JournalFileOperations) throws(JournalError) -> JournalSegmentFile {
        let path = directory + "/" + name(number)
        let fd: Int32
        do { fd = try operations.open(path) } catch { throw JournalError("cannot create the journal segment \(path): \(error)", code: error.code) }
        do {
            try operations.truncate(fd, to: 0)
            let header = JournalRecordFrame.header(segment: number)
            try operations.write(fd, header, at: 0)
            try operations.sync(fd)
            try operations.syncDirectory(directory)
        } catch {
            operations.close(fd)
            throw JournalError("cannot create the journal segment \(path): \(error)", code: error.code)
        }
        return JournalSegmentFile(number: number, path: path, fd: fd, end: Int64(JournalRecordFrame.headerSize))
    }

    /// Opens the existing segment `number` in `directory` to append after its first `length`
    /// bytes (recovery read them; anything after is cut).
    static func open(number: UInt64, in directory: String, at length: Int64, operations: any JournalFileOperations) throws(JournalError) -> JournalSegmentFile {
        let path = directory + "/" + name(number)
        let fd: Int32
        do { fd = try operations.open(path) } catch { throw JournalError("cannot open the journal segment \(path): \(error)", code: error.code) }
        do { try operations.truncate(fd, to: length) } catch {
            operations.close(fd)
            throw JournalError("cannot open the journal segment \(path): \(error)", code: error.code)
        }
        return JournalSegmentFile(number: number, path: path, fd: fd, end: length)
    }

    /// Writes `bytes` at the end (and `fsync`s when `sync`, adding the time it took to
    /// `syncNanoseconds`); on failure cuts the file back so that nothing of the batch stays, and
    /// says why.
    mutating func append(_ bytes: [UInt8], sync: Bool, _ operations: any JournalFileOperations,
                         syncNanoseconds: inout UInt64) -> Result<Void, JournalError> {
        do {
            if needsRepair {
                try operations.truncate(fd, to: end)
                needsRepair = false
            }
            let at = end
            try operations.write(fd, bytes, at: at)
            if sync {
                let start = DispatchTime.now().uptimeNanoseconds
                defer { syncNanoseconds &+= DispatchTime.now().uptimeNanoseconds &- start }
                try operations.sync(fd)
            }
            end += Int64(bytes.count)
            return .success(())
        } catch {
            do { try operations.truncate(fd, to: end) } catch { needsRepair = true }
            return .failure(JournalError("cannot store in the journal \(path): \(error); the request was not stored", code: error.code))
        }
    }

    /// Flushes and closes the file.
    func closeAfterSync(_ operations: any JournalFileOperations) throws(JournalError) {
        defer { operations.close(fd) }
        do { try operations.sync(fd) } catch { throw JournalError("cannot flush the journal segment \(path): \(error)", code: error.code) }
    }
}
