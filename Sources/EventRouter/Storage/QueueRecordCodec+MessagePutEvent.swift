/// `message.put.event` (type 9, docs/durability.md "Messages that are their event's text"): the
/// messages a rule's run of deliveries sent to a queue, each with the event's own text as its
/// body, journaled without that text. The text is already in the journal (the `event.accepted`
/// record of the pending delivery, or the snapshot's `"deliveries"`), so the record names the
/// delivery instead:
///
///     u8 version (1), string queue ARN, string rule ARN, string target id, u32 count, then per message:
///     string event id, u32 Body byte count, u32 Body CRC-32C, string MessageId,
///     the message after its Body as in message.put v2 (``QueueRecordCodec/encodeAfterBody(_:into:)``)
///
/// Recovery (``QueueRecovery/applyMessagePutEvent(_:deliveries:record:)``) takes the body from
/// the pending delivery (event id, rule ARN, target id) and checks its byte count and CRC-32C.
extension QueueRecordCodec {
    /// One message of a `message.put.event` record, decoded; ``QueueMessage/body`` is empty
    /// until recovery resolves it.
    struct ReferencedMessage: Sendable {
        var eventId: String
        var bodyCount: UInt32
        var bodyChecksum: UInt32
        var message: QueueMessage
    }

    /// A decoded `message.put.event` record.
    struct MessagePutEvent: Sendable {
        var queueArn: String
        var ruleArn: String
        var targetId: String
        var messages: [ReferencedMessage]
    }

    /// The smallest encoded message: event id, count, checksum, MessageId (4 bytes each at
    /// least), 3 times, state, nonce, receive count, flags, attribute count.
    private static let minimumReferencedMessage = 16 + 24 + 1 + 8 + 4 + 1 + 4

    /// The CRC-32C of `body`'s UTF-8 bytes (what a `message.put.event` record checks).
    static func bodyChecksum(_ body: String) -> UInt32 {
        var body = body
        return body.withUTF8 { CRC32C.checksum(UnsafeRawBufferPointer($0)) }
    }

    /// Builds one `message.put.event` record: ``append(eventId:_:)`` each message, then ``finish()``.
    struct MessagePutEventWriter {
        private var w: BinaryRecordWriter
        /// Where the message count goes.
        private let countAt: Int
        /// Messages appended.
        private(set) var count = 0

        init(queueArn: String, ruleArn: String, targetId: String, expected: Int) {
            w = BinaryRecordWriter(capacity: 32 + queueArn.utf8.count + ruleArn.utf8.count + targetId.utf8.count + expected * 140)
            w.u8(version)
            w.string(queueArn)
            w.string(ruleArn)
            w.string(targetId)
            countAt = w.bytes.count
            w.u32(0)
        }

        /// Appends message `m`, whose body is the text of event `eventId`.
        mutating func append(eventId: String, _ m: QueueMessage) {
            w.string(eventId)
            w.u32(UInt32(truncatingIfNeeded: m.body.utf8.count))
            w.u32(bodyChecksum(m.body))
            w.string(m.messageId)
            encodeAfterBody(m, into: &w)
            count += 1
        }

        /// The record of the messages appended.
        mutating func finish() -> StateRecord {
            let count = UInt32(truncatingIfNeeded: count).littleEndian
            w.bytes.withUnsafeMutableBytes { $0.storeBytes(of: count, toByteOffset: countAt, as: UInt32.self) }
            return StateRecord(type: StateRecordType.messagePutEvent.rawValue, payload: w.bytes)
        }
    }

    /// Reads a `message.put.event` record's payload.
    /// - Throws: ``StateJournalFailure`` naming the field, its offset and what is wrong.
    static func decodeMessagePutEvent(_ payload: [UInt8]) throws(StateJournalFailure) -> MessagePutEvent {
        try payload.withRawBytes { (raw) throws(StateJournalFailure) -> MessagePutEvent in
            var r = BinaryRecordReader(raw, what: "a message.put.event (9) record")
            let v = try r.u8("version")
            guard v == version else { throw r.failure("version", "version \(v), this eventrouter reads version \(version) (written by a newer one?)") }
            let queueArn = try r.string("queue ARN")
            let ruleArn = try r.string("rule ARN")
            let targetId = try r.string("target id")
            let count = try r.u32("the number of messages")
            guard Int(count) <= r.remaining / minimumReferencedMessage else {
                throw r.failure("the number of messages", "\(count) messages cannot fit in the \(r.remaining) bytes left")
            }
            var messages: [ReferencedMessage] = []
            messages.reserveCapacity(Int(count))
            for _ in 0..<count {
                let eventId = try r.string("an event id")
                guard !eventId.isEmpty else { throw r.failure("an event id", "it is empty") }
                let bodyCount = try r.u32("Body byte count of the message of event \(eventId)")
                let checksum = try r.u32("Body CRC-32C of the message of event \(eventId)")
                let messageId = try r.string("MessageId of the message of event \(eventId)")
                guard !messageId.isEmpty else { throw r.failure("MessageId of the message of event \(eventId)", "it is empty") }
                let message = try decodeAfterBody(&r, messageId: messageId, body: "")
                messages.append(ReferencedMessage(eventId: eventId, bodyCount: bodyCount, bodyChecksum: checksum, message: message))
            }
            guard r.isAtEnd else {
                throw StateJournalFailure("\(r.what) is corrupt at byte \(r.offset) (after its \(count) message\(count == 1 ? "" : "s")): "
                                          + "\(r.remaining) unexpected byte\(r.remaining == 1 ? "" : "s")")
            }
            return MessagePutEvent(queueArn: queueArn, ruleArn: ruleArn, targetId: targetId, messages: messages)
        }
    }
}
