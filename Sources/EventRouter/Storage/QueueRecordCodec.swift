/// The binary encoding of queue messages in the journal (`message.put` v2, type 8) and in the
/// snapshot's `"queues"` section (docs/durability.md, "Queue records and the snapshot's queues
/// section"). All integers little-endian; strings and byte strings are a u32 length and the bytes.
///
/// A message:
///
///     string MessageId, string Body
///     i64 SentTimestamp, i64 enqueue time, i64 visible-at   (nanoseconds since the epoch)
///     u8  state: 0 delayed, 1 visible, 2 in flight
///     u64 receipt nonce (0: never received), u32 receive count
///     u8  flags: 1 receive time, 2 first receive time, 4 MessageGroupId, 8 MessageDeduplicationId,
///                16 SequenceNumber, 32 DeadLetterQueueSourceArn; then the fields present in that order
///     u32 message attribute count; each: string name, string DataType, u8 flags (1 string, 2 binary),
///         then the string value and/or the binary value
///
/// A `message.put` record: u8 version (1), string queue ARN, the message. Every decoder checks
/// lengths before use and rejects bad bytes naming the field and offset.
enum QueueRecordCodec {
    /// The version byte of `message.put` v2 records and of the snapshot's queues section.
    static let version: UInt8 = 1

    /// Appends `m` to `w`.
    static func encode(_ m: QueueMessage, into w: inout BinaryRecordWriter) {
        w.string(m.messageId)
        w.string(m.storedBody)  // a body made of parts: the parts in sequence, the same bytes
        encodeAfterBody(m, into: &w)
    }

    /// Appends what follows a message's Body (its times, state, receipt, flags and attributes).
    static func encodeAfterBody(_ m: QueueMessage, into w: inout BinaryRecordWriter) {
        w.i64(m.sentTimestamp.nanosecondsSinceEpoch)
        w.i64(m.enqueuedAt.nanosecondsSinceEpoch)
        w.i64(m.visibleAt.nanosecondsSinceEpoch)
        w.u8(m.state.rawValue)
        w.u64(m.receiptNonce)
        w.u32(UInt32(clamping: max(0, m.receiveCount)))
        // No array of the four optional strings (a heap allocation per message on the hot path).
        let (group, deduplication, sequence, source) = (m.groupId, m.deduplicationId, m.sequenceNumber, m.deadLetterSourceArn)
        var flags: UInt8 = 0
        if m.receivedAt != nil { flags |= 1 }
        if m.firstReceiveTimestamp != nil { flags |= 2 }
        if group != nil { flags |= 4 }
        if deduplication != nil { flags |= 8 }
        if sequence != nil { flags |= 16 }
        if source != nil { flags |= 32 }
        w.u8(flags)
        if let t = m.receivedAt { w.i64(t.nanosecondsSinceEpoch) }
        if let t = m.firstReceiveTimestamp { w.i64(t.nanosecondsSinceEpoch) }
        if let group { w.string(group) }
        if let deduplication { w.string(deduplication) }
        if let sequence { w.string(sequence) }
        if let source { w.string(source) }
        w.u32(UInt32(truncatingIfNeeded: m.attributes.count))
        guard !m.attributes.isEmpty else { return }
        for (name, value) in m.attributes.sorted(by: { $0.key < $1.key }) {
            w.string(name)
            w.string(value.dataType)
            w.u8((value.stringValue != nil ? 1 : 0) | (value.binaryValue != nil ? 2 : 0))
            if let s = value.stringValue { w.string(s) }
            if let b = value.binaryValue { w.data(b) }
        }
    }

    /// Reads a message ``encode(_:into:)`` wrote.
    /// - Throws: ``StateJournalFailure`` naming the field, its offset and what is wrong.
    static func decodeMessage(_ r: inout BinaryRecordReader) throws(StateJournalFailure) -> QueueMessage {
        let messageId = try r.string("MessageId")
        guard !messageId.isEmpty else { throw r.failure("MessageId", "it is empty") }
        let body = try r.string("Body of message \(messageId)")
        return try decodeAfterBody(&r, messageId: messageId, body: body)
    }

