import Dispatch
import Foundation
import Synchronization

/// The journal's one writer: appends go to a queue, and a dedicated thread (blocking file I/O
/// never runs on the cooperative pool) writes them to the current segment and `fsync`s per the
/// ``FsyncMode``:
///
/// - `batch` (group commit): every append waiting when the thread is free is written with one
///   `write` and one `fsync`, and all of their callers are answered after that `fsync`;
/// - `always`: one append per `write` + `fsync`;
/// - `off`: batches as `batch`, answered after the `write`.
///
/// A failed write or `fsync` (ENOSPC, EIO) fails every append of that batch — nothing is
/// acknowledged that is not stored — and the file is cut back to the end of the last stored
/// batch, so the writer keeps serving later appends and succeeds again once space returns.
/// A segment past ``Configuration/segmentSize`` is closed (after an `fsync`) and the next one
/// started; ``roll()`` starts one on demand (before a snapshot).
///
/// ```swift
/// let writer = try JournalWriter(directory: "/data/journal", firstSegment: 1, configuration: .init(fsync: .batch))
/// try await writer.append([JournalRecord(type: 1, payload: bytes)])
/// await writer.close()
/// ```
public final class JournalWriter: Sendable {
    /// How the writer stores.
    public struct Configuration: Sendable {
        /// When appends reach the disk.
        public var fsync: FsyncMode
        /// The size past which the writer starts a new segment (default 64 MiB).
        public var segmentSize: Int64 = 64 << 20
        /// The most bytes written in one batch (default 8 MiB; one append larger than it is
        /// written alone).
        public var batchBytes = 8 << 20
        /// The file system calls (tests inject failures and count `fsync`s here).
        public var fileOperations: any JournalFileOperations = SystemFileOperations()

        public init(fsync: FsyncMode) { self.fsync = fsync }
    }

    /// Counters since the writer started.
    public struct Statistics: Sendable, Equatable {
        /// Appends handed over (``submit(_:)`` / ``append(_:)``), answered or not.
        public var appends = 0
        /// Records written and stored.
        public var records = 0
        /// Batches written (one `write` each).
        public var batches = 0
        /// `fsync` calls on segments (batches under `always` and `batch`, and rolls).
        public var syncs = 0
        /// Batches that failed (their appends got an error).
        public var failedBatches = 0
        /// Bytes stored.
        public var bytes: Int64 = 0
        /// Time spent in the batches' `write` + `fsync`, in nanoseconds.
        public var storeNanoseconds: UInt64 = 0
        /// The part of ``storeNanoseconds`` spent in `fsync`.
        public var syncNanoseconds: UInt64 = 0
        /// Time spent answering the batches' appends (waking their waiters), in nanoseconds.
        public var answerNanoseconds: UInt64 = 0
        /// Time the thread slept waiting for appends, in nanoseconds.
        public var idleNanoseconds: UInt64 = 0
        /// Times the thread went to sleep for want of appends (each one a wake-up by the next).
        public var sleeps = 0
        /// The most appends written in one batch (how many requests shared one `fsync`).
        public var largestBatch = 0

        /// A line for the log: appends per batch, time storing, syncing, answering and idle.
        public var summary: String {
            func seconds(_ nanoseconds: UInt64) -> String { "\(Double(nanoseconds / 1_000_000) / 1e3) s" }
            let perBatch = batches == 0 ? 0 : Double(appends) / Double(batches)
            let perStore = batches == 0 ? 0 : Double(storeNanoseconds) / Double(batches) / 1e6
            return "\(appends) appends, \(records) records, \(bytes) B in \(batches) batches "
                + "(\((perBatch * 10).rounded() / 10) appends per batch, largest \(largestBatch)), \(syncs) fsyncs, "
                + "\(seconds(storeNanoseconds)) writing and syncing (\((perStore * 100).rounded() / 100) ms per batch, "
                + "\(seconds(syncNanoseconds)) in fsync), \(seconds(answerNanoseconds)) answering, "
                + "\(seconds(idleNanoseconds)) idle in \(sleeps) sleeps"
        }
    }

    /// The folder holding the segment files.
    public let directory: String
    /// The configuration it was started with.
    public let configuration: Configuration

    private enum Request {
        case append(bytes: [UInt8], records: Int, completion: JournalAppend)
        case roll(JournalRoll)
        case close(JournalRoll)
    }

    private struct Queue {
        var requests: [Request] = []
        var sleeping = false
        var closed = false
        var statistics = Statistics()
    }

