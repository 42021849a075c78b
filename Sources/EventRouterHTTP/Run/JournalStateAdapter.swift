import EventRouter
import EventRouterStorage
import Dispatch
import Synchronization

/// The engine's ``StateJournal`` over the data directory's ``Journal``: records go to the one
/// writer (group commit per the fsync mode), and once the records written since the last
/// snapshot pass max(``snapshotBytes``, ``snapshotGrowthFactor`` × the last snapshot's size) a
/// snapshot is taken (roll, capture, write, compact) on a thread of its own. Snapshot work thus
/// stays proportional to what is written (a large state is not rewritten every
/// ``snapshotBytes``), and the data directory stays bounded by about
/// (``snapshotGrowthFactor`` + 2) × the state + ``snapshotBytes`` (docs/durability.md,
/// "Snapshot cadence"). Graceful shutdown writes one too (``snapshotNow()``).
final class JournalStateAdapter: StateJournal {
    /// The journal.
    let journal: Journal
    /// Bytes of records submitted since the last snapshot began that start the next one.
    let snapshotBytes: Int
    /// k: the journal may grow to k × the last snapshot's size before the next snapshot.
    static let snapshotGrowthFactor = 2
    private let runtime: RouterRuntime
    private let sinceSnapshot = Atomic<Int>(0)
    /// The last snapshot's payload size (the recovered one's at start).
    private let lastSnapshotSize = Atomic<Int>(0)
    /// How long the last capture took (``RouterRuntime/journalSnapshot()``), in nanoseconds.
    let lastCaptureNanoseconds = Atomic<UInt64>(0)
    private let snapshotting = Atomic<Bool>(false)
    /// Snapshots taken, and their captures' total time in nanoseconds (for the shutdown log line).
    private let snapshots = Atomic<Int>(0)
    private let captureNanoseconds = Atomic<UInt64>(0)
    private let log: any LogSink

    init(journal: Journal, runtime: RouterRuntime, snapshotBytes: Int, recoveredSnapshotSize: Int = 0, log: any LogSink) {
        self.journal = journal
        self.runtime = runtime
        self.snapshotBytes = snapshotBytes
        self.log = log
        lastSnapshotSize.store(recoveredSnapshotSize, ordering: .relaxed)
    }

    /// Snapshots so far and their captures' time, for the shutdown log line.
    var snapshotSummary: String {
        "\(snapshots.load(ordering: .relaxed)) snapshots, \(Double(captureNanoseconds.load(ordering: .relaxed) / 1_000_000) / 1e3) s capturing"
    }

    /// The last snapshot's payload size.
    var lastSnapshotBytes: Int { lastSnapshotSize.load(ordering: .relaxed) }

    /// Bytes of records after which the next snapshot starts: max(``snapshotBytes``,
    /// ``snapshotGrowthFactor`` × the last snapshot's size).
    var snapshotThreshold: Int {
        let (scaled, overflow) = lastSnapshotSize.load(ordering: .relaxed).multipliedReportingOverflow(by: Self.snapshotGrowthFactor)
        return overflow ? Int.max : max(snapshotBytes, scaled)
    }

    func submit(_ records: [StateRecord]) -> StateJournalTicket {
        var bytes = 0
        let append = journal.writer.submit(records.map { record in
            bytes += record.payload.count + 9
            return JournalRecord(type: record.type, payload: record.payload)
        })
        let total = sinceSnapshot.add(bytes, ordering: .relaxed).newValue
        if total >= snapshotThreshold, snapshotting.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged {
            // One task per snapshot (rare: every `snapshotThreshold` bytes of records); never
            // inline, as `submit` runs under a queue's lock and the capture takes every queue's lock.
            Task.detached { [self] in
                await self.snapshotInBackground()
            }
        }
        return StateJournalTicket(Pending(append: append))
    }

    private func snapshotInBackground() async {
        defer { snapshotting.store(false, ordering: .releasing) }
        do { try await snapshotNow() } catch {
            log.log(.error, "journal snapshot failed (the journal keeps growing until one succeeds): \(error.message)")
        }
    }

