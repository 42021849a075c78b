import Dispatch
import Synchronization

/// The snapshot's `"queues"` section (format 2, binary; docs/durability.md):
///
///     u8  version (1)
///     u32 queue count, then per queue, in creation order:
///         string ARN
///         string Attributes (compact JSON: configuration under SQS's names, counts, SnapshotTimestamp)
///         string Metadata (compact JSON: Tags, CreatedTimestamp, LastModifiedTimestamp)
///         string Deduplication (compact JSON array; empty: none)
///         u64 LastSequenceNumber (0: none)
///         u64 message count, then per message: u32 length, the message (``QueueRecordCodec``), oldest first
///
/// Capture takes each queue's lock only to copy its messages (a copy of the array of values);
/// the encoding runs after the lock is released.
enum QueueSnapshotSection {
    /// How long the last capture held queue locks in all, in nanoseconds (benchmarks).
    static let lastLockNanoseconds = Atomic<UInt64>(0)

    /// Encodes every queue of `registry` and its messages.
    static func capture(_ registry: QueueRegistry) -> [UInt8] {
        var w = BinaryRecordWriter()
        capture(registry, into: &w)
        return w.bytes
    }

    /// Appends the section for every queue of `registry` and its messages to `w`.
    static func capture(_ registry: QueueRegistry, into w: inout BinaryRecordWriter) {
        var locked: UInt64 = 0
        let queues = registry.queues
        w.u8(QueueRecordCodec.version)
        w.u32(UInt32(truncatingIfNeeded: queues.count))
        for queue in queues {
            let now = queue.clock.now
            let lockStart = DispatchTime.now().uptimeNanoseconds
            let captured = try? queue.withMachine { (m: inout QueueStateMachine) throws(QueueError) -> CapturedQueue in
                CapturedQueue(messages: m.snapshot(now: now),
                              attributes: QueueStateCodec.encode(configuration: m.configuration, statistics: m.statistics, now: now),
                              deduplication: m.deduplicationJSON(now: now), sequence: m.isFifo ? m.sequence : 0)
            }
            locked += DispatchTime.now().uptimeNanoseconds - lockStart
            w.string(queue.arn)
            w.string(captured?.attributes.jsonText ?? "{}")
            w.string(queue.currentMetadata.journalJSON.jsonText)
            w.string(captured?.deduplication?.jsonText ?? "")
            w.u64(captured?.sequence ?? 0)
            let messages = captured?.messages ?? []
            w.u64(UInt64(messages.count))
            if let first = messages.first {
                // Reserve once: about the bodies plus 96 bytes of fields per message.
                w.bytes.reserveCapacity(w.bytes.count + messages.count * (first.storedBody.utf8Count + 96))
            }
            for m in messages {
                let at = w.bytes.count
                w.u32(0)
                QueueRecordCodec.encode(m, into: &w)
                let length = UInt32(truncatingIfNeeded: w.bytes.count - at - 4).littleEndian
                withUnsafeBytes(of: length) { raw in for i in 0..<4 { w.bytes[at + i] = raw[i] } }
            }
        }
        lastLockNanoseconds.store(locked, ordering: .relaxed)
    }

    private struct CapturedQueue: Sendable {
        var messages: [QueueMessage]
        var attributes: JSONValue
        var deduplication: JSONValue?
        var sequence: UInt64
    }

    /// Reads the section into `recovery`.
    /// - Throws: ``StateJournalFailure`` naming the queue, field and offset that are wrong.
    static func decode(_ raw: UnsafeRawBufferPointer, into recovery: inout QueueRecovery) throws(StateJournalFailure) {
        var r = BinaryRecordReader(raw, what: "the snapshot's queues section")
        let version = try r.u8("version")
        guard version == QueueRecordCodec.version else {
            throw r.failure("version", "version \(version), this eventrouter reads version \(QueueRecordCodec.version) (written by a newer one?)")
        }
        let queueCount = try r.u32("queue count")
        for _ in 0..<queueCount {
            let arn = try r.string("a queue ARN")
            let attributes = try json(&r, "Attributes of \(arn)")
            guard let attributesObject = attributes?.objectValue else { throw r.failure("Attributes of \(arn)", "not a JSON object") }
            var model = QueueRecovery.Model(attributes: attributesObject)
            model.metadata = try json(&r, "Metadata of \(arn)")
            for dedup in try json(&r, "Deduplication of \(arn)")?.arrayValue ?? [] {
                if let key = dedup["MessageDeduplicationId"]?.stringValue { model.deduplication[key] = dedup }
            }
            model.lastSequence = try r.u64("LastSequenceNumber of \(arn)")
            let count = try r.u64("message count of \(arn)")
            // A message takes at least 40 bytes: a bound before reserving anything.
            guard count <= UInt64(r.remaining / 40) else {
                throw r.failure("message count of \(arn)", "\(count) messages cannot fit in the \(r.remaining) bytes left")
            }
            model.list.reserveCapacity(Int(count))
            model.index.reserveCapacity(Int(count))
            for i in 0..<count {
                let length = Int(try r.u32("the length of message \(i) of \(arn)"))
                let start = r.offset
                let message = try QueueRecordCodec.decodeMessage(&r)
                guard r.offset - start == length else {
                    throw r.failure("message \(i) of \(arn)", "its length says \(length) bytes, its fields take \(r.offset - start)")
                }
                model.put(message)
            }
            recovery.putQueue(arn, model)
        }
        guard r.isAtEnd else { throw r.failure("after the last queue", "\(r.remaining) unexpected bytes") }
    }

    /// A string holding compact JSON; empty: `nil`.
    private static func json(_ r: inout BinaryRecordReader, _ field: @autoclosure () -> String) throws(StateJournalFailure) -> JSONValue? {
        let at = r.offset
        let raw = try r.data(field())
        guard !raw.isEmpty else { return nil }
        do { return try JSONParser.parse(bytes: Array(raw)) } catch {
            throw StateJournalFailure("\(r.what) is corrupt at byte \(at) (\(field())): not valid JSON: \(error)")
        }
    }
}

extension MessageQueue {
    /// Puts back recovered messages (``QueueRecovery``), oldest first, with their states and
    /// timers as stored; FIFO sequence numbers continue after the highest.
    func restoreRecovered(_ list: [QueueMessage?]) throws(QueueError) {
        try withMachine { (m: inout QueueStateMachine) throws(QueueError) in
            for case let message? in list {
                m.restore(message, sequenceValue: message.sequenceNumber.flatMap { UInt64($0) })
            }
        }
    }
}