    private let queue = Mutex(Queue())
    private let wake = DispatchSemaphore(value: 0)

    /// Creates segment `firstSegment` in `directory` (which must exist) and starts the thread.
    /// - Throws: ``JournalError`` naming the file when it cannot be created.
    public convenience init(directory: String, firstSegment: UInt64, configuration: Configuration) throws(JournalError) {
        let segment = try JournalSegmentFile.create(number: firstSegment, in: directory, operations: configuration.fileOperations)
        self.init(directory: directory, segment: segment, configuration: configuration)
    }

    /// Goes on appending to the existing segment `segment` of `directory` after its first
    /// `length` bytes (what recovery read as valid), and starts the thread.
    /// - Throws: ``JournalError`` naming the file when it cannot be opened.
    public convenience init(directory: String, continuing segment: UInt64, at length: Int64, configuration: Configuration) throws(JournalError) {
        let file = try JournalSegmentFile.open(number: segment, in: directory, at: length, operations: configuration.fileOperations)
        self.init(directory: directory, segment: file, configuration: configuration)
    }

    private init(directory: String, segment: JournalSegmentFile, configuration: Configuration) {
        self.directory = directory
        self.configuration = configuration
        let thread = Thread { [self] in self.serve(segment) }
        thread.name = "eventrouter-journal"
        thread.start()
    }

    /// What the writer has done so far.
    public var statistics: Statistics { queue.withLock { $0.statistics } }

    /// Hands `records` to the writer, in order after every earlier ``submit(_:)``; returns at
    /// once. Await ``JournalAppend/stored()`` before acknowledging them.
    public func submit(_ records: [JournalRecord]) -> JournalAppend {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(records.reduce(0) { $0 + JournalRecordFrame.frameOverhead + $1.payload.count })
        for record in records {
            if let problem = JournalRecordFrame.problem(with: record) {
                return JournalAppend(.failure(JournalError("cannot append to the journal in \(directory): \(problem)")))
            }
            JournalRecordFrame.encode(record, into: &bytes)
        }
        let completion = JournalAppend()
        guard enqueue(.append(bytes: bytes, records: records.count, completion: completion), countsAsAppend: true) else {
            return JournalAppend(.failure(JournalError("cannot append to the journal in \(directory): it is closed")))
        }
        return completion
    }

    /// Appends `records` and returns once they are stored (per the fsync mode).
    /// - Throws: ``JournalError`` when they were not stored; none of them is then in the journal.
    @discardableResult
    public func append(_ records: [JournalRecord]) async throws(JournalError) -> JournalPosition {
        try await submit(records).stored()
    }

    /// Starts a new segment after every append handed over before this call; returns the new
    /// segment's number once it exists (every earlier segment is then complete and on disk).
    /// - Throws: ``JournalError`` when the new segment cannot be created (the writer goes on in
    ///   the old one).
    public func roll() async throws(JournalError) -> UInt64 { try await submitRoll().done() }

    /// Hands a roll to the writer, in order after every earlier ``submit(_:)``; returns at once.
    /// A snapshot captures the state in the same serial context right after this call, so the
    /// state holds exactly the records of the segments before the new one.
    public func submitRoll() -> JournalRoll {
        let roll = JournalRoll()
        if !enqueue(.roll(roll), countsAsAppend: false) { roll.complete(.failure(JournalError("cannot roll the journal in \(directory): it is closed"))) }
        return roll
    }

    /// Writes what is queued, `fsync`s and closes the segment, and ends the thread. Later
    /// appends fail. Safe to call more than once.
    public func close() async {
        let roll = JournalRoll()
        guard enqueue(.close(roll), countsAsAppend: false, closing: true) else { return }
        _ = try? await roll.done()
    }

    private func enqueue(_ request: Request, countsAsAppend: Bool, closing: Bool = false) -> Bool {
        let signal = queue.withLock { queue -> Bool? in
            guard !queue.closed else { return nil }
            if closing { queue.closed = true }
            if countsAsAppend { queue.statistics.appends += 1 }
            queue.requests.append(request)
            defer { queue.sleeping = false }
            return queue.sleeping
        }
        guard let signal else { return false }
        if signal { wake.signal() }
        return true
    }

