#if canImport(Glibc)
import Glibc
#endif
import EventRouterStorage
import Foundation
import Testing

/// Start-up: a torn final record is cut and reported in one line; corruption before the tail
/// stops with the file, the offset and what to do; snapshots bound the journal.
@Suite struct JournalRecoveryTests {
    static let first = "00000000000000000001.journal"

    /// A data folder whose journal holds `count` records in segment 1; returns the file's bytes.
    static func journal(_ count: Int, in folder: TemporaryFolder) async throws -> [UInt8] {
        let (journal, _) = try Journal.open(in: folder.path, configuration: .init(fsync: .off), snapshot: { _ in }, record: { _ in })
        for i in 0..<count { try await journal.writer.append([testRecord(i)]) }
        await journal.close()
        return folder.bytes("journal/" + first)
    }

    static func open(_ folder: TemporaryFolder) throws(JournalError) -> (Journal, Journal.Recovery, [JournalRecord], [UInt8]?) {
        var records: [JournalRecord] = []
        var state: [UInt8]?
        let (journal, recovery) = try Journal.open(in: folder.path, configuration: .init(fsync: .batch),
                                                   snapshot: { state = Array($0) }, record: { records.append($0) })
        return (journal, recovery, records, state)
    }

    /// Cut at every byte inside the last record (header and payload): the record is dropped,
    /// reported with its offset and size, and the file is cut back to the record before it.
    @Test func aTornFinalRecordIsCutAndReportedAtEveryByteOffset() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let whole = try await Self.journal(3, in: folder)
        let lastStart = 16 + 2 * 33
        #expect(whole.count == lastStart + 33)
        for length in (lastStart + 1)..<whole.count {
            let path = folder.path + "/journal/" + Self.first
            folder.write("journal/" + Self.first, Array(whole[0..<length]))
            var records: [JournalRecord] = []
            let summary = try JournalReader.readSegment(path, number: 1, isNewest: true) { records.append($0) }
            #expect(records == [testRecord(0), testRecord(1)], "cut at \(length)")
            #expect(summary.tornTail?.offset == Int64(lastStart), "cut at \(length)")
            #expect(summary.tornTail?.bytesDropped == Int64(length - lastStart), "cut at \(length)")
            #expect(summary.tornTail?.description.hasPrefix("journal: a torn final record in \(path) at offset \(lastStart) (") == true)
            #expect(summary.tornTail?.description.contains("): \(length - lastStart) byte\(length - lastStart == 1 ? "" : "s") dropped") == true)
            #expect(folder.bytes("journal/" + Self.first).count == lastStart, "cut at \(length)")
        }
    }

    @Test func aCorruptFinalRecordIsDroppedAndTheJournalGoesOnAfterTheCut() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        var bytes = try await Self.journal(3, in: folder)
        bytes[bytes.count - 1] ^= 0xFF
        folder.write("journal/" + Self.first, bytes)
        let (journal, recovery, records, _) = try Self.open(folder)
        #expect(records == [testRecord(0), testRecord(1)])
        #expect(recovery.tornTail?.reason.contains("CRC-32C mismatch") == true)
        #expect(recovery.tornTail?.bytesDropped == 33)
        try await journal.writer.append([testRecord(9)])
        await journal.close()
        let (again, second, reread, _) = try Self.open(folder)
        await again.close()
        #expect(reread == [testRecord(0), testRecord(1), testRecord(9)])
        #expect(second.tornTail == nil)
        #expect(second.segments == 1, "the writer went on in segment 1 after the cut: restarts add no files")
    }

    @Test func corruptionBeforeTheTailStopsWithTheFileTheOffsetAndWhatToDo() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        var bytes = try await Self.journal(3, in: folder)
        bytes[16 + 33 + 12] ^= 0x01  // a payload byte of the second record
        folder.write("journal/" + Self.first, bytes)
        let path = folder.path + "/journal/" + Self.first
        let error = #expect(throws: JournalError.self) { try Self.open(folder) }
        #expect(error?.message.hasPrefix("the journal segment \(path) is corrupt at offset 49: a CRC-32C mismatch (stored 0x") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("and a valid record follows at offset 82. eventrouter does not start rather than drop data.") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("keeping the 1 record before that offset, cut the file there (truncate -s 49 \(path); the 66 bytes after it are lost)") == true, "\(error?.message ?? "")")
        #expect(folder.bytes("journal/" + Self.first) == bytes, "nothing was cut")
    }

    @Test func aBadTailInAnOlderSegmentIsCorruption() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        var bytes = try await Self.journal(2, in: folder)
        let (journal, _, _, _) = try Self.open(folder)
        _ = try await journal.writer.roll()  // segment 2: segment 1 is no longer the newest
        await journal.close()
        bytes.removeLast(5)
        folder.write("journal/" + Self.first, bytes)
        let error = #expect(throws: JournalError.self) { try Self.open(folder) }
        #expect(error?.message.contains("is corrupt at offset 49: a record of 24 bytes cut short (19 bytes present) in a segment that is not the newest") == true, "\(error?.message ?? "")")
    }

    @Test func aMissingSegmentStopsTheStart() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        _ = try await Self.journal(1, in: folder)
        let (journal, _, _, _) = try Self.open(folder)
        for _ in 0..<2 { _ = try await journal.writer.roll() }
        await journal.close()
        unlink(folder.path + "/journal/00000000000000000002.journal")
        let error = #expect(throws: JournalError.self) { try Self.open(folder) }
        #expect(error?.message.hasPrefix("the journal segment 00000000000000000002.journal is missing from \(folder.path)/journal (found 00000000000000000003.journal next)") == true, "\(error?.message ?? "")")
    }

    /// A snapshot after a roll covers the segments before it; they are deleted, and start-up
    /// reads the snapshot plus the records after it.
    @Test func aSnapshotReplacesTheSegmentsItCoversAndStartUpReadsItPlusTheTail() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let (journal, _, _, _) = try Self.open(folder)
        for i in 0..<3 { try await journal.writer.append([testRecord(i)]) }
        let roll = journal.writer.submitRoll()
        try await journal.snapshot(after: roll, state: Array("state after 3".utf8))
        try await journal.writer.append([testRecord(3), testRecord(4)])
        let second = journal.writer.submitRoll()
        try await journal.snapshot(after: second, state: Array("state after 5".utf8))
        try await journal.writer.append([testRecord(5)])
        await journal.close()
        #expect(folder.names("snapshots") == ["00000000000000000003.snapshot"])
        #expect(folder.names("journal") == ["00000000000000000003.journal"])
        let (again, recovery, records, state) = try Self.open(folder)
        await again.close()
        #expect(state == Array("state after 5".utf8))
        #expect(records == [testRecord(5)])
        #expect(recovery.snapshotCoveringBefore == 3)
        #expect(recovery.description == "snapshot before segment 3 + 1 journal record in 1 segment")
    }

    @Test func aCorruptSnapshotStopsTheStartNamingIt() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let (journal, _, _, _) = try Self.open(folder)
        try await journal.snapshot(after: journal.writer.submitRoll(), state: Array("state".utf8))
        await journal.close()
        let name = "snapshots/00000000000000000002.snapshot"
        var bytes = folder.bytes(name)
        bytes[bytes.count - 1] ^= 0x20
        folder.write(name, bytes)
        let error = #expect(throws: JournalError.self) { try Self.open(folder) }
        #expect(error?.message.hasPrefix("\(folder.path)/\(name) is corrupt: CRC-32C mismatch (stored 0x") == true, "\(error?.message ?? "")")
        #expect(error?.message.hasSuffix("restore the data directory from a backup, or move it aside to start empty") == true)
    }

    /// A crash while a segment was being created leaves it without a whole header: it is
    /// removed (it never held a record) and the writer goes on in the segment before it.
    @Test func aNewestSegmentWithoutAWholeHeaderIsRemoved() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        _ = try await Self.journal(2, in: folder)
        folder.write("journal/00000000000000000002.journal", Array("ERJL\u{1}".utf8))
        let (journal, recovery, records, _) = try Self.open(folder)
        #expect(records == [testRecord(0), testRecord(1)])
        #expect(recovery.tornTail?.offset == 0)
        #expect(recovery.tornTail?.reason == "a segment header cut short")
        try await journal.writer.append([testRecord(2)])
        await journal.close()
        let (again, _, reread, _) = try Self.open(folder)
        await again.close()
        #expect(reread == [testRecord(0), testRecord(1), testRecord(2)], "appended after them in segment 1, no gap")
        #expect(folder.names("journal") == [Self.first])
    }

    /// A crash after a snapshot was written but before compaction: the segments it covers are
    /// deleted at the next start, not read again.
    @Test func segmentsASnapshotCoversAreDeletedAtStartUp() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let (journal, _, _, _) = try Self.open(folder)
        try await journal.writer.append([testRecord(0)])
        _ = try await journal.writer.roll()
        try await journal.writer.append([testRecord(1)])
        await journal.close()
        try SnapshotFile.write(Array("after record 0".utf8), coveringBefore: 2, in: folder.path + "/snapshots", operations: SystemFileOperations())
        let (again, recovery, records, state) = try Self.open(folder)
        await again.close()
        #expect(state == Array("after record 0".utf8))
        #expect(records == [testRecord(1)])
        #expect(recovery.removedLeftovers == 1)
        #expect(!folder.names("journal").contains(Self.first))
    }

    /// A crash in the middle of a snapshot leaves its temporary file: removed at the next start.
    @Test func aSnapshotsLeftoverTemporaryFileIsDeletedAtStartUp() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let (journal, _, _, _) = try Self.open(folder)
        try await journal.writer.append([testRecord(0)])
        await journal.close()
        #expect(FileManager.default.createFile(atPath: folder.path + "/snapshots/00000000000000000002.snapshot.tmp", contents: Data([1, 2, 3])))
        let (again, recovery, records, _) = try Self.open(folder)
        await again.close()
        #expect(records == [testRecord(0)])
        #expect(recovery.removedLeftovers == 1)
        #expect(folder.names("snapshots").isEmpty)
    }
}
