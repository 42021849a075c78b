#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The journal and snapshots of a data directory: start-up reads the newest snapshot and the
/// segments after it (``open(in:configuration:snapshot:record:)``), appends go through the
/// ``writer``, and ``snapshot(after:state:)`` writes a snapshot and deletes what it covers, so the
/// journal's size stays bounded by the snapshot plus the segments written since.
///
/// Layout (docs/durability.md): `DIR/journal/NNNNNNNNNNNNNNNNNNNN.journal` segments numbered from
/// 1, consecutive; `DIR/snapshots/NNNNNNNNNNNNNNNNNNNN.snapshot`, named after the first segment
/// it does not cover.
public final class Journal: Sendable {
    /// What start-up read.
    public struct Recovery: Sendable, Equatable, CustomStringConvertible {
        /// The snapshot read, if any (the first segment it does not cover).
        public var snapshotCoveringBefore: UInt64?
        /// Segments read after it.
        public var segments = 0
        /// Records read from them.
        public var records = 0
        /// A torn final record that was cut off.
        public var tornTail: JournalReader.TornTail?
        /// Files of segments or snapshots that an earlier snapshot covered, deleted now (a crash
        /// came between a snapshot and its compaction).
        public var removedLeftovers = 0

        public var description: String {
            (snapshotCoveringBefore.map { "snapshot before segment \($0) + " } ?? "")
                + "\(records) journal record\(records == 1 ? "" : "s") in \(segments) segment\(segments == 1 ? "" : "s")"
        }
    }

    /// The folder of the segment files.
    public let journalDirectory: String
    /// The folder of the snapshots.
    public let snapshotDirectory: String
    /// The one writer.
    public let writer: JournalWriter

    private init(journalDirectory: String, snapshotDirectory: String, writer: JournalWriter) {
        self.journalDirectory = journalDirectory
        self.snapshotDirectory = snapshotDirectory
        self.writer = writer
    }

    /// Recovers the journal of the data directory `directory` (creating `journal/` and
    /// `snapshots/` when missing): hands the newest snapshot's payload to `snapshot` (valid only
    /// during the call: it is the mapped file, ``SnapshotFile/withPayload(_:coveringBefore:_:)``), then each
    /// record after it to `record`, in order; cuts a torn final record; deletes files an earlier
    /// snapshot covered; starts the writer at the end of the newest segment (a new one when
    /// there is none).
    ///
    /// Blocking: call it off the cooperative pool (e.g. ``StorageThread/run(_:)``).
    /// - Throws: ``JournalError`` naming the file, offset and what to do on corruption, a
    ///   missing segment, a newer format or a failed system call, or what the closures throw.
    public static func open(
        in directory: String, configuration: JournalWriter.Configuration,
        snapshot: (UnsafeRawBufferPointer) throws(JournalError) -> Void,
        record: (JournalRecord) throws(JournalError) -> Void
    ) throws(JournalError) -> (Journal, Recovery) {
        let journalDirectory = directory + "/journal", snapshotDirectory = directory + "/snapshots"
        for folder in [journalDirectory, snapshotDirectory] where mkdir(folder, 0o755) != 0 && errno != EEXIST {
            throw JournalError("cannot create \(folder): \(SystemError(errno))", code: errno)
        }
        var recovery = Recovery()
        let snapshots = try numberedFiles(in: snapshotDirectory, SnapshotFile.segment(inName:))
        var first: UInt64 = 1
        if let newest = snapshots.last {
            try SnapshotFile.withPayload(snapshotDirectory + "/" + newest.name, coveringBefore: newest.number, snapshot)
            recovery.snapshotCoveringBefore = newest.number
            first = newest.number
            for older in snapshots.dropLast() { recovery.removedLeftovers += remove(snapshotDirectory + "/" + older.name) }
        }
        // A snapshot cut short by a crash before its rename left only its temporary file.
        for torn in try numberedFiles(in: snapshotDirectory, { $0.hasSuffix(".snapshot.tmp") ? 0 : nil }) {
            recovery.removedLeftovers += remove(snapshotDirectory + "/" + torn.name)
        }
        var segments = try numberedFiles(in: journalDirectory, JournalSegmentFile.number(inName:))
        for covered in segments where covered.number < first { recovery.removedLeftovers += remove(journalDirectory + "/" + covered.name) }
        segments.removeAll { $0.number < first }
        var expected = first
        var newest: (number: UInt64, length: Int64)?
        for (index, segment) in segments.enumerated() {
            let path = journalDirectory + "/" + segment.name
            guard segment.number == expected else {
                throw JournalError("the journal segment \(JournalSegmentFile.name(expected)) is missing from \(journalDirectory) (found \(segment.name) next); records in it would be lost, so eventrouter does not start. Restore the data directory from a backup, or move it aside to start empty")
            }
            let summary = try JournalReader.readSegment(path, number: segment.number, isNewest: index == segments.count - 1, record)
            recovery.records += summary.records
            recovery.segments += 1
            recovery.tornTail = summary.tornTail ?? recovery.tornTail
            // A newest segment without a whole header was removed: the writer takes its number.
            if summary.tornTail?.offset != 0 {
                expected += 1
                newest = (segment.number, summary.validLength)
            }
        }
        if recovery.removedLeftovers > 0 { try? configuration.fileOperations.syncDirectory(journalDirectory) }
        // The writer goes on in the newest segment (restarts add no files), else starts one.
        let writer: JournalWriter
        if let newest {
            writer = try JournalWriter(directory: journalDirectory, continuing: newest.number, at: newest.length, configuration: configuration)
        } else {
            writer = try JournalWriter(directory: journalDirectory, firstSegment: expected, configuration: configuration)
        }
        return (Journal(journalDirectory: journalDirectory, snapshotDirectory: snapshotDirectory, writer: writer), recovery)
    }