    /// The thread: takes the waiting requests and serves them until closed.
    private func serve(_ first: JournalSegmentFile) {
        ThreadName.set("er-journal")
        var segment = first
        let operations = configuration.fileOperations
        while true {
            let taken = queue.withLock { queue -> [Request] in
                if queue.requests.isEmpty {
                    queue.sleeping = true
                    return []
                }
                return takeBatch(&queue.requests)
            }
            if taken.isEmpty {
                let start = DispatchTime.now().uptimeNanoseconds
                wake.wait()
                let slept = DispatchTime.now().uptimeNanoseconds &- start
                queue.withLock { queue in
                    queue.statistics.sleeps += 1
                    queue.statistics.idleNanoseconds &+= slept
                }
                continue
            }
            if case .roll(let roll) = taken[0] {
                roll.complete(rollSegment(&segment))
                continue
            }
            if case .close(let roll) = taken[0] {
                var result: Result<UInt64, JournalError> = .success(segment.number)
                do { try segment.closeAfterSync(operations) } catch { result = .failure(error) }
                roll.complete(result)
                return
            }
            writeBatch(taken, to: &segment)
        }
    }

    /// The next batch: one roll or close alone, else the appends up to the next roll or close
    /// (one with `always`, up to ``Configuration/batchBytes`` otherwise).
    private func takeBatch(_ requests: inout [Request]) -> [Request] {
        guard case .append(let bytes, _, _) = requests[0] else { return [requests.removeFirst()] }
        var count = 1, total = bytes.count
        if configuration.fsync != .always {
            while count < requests.count, case .append(let more, _, _) = requests[count], total + more.count <= configuration.batchBytes {
                total += more.count
                count += 1
            }
        }
        defer { requests.removeFirst(count) }
        return Array(requests[0..<count])
    }

    private func writeBatch(_ batch: [Request], to segment: inout JournalSegmentFile) {
        var bytes: [UInt8] = []
        var records = 0
        var completions: [JournalAppend] = []
        for case .append(let part, let count, let completion) in batch {
            if bytes.isEmpty { bytes = part } else { bytes.append(contentsOf: part) }
            records += count
            completions.append(completion)
        }
        // A full segment rolls first; if the next cannot be created, the batch goes on in this one.
        if segment.end >= configuration.segmentSize { _ = rollSegment(&segment) }
        let start = DispatchTime.now().uptimeNanoseconds
        var syncing: UInt64 = 0
        let outcome = segment.append(bytes, sync: configuration.fsync != .off, configuration.fileOperations, syncNanoseconds: &syncing)
        let stored = DispatchTime.now().uptimeNanoseconds
        // Counted before the answers, so a caller that was answered sees its records counted.
        queue.withLock { queue in
            queue.statistics.batches += 1
            queue.statistics.storeNanoseconds &+= stored &- start
            queue.statistics.syncNanoseconds &+= syncing
            queue.statistics.largestBatch = max(queue.statistics.largestBatch, completions.count)
            if configuration.fsync != .off { queue.statistics.syncs += 1 }
            switch outcome {
            case .success:
                queue.statistics.records += records
                queue.statistics.bytes += Int64(bytes.count)
            case .failure:
                queue.statistics.failedBatches += 1
            }
        }
        let result = outcome.map { JournalPosition(segment: segment.number, offset: segment.end) }
        for completion in completions { completion.complete(result) }
        let answered = DispatchTime.now().uptimeNanoseconds &- stored
        queue.withLock { $0.statistics.answerNanoseconds &+= answered }
    }

    private func rollSegment(_ segment: inout JournalSegmentFile) -> Result<UInt64, JournalError> {
        let operations = configuration.fileOperations
        let next: JournalSegmentFile
        do { next = try JournalSegmentFile.create(number: segment.number + 1, in: directory, operations: operations) } catch { return .failure(error) }
        let old = segment
        segment = next  // the old descriptor is closed below whether or not its flush succeeds
        queue.withLock { $0.statistics.syncs += 1 }
        do { try old.closeAfterSync(operations) } catch { return .failure(error) }
        return .success(next.number)
    }
}

/// A roll (or close) handed to the writer; ``done()`` returns the new segment's number.
public final class JournalRoll: Sendable {
    private let append = JournalAppend()

    func complete(_ result: Result<UInt64, JournalError>) {
        append.complete(result.map { JournalPosition(segment: $0, offset: 0) })
    }

    /// Waits for the roll; returns the number of the segment it started.
    /// - Throws: ``JournalError`` when the new segment could not be created.
    public func done() async throws(JournalError) -> UInt64 { try await append.stored().segment }
}