    /// Reads what ``encodeAfterBody(_:into:)`` wrote, for the message `messageId` with `body`.
    /// - Throws: ``StateJournalFailure`` naming the field, its offset and what is wrong.
    static func decodeAfterBody(_ r: inout BinaryRecordReader, messageId: String, body: String) throws(StateJournalFailure) -> QueueMessage {
        let sent = try timestamp(&r, "SentTimestamp of message \(messageId)")
        let enqueued = try timestamp(&r, "enqueue time of message \(messageId)")
        let visibleAt = try timestamp(&r, "visible-at time of message \(messageId)")
        let stateByte = try r.u8("state of message \(messageId)")
        guard let state = QueueMessage.State(rawValue: stateByte) else {
            throw r.failure("state of message \(messageId)", "\(stateByte) is not 0 (delayed), 1 (visible) or 2 (in flight)")
        }
        var m = QueueMessage(id: 0, messageId: messageId, body: body, attributes: [:], sentTimestamp: sent,
                             enqueuedAt: enqueued, state: state, visibleAt: visibleAt)
        m.receiptNonce = try r.u64("receipt nonce of message \(messageId)")
        let count = try r.u32("receive count of message \(messageId)")
        guard count <= UInt32(Int32.max) else { throw r.failure("receive count of message \(messageId)", "\(count) is above \(Int32.max)") }
        m.receiveCount = Int(count)
        let flags = try r.u8("flags of message \(messageId)")
        guard flags & 0b1100_0000 == 0 else { throw r.failure("flags of message \(messageId)", "unknown flag bits \(flags) (written by a newer eventrouter?)") }
        if flags & 1 != 0 { m.receivedAt = try timestamp(&r, "receive time of message \(messageId)") }
        if flags & 2 != 0 { m.firstReceiveTimestamp = try timestamp(&r, "first receive time of message \(messageId)") }
        if flags & 0b11_1100 != 0 {  // no arrays built for the common message without any
            let group = flags & 4 != 0 ? try r.string("MessageGroupId of message \(messageId)") : nil
            let deduplication = flags & 8 != 0 ? try r.string("MessageDeduplicationId of message \(messageId)") : nil
            let sequence = flags & 16 != 0 ? try r.string("SequenceNumber of message \(messageId)") : nil
            let source = flags & 32 != 0 ? try r.string("DeadLetterQueueSourceArn of message \(messageId)") : nil
            m.extras = QueueMessageExtras.make(group, deduplication, sequence, source)
        }
        let attributeCount = try r.u32("message attribute count of message \(messageId)")
        // Each attribute takes at least 9 bytes: a bound before reserving anything.
        guard Int(attributeCount) <= r.remaining / 9 else {
            throw r.failure("message attribute count of message \(messageId)", "\(attributeCount) attributes cannot fit in the \(r.remaining) bytes left")
        }
        for _ in 0..<attributeCount {
            let name = try r.string("a message attribute name of message \(messageId)")
            let type = try r.string("DataType of message attribute \(name) of message \(messageId)")
            let valueFlags = try r.u8("value flags of message attribute \(name) of message \(messageId)")
            guard valueFlags & ~3 == 0 else { throw r.failure("value flags of message attribute \(name) of message \(messageId)", "unknown flag bits \(valueFlags)") }
            let string = valueFlags & 1 != 0 ? try r.string("StringValue of message attribute \(name) of message \(messageId)") : nil
            let binary = valueFlags & 2 != 0 ? Array(try r.data("BinaryValue of message attribute \(name) of message \(messageId)")) : nil
            m.attributes[name] = MessageAttributeValue(dataType: type, stringValue: string, binaryValue: binary)
        }
        return m
    }

    static func timestamp(_ r: inout BinaryRecordReader, _ field: @autoclosure () -> String) throws(StateJournalFailure) -> Timestamp {
        let value = try r.i64(field())
        let t = Timestamp(nanosecondsSinceEpoch: value)
        guard Timestamp.supportedRange.contains(t) else {
            throw r.failure(field(), "\(value) ns is outside the supported times (\(Timestamp.supportedRangeText))")
        }
        return t
    }

    /// A `message.put` v2 record (type 8) of `message` in the queue `arn`.
    static func messagePutRecord(arn: String, _ message: QueueMessage) -> StateRecord {
        var w = BinaryRecordWriter(capacity: 96 + arn.utf8.count + message.storedBody.utf8Count)
        w.u8(version)
        w.string(arn)
        encode(message, into: &w)
        return StateRecord(type: StateRecordType.messagePutBinary.rawValue, payload: w.bytes)
    }

    /// Reads a `message.put` v2 record's payload.
    /// - Throws: ``StateJournalFailure`` naming the field, its offset and what is wrong.
    static func decodeMessagePut(_ payload: [UInt8]) throws(StateJournalFailure) -> (arn: String, message: QueueMessage) {
        try payload.withRawBytes { (raw) throws(StateJournalFailure) -> (arn: String, message: QueueMessage) in
            var r = BinaryRecordReader(raw, what: "a message.put (binary) record")
            let v = try r.u8("version")
            guard v == version else { throw r.failure("version", "version \(v), this eventrouter reads version \(version) (written by a newer one?)") }
            let arn = try r.string("queue ARN")
            let message = try decodeMessage(&r)
            guard r.isAtEnd else { throw r.failure("after message \(message.messageId)", "\(r.remaining) unexpected bytes") }
            return (arn, message)
        }
    }
}

extension BinaryRecordWriter {
    /// A u32 length, then the UTF-8 bytes of `body`'s parts in sequence: the bytes
    /// ``string(_:)`` writes for the joined body, without joining it.
    mutating func string(_ body: QueueMessageBody) {
        u32(UInt32(truncatingIfNeeded: body.utf8Count))
        body.forEachPart { bytes.append(contentsOf: $0) }
    }
}
