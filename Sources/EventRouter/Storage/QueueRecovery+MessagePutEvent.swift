/// Recovery of `message.put.event` (9) records (QueueRecordCodec+MessagePutEvent.swift): each
/// message's body is the text of the event whose pending delivery the record names.
///
/// In journal order that delivery's `event.accepted` (40) comes before the message record and
/// its `delivery.done` (42) after it, so the text is found among the pending deliveries; a
/// snapshot taken in between carries the pending delivery with its text. A snapshot captured
/// just after its roll may miss a delivery that settled meanwhile: then it holds the message
/// itself, body included, in its queues section (the body is taken from there), or the message
/// left before the capture and a later record removes it again. A message whose body is still
/// not found when every record is applied is left out and reported (``unresolvedReport()``).
extension QueueRecovery {
    /// A message whose body was not found yet: what its record named.
    struct UnresolvedBody: Sendable {
        var eventId: String
        var ruleArn: String
        var targetId: String
        /// The record's number among the journal records applied (1: the first after the snapshot).
        var record: Int
        /// The message's place in its record (0: the first).
        var index: Int
    }

    /// Applies a `message.put.event` record's payload, taking each body from `deliveries`
    /// (the pending delivery it names) or from the message already recovered.
    /// - Parameter record: the record's number among the journal records (for messages).
    /// - Returns: the deliveries the record names: its messages settle them.
    /// - Throws: ``StateJournalFailure`` when the payload is corrupt or a body found does not
    ///   have the recorded byte count and CRC-32C.
    mutating func applyMessagePutEvent(_ payload: [UInt8], deliveries: DeliveryRecovery, record: Int) throws(StateJournalFailure) -> [DeliveryKey] {
        let decoded = try QueueRecordCodec.decodeMessagePutEvent(payload)
        let arn = decoded.queueArn
        var keys: [DeliveryKey] = []
        keys.reserveCapacity(decoded.messages.count)
        for (index, entry) in decoded.messages.enumerated() {
            var m = entry.message
            let key = DeliveryKey(eventId: entry.eventId, ruleArn: decoded.ruleArn, targetId: decoded.targetId)
            keys.append(key)
            let found: (text: String, source: String)?
            if let text = deliveries.eventText(key) {
                found = (text, "the text of its pending delivery")
            } else if let model = queues[arn], model.unresolved[m.messageId] == nil, let slot = model.index[m.messageId], let known = model.list[slot] {
                found = (known.body, "the body of the message already recovered")
            } else {
                found = nil
            }
            guard let found else {
                putUnresolved(arn, m, UnresolvedBody(eventId: entry.eventId, ruleArn: decoded.ruleArn, targetId: decoded.targetId, record: record,
                                                    index: index))
                continue
            }
            let count = found.text.utf8.count, checksum = QueueRecordCodec.bodyChecksum(found.text)
            guard count == Int(entry.bodyCount), checksum == entry.bodyChecksum else {
                throw StateJournalFailure(
                    "a message.put.event (9) record puts message \(m.messageId) into \(arn) with the text of event \(entry.eventId) "
                        + "(rule \(decoded.ruleArn), target \(decoded.targetId)), but \(found.source) has \(count) bytes and CRC-32C "
                        + "\(Self.hex(checksum)), not the recorded \(entry.bodyCount) bytes and \(Self.hex(entry.bodyChecksum)): "
                        + "the journal or the snapshot is corrupt")
            }
            m.body = found.text
            putMessage(arn, m)
        }
        return keys
    }

    /// What is said of the messages of `message.put.event` records still without their body
    /// once every record is applied: one line, or none. Such a message is left out of the
    /// restored queue. Its event's `event.accepted` (40) is not in the journal although it was
    /// submitted before the message: a write error (ENOSPC, EIO) failed that batch, so the
    /// event's PutEvents was answered with an error and never acknowledged — while its delivery,
    /// already on its way, stored the message in a later batch. Dropping the message keeps the
    /// promise (what was acknowledged is kept) and lets the data directory start; the start line
    /// says so, naming the first such message.
    func unresolvedReport() -> [String] {
        var first: (arn: String, messageId: String, body: UnresolvedBody)?
        var total = 0
        for (arn, model) in queues {
            for (messageId, body) in model.unresolved {
                total += 1
                if let f = first, (f.body.record, f.body.index) <= (body.record, body.index) { continue }
                first = (arn, messageId, body)
            }
        }
        guard let first else { return [] }
        let b = first.body
        return ["\(total) message\(total == 1 ? "" : "s") left out, whose event's PutEvents was never stored (answered with an error): "
                + "the message.put.event (9) record \(b.record) after the snapshot puts message \(first.messageId) into \(first.arn) with the "
                + "text of event \(b.eventId) (rule \(b.ruleArn), target \(b.targetId)), and no event.accepted (40) record before it nor the "
                + "snapshot holds that event"]
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