    /// Writes `state` as the snapshot taken at `roll` (see ``JournalWriter/submitRoll()``: the
    /// state must hold exactly the records handed over before it), then deletes the segments and
    /// snapshots it covers. The file work runs on a thread of its own.
    /// - Throws: ``JournalError`` when the roll or the snapshot failed; nothing is deleted then.
    public func snapshot(after roll: JournalRoll, state: [UInt8]) async throws(JournalError) {
        let segment = try await roll.done()
        let journalDirectory = journalDirectory, snapshotDirectory = snapshotDirectory
        let operations = writer.configuration.fileOperations
        try await StorageThread.run { () throws(JournalError) in
            try SnapshotFile.write(state, coveringBefore: segment, in: snapshotDirectory, operations: operations)
            for old in try Self.numberedFiles(in: snapshotDirectory, SnapshotFile.segment(inName:)) where old.number < segment {
                _ = Self.remove(snapshotDirectory + "/" + old.name)
            }
            for old in try Self.numberedFiles(in: journalDirectory, JournalSegmentFile.number(inName:)) where old.number < segment {
                _ = Self.remove(journalDirectory + "/" + old.name)
            }
            try? operations.syncDirectory(journalDirectory)
            try? operations.syncDirectory(snapshotDirectory)
        }
    }

    /// Flushes and closes the writer.
    public func close() async { await writer.close() }

    /// The files of `directory` whose names `number` reads, sorted by that number.
    static func numberedFiles(in directory: String, _ number: (String) -> UInt64?) throws(JournalError) -> [(name: String, number: UInt64)] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw JournalError("cannot list \(directory): \(error.localizedDescription)")
        }
        return names.compactMap { name in number(name).map { (name, $0) } }.sorted { $0.number < $1.number }
    }

    private static func remove(_ path: String) -> Int { unlink(path) == 0 ? 1 : 0 }
}

/// Runs blocking storage work on a thread of its own, never on the cooperative pool.
public enum StorageThread {
    /// Runs `work` on a new thread and returns its result.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws(JournalError) -> T) async throws(JournalError) -> T {
        let result: Result<T, JournalError> = await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: Result { () throws(JournalError) -> T in try work() }) }
            thread.name = "eventrouter-storage"
            thread.start()
        }
        return try result.get()
    }
}