    /// Rolls the journal, captures the engine's state and writes it as the snapshot covering
    /// every older segment, which are then deleted.
    func snapshotNow() async throws(JournalError) {
        sinceSnapshot.store(0, ordering: .relaxed)
        let roll = journal.writer.submitRoll()
        // The capture encodes the whole state (1 GB for a million 1 KB messages): on a thread of
        // its own, not the cooperative pool. Records are whole states, so capturing a little
        // after the roll is correct (see StateRecovery).
        let runtime = runtime
        let (state, nanoseconds) = try await StorageThread.run { () throws(JournalError) -> ([UInt8], UInt64) in
            let start = DispatchTime.now().uptimeNanoseconds
            let state = runtime.journalSnapshot()
            return (state, DispatchTime.now().uptimeNanoseconds - start)
        }
        lastCaptureNanoseconds.store(nanoseconds, ordering: .relaxed)
        snapshots.add(1, ordering: .relaxed)
        captureNanoseconds.add(nanoseconds, ordering: .relaxed)
        try await journal.snapshot(after: roll, state: state)
        lastSnapshotSize.store(state.count, ordering: .relaxed)
    }

    struct Pending: StateJournalPending {
        let append: JournalAppend
        func stored() async throws(StateJournalFailure) {
            do { _ = try await append.stored() } catch { throw StateJournalFailure(error.message) }
        }
        func whenStored(_ body: @escaping @Sendable (StateJournalFailure?) -> Void) {
            append.whenStored { outcome in
                switch outcome {
                case .success: body(nil)
                case .failure(let error): body(StateJournalFailure(error.message))
                }
            }
        }
    }

    /// Opens the journal of `directory`, rebuilds the state of `runtime` from its snapshot and
    /// records, and attaches the journal to it.
    /// - Returns: the adapter and the start line's account of what was recovered.
    /// - Throws: ``JournalError`` naming the file, offset or record and what to do.
    static func recover(
        directory: DataDirectory, fsync: FsyncMode, runtime: RouterRuntime, snapshotBytes: Int,
        fileOperations: (any JournalFileOperations)?, log: any LogSink
    ) async throws(JournalError) -> (JournalStateAdapter, String) {
        var writerConfiguration = JournalWriter.Configuration(fsync: fsync)
        if let fileOperations { writerConfiguration.fileOperations = fileOperations }
        let configuration = writerConfiguration
        let path = directory.path
        let (journal, recovery, state, snapshotSize) = try await StorageThread.run { () throws(JournalError) -> (Journal, Journal.Recovery, StateRecovery, Int) in
            var state = StateRecovery()
            var snapshotSize = 0
            let (journal, recovery) = try Journal.open(
                in: path, configuration: configuration,
                snapshot: { (bytes: UnsafeRawBufferPointer) throws(JournalError) in
                    snapshotSize = bytes.count
                    do { try state.applySnapshot(bytes) } catch { throw JournalError("cannot recover the snapshot in \(path)/snapshots: \(error); move the data directory aside to start empty") }
                },
                record: { (record: JournalRecord) throws(JournalError) in
                    do { try state.apply(StateRecord(type: record.type, payload: record.payload)) } catch {
                        throw JournalError("\(error); eventrouter does not start rather than drop data: restore the data directory from a backup, or move it aside to start empty")
                    }
                })
            return (journal, recovery, state, snapshotSize)
        }
        let adapter = JournalStateAdapter(journal: journal, runtime: runtime, snapshotBytes: snapshotBytes, recoveredSnapshotSize: snapshotSize, log: log)
        var counts: StateRecovery.Counts
        do { counts = try state.restore(into: runtime, attaching: adapter) } catch {
            throw JournalError("cannot recover the state in \(path): \(error)")
        }
        counts.functions = await state.functions.restore(into: runtime)
        if let torn = recovery.tornTail { log.log(.warning, "journal: \(torn)") }
        return (adapter, "recovered \(counts) from \(recovery)")
    }
}
