import Synchronization

/// One delivery stream: its settings, buffer, objects waiting to be written and counters,
/// behind one lock. ``DeliveryStreamRegistry`` flushes it on the runtime's clock.
public final class DeliveryStream: Sendable {
    /// What a stream has done, for the state JSON and DescribeDeliveryStream.
    public struct Counters: Sendable, Hashable {
        /// Records accepted (PutRecord, PutRecordBatch, rule targets, the source stream).
        public var incomingRecords = 0
        public var incomingBytes = 0
        /// Records written to objects under the prefix.
        public var deliveredRecords = 0
        /// Records the transform dropped.
        public var droppedRecords = 0
        /// Records written under the error prefix.
        public var failedRecords = 0
        /// Objects written (under either prefix).
        public var objects = 0
        /// Object writes that failed and wait to be tried again.
        public var failedWrites = 0

        public var json: JSONValue {
            [
                "incomingRecords": .number(JSONNumber(incomingRecords)), "incomingBytes": .number(JSONNumber(incomingBytes)),
                "deliveredRecords": .number(JSONNumber(deliveredRecords)), "droppedRecords": .number(JSONNumber(droppedRecords)),
                "failedRecords": .number(JSONNumber(failedRecords)), "objects": .number(JSONNumber(objects)),
                "failedWrites": .number(JSONNumber(failedWrites)),
            ]
        }
    }

    /// An object made and not written yet (a failed write waits ``retryDelay`` before the next try).
    struct PendingObject: Sendable {
        var key: String
        var bytes: [UInt8]
        var records: Int
        var failed: Bool
        var notBefore: Timestamp
    }

    struct State: Sendable {
        var buffer: DeliveryStreamBuffer
        var pending: [PendingObject] = []
        var counters = Counters()
        /// The source stream's last record counter read (`KinesisStreamAsSource`).
        var sourceCursor: UInt64 = 0
        /// A flush is in progress (its records are in neither the buffer nor `pending`).
        var flushing = 0
    }

    /// The most bytes of one record's data (1,000 KiB).
    public static let maximumRecordBytes = 1_024_000
    /// How long a failed object write waits before the next try.
    public static let retryDelay: Duration = .seconds(5)

    public let configuration: DeliveryStreamConfiguration
    /// When it was created (DescribeDeliveryStream's `CreateTimestamp`).
    public let createdAt: Timestamp
    let state: Mutex<State>

    public init(configuration: DeliveryStreamConfiguration, createdAt: Timestamp, sourceCursor: UInt64 = 0) {
        self.configuration = configuration
        self.createdAt = createdAt
        var s = State(buffer: DeliveryStreamBuffer(sizeLimit: configuration.bufferSizeBytes, interval: configuration.bufferInterval))
        s.sourceCursor = sourceCursor
        self.state = Mutex(s)
    }

    public var arn: String { configuration.arn }
    public var name: String { configuration.name }
    public var counters: Counters { state.withLock { $0.counters } }

    /// Buffers records put at `now` and answers their record ids (made with `random`).
    /// - Throws: ``DeliveryStreamError`` `InvalidArgumentException` for a record over 1,000 KiB
    ///   (nothing is buffered then).
    public func put(_ records: [[UInt8]], at now: Timestamp, random: SharedRandom) throws(DeliveryStreamError) -> [String] {
        for (i, data) in records.enumerated() where data.count > Self.maximumRecordBytes {
            throw .invalid("1 validation error detected: Value at 'record\(records.count > 1 ? "s.\(i + 1).member" : "").data' failed to satisfy constraint: Member must have length less than or equal to \(Self.maximumRecordBytes) (the record has \(data.count) bytes)")
        }
        let ids = records.map { _ in Self.recordId(random) }
        state.withLock { s in
            for (id, data) in zip(ids, records) {
                s.buffer.append(DeliveryStreamRecord(recordId: id, data: data, arrival: now))
                s.counters.incomingRecords += 1
                s.counters.incomingBytes += data.count
            }
        }
        return ids
    }

    /// A record id: opaque text of the length Firehose uses.
    static func recordId(_ random: SharedRandom) -> String {
        var text = ""
        for _ in 0..<4 { text += random.uuid().replacingOccurrences(of: "-", with: "") }
        return String(text.prefix(112))
    }

    /// Records buffered or being flushed, objects waiting, and the earliest deadline.
    func status(countingBuffer: Bool) -> (pending: Int, deadline: Timestamp?) {
        state.withLock { s in
            var deadline = s.buffer.deadline
            for p in s.pending { deadline = deadline.map { min($0, p.notBefore) } ?? p.notBefore }
            return ((countingBuffer ? s.buffer.records.count : 0) + s.pending.count + s.flushing, deadline)
        }
    }

    /// The buffered records if due at `now` (`all`: due or not), marking a flush in progress.
    func takeForFlush(at now: Timestamp, all: Bool = false) -> [DeliveryStreamRecord]? {
        state.withLock { s in
            let taken = all ? (s.buffer.isEmpty ? nil : s.buffer.takeAll()) : s.buffer.takeIfDue(at: now)
            if taken != nil { s.flushing += 1 }
            return taken
        }
    }

    /// The objects due to be written at `now` (taken out of the pending list).
    func takePendingObjects(at now: Timestamp) -> [PendingObject] {
        state.withLock { s in
            let due = s.pending.filter { $0.notBefore <= now }
            s.pending.removeAll { $0.notBefore <= now }
            return due
        }
    }

    func finishFlush(dropped: Int) {
        state.withLock { s in
            s.flushing -= 1
            s.counters.droppedRecords += dropped
        }
    }

    /// Counts a written object, or keeps a failed one for a later try.
    func objectWritten(_ object: PendingObject, error: String?, at now: Timestamp) {
        state.withLock { s in
            if error == nil {
                s.counters.objects += 1
                if object.failed { s.counters.failedRecords += object.records } else { s.counters.deliveredRecords += object.records }
            } else {
                s.counters.failedWrites += 1
                var retry = object
                retry.notBefore = now + Self.retryDelay
                s.pending.append(retry)
            }
        }
    }

    /// The state JSON: settings and counters.
    public func stateJSON() -> JSONValue {
        let (counters, buffered) = state.withLock { ($0.counters, $0.buffer.records.count) }
        guard case .object(var o) = counters.json else { return counters.json }
        o["buffered"] = .number(JSONNumber(buffered))
        o["bucket"] = .string(configuration.bucket)
        return .object(o)
    }
}
