#if canImport(Glibc)
import Glibc
#endif
import EventRouterStorage
import Testing

/// Group commit and faults of the one writer, through a file-operations seam that counts
/// `fsync`s, holds one until released, and fails writes or `fsync`s on demand.
@Suite struct JournalWriterTests {
    static func writer(_ mode: FsyncMode, _ operations: TestFileOperations, in folder: TemporaryFolder) throws -> JournalWriter {
        var configuration = JournalWriter.Configuration(fsync: mode)
        configuration.fileOperations = operations
        return try JournalWriter(directory: folder.path, firstSegment: 1, configuration: configuration)
    }

    static let segment = "00000000000000000001.journal"

    /// The first batch's `fsync` is held until all 64 appends have arrived: with `batch` the rest
    /// share the next `fsync` (1 or 2 in all — 1 when all 64 arrived before the first batch was
    /// taken — and none answered before its batch is on disk); with `always` each has its own
    /// (64); with `off` there is none. The statistics say how many appends shared the largest
    /// batch (at least half of them with `batch`, one with `always`) and the time spent storing.
    @Test(arguments: [(FsyncMode.batch, 1...2, 32...64), (.always, 64...64, 1...1), (.off, 0...0, 1...64)])
    func concurrentAppendsShareAnFsyncPerBatch(mode: FsyncMode, expectedSyncs: ClosedRange<Int>, largestBatch: ClosedRange<Int>) async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let operations = TestFileOperations()
        let writer = try Self.writer(mode, operations, in: folder)
        let before = operations.syncs
        let gate = mode == .off ? nil : operations.holdNextSync()
        let appenders = 64
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<appenders {
                group.addTask { try await writer.append([testRecord(i)]) }
            }
            if let gate {
                await waitOffPool(gate.entered)
                while writer.statistics.appends < appenders { await Task.yield() }
                #expect(writer.statistics.records == 0, "no append is stored (nor answered) before its fsync returns")
                gate.release.signal()
            }
            try await group.waitForAll()
        }
        #expect(expectedSyncs.contains(operations.syncs - before), "\(operations.syncs - before) fsyncs")
        #expect(writer.statistics.records == appenders)
        let statistics = writer.statistics
        #expect(largestBatch.contains(statistics.largestBatch), "largest batch \(statistics.largestBatch)")
        if mode != .off { #expect(statistics.storeNanoseconds > 0, "the held fsync counts as time storing") }
        #expect(statistics.summary.hasPrefix("64 appends, 64 records, "), "\(statistics.summary)")
        await writer.close()
        let stored = try recordsIn(folder.path + "/" + Self.segment)
        #expect(Set(stored.map(\.payload)) == Set((0..<appenders).map { testRecord($0).payload }))
    }

    /// ENOSPC part-way through a batch: every append of that batch gets the error, the partial
    /// bytes are cut off, and once space returns the writer stores again.
    @Test(arguments: [(ENOSPC, "no space left on the device"), (EIO, "an input/output error from the disk")])
    func aFailedWriteFailsItsWholeBatchAndTheWriterRecovers(code: Int32, reason: String) async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let operations = TestFileOperations()
        let writer = try Self.writer(.batch, operations, in: folder)
        let gate = operations.holdNextSync()
        let first = writer.submit([testRecord(0)])
        await waitOffPool(gate.entered)
        let batch = (1...3).map { writer.submit([testRecord($0), testRecord($0 + 100)]) }
        operations.failWrites(code, afterBytes: 20)
        gate.release.signal()
        _ = try await first.stored()
        for append in batch {
            let error = await #expect(throws: JournalError.self) { try await append.stored() }
            #expect(error?.message.contains("cannot store in the journal \(folder.path)/\(Self.segment): \(reason)") == true, "\(error?.message ?? "")")
            #expect(error?.message.hasSuffix("the request was not stored") == true)
        }
        #expect(folder.bytes(Self.segment).count == 16 + 9 + 24, "the partial batch was cut off")
        operations.failWrites(nil)
        try await writer.append([testRecord(4)])
        await writer.close()
        #expect(try recordsIn(folder.path + "/" + Self.segment) == [testRecord(0), testRecord(4)])
    }

    @Test func aFailedFsyncFailsTheBatchAndTheNextOneIsStored() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let operations = TestFileOperations()
        let writer = try Self.writer(.always, operations, in: folder)
        operations.failSyncs(EIO)
        let error = await #expect(throws: JournalError.self) { try await writer.append([testRecord(1)]) }
        #expect(error?.code == EIO)
        operations.failSyncs(nil)
        try await writer.append([testRecord(2)])
        #expect(writer.statistics.failedBatches == 1)
        await writer.close()
        #expect(try recordsIn(folder.path + "/" + Self.segment) == [testRecord(2)])
    }

    @Test func appendsAfterCloseAndBadRecordsAreRefusedWithAMessage() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let writer = try Self.writer(.batch, TestFileOperations(), in: folder)
        let zero = await #expect(throws: JournalError.self) { try await writer.append([JournalRecord(type: 0, payload: [])]) }
        #expect(zero?.message == "cannot append to the journal in \(folder.path): record type 0 is reserved (it would read as zero bytes); use 1…255")
        await writer.close()
        let closed = await #expect(throws: JournalError.self) { try await writer.append([testRecord(1)]) }
        #expect(closed?.message == "cannot append to the journal in \(folder.path): it is closed")
    }

    @Test func aFullSegmentRollsToTheNextAndRecordsStayInOrder() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        var configuration = JournalWriter.Configuration(fsync: .off)
        configuration.segmentSize = 100
        let writer = try JournalWriter(directory: folder.path, firstSegment: 1, configuration: configuration)
        for i in 0..<6 { try await writer.append([testRecord(i)]) }
        await writer.close()
        let names = folder.names(".")
        #expect(names.count == 2, "3 records of 33 bytes after the 16-byte header pass 100 bytes: \(names)")
        var all: [JournalRecord] = []
        for (index, name) in names.enumerated() { all += try recordsIn(folder.path + "/" + name, number: UInt64(index + 1)) }
        #expect(all == (0..<6).map { testRecord($0) })
    }
}
