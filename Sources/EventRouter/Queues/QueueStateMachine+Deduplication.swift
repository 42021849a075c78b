/// The FIFO deduplication window in the state JSON, so that a duplicate sent by a later
/// `eventrouter queue send` (or `topic publish`) within 5 minutes is recognised:
/// a queue's entry holds `"Deduplication": [{"MessageDeduplicationId", "MessageId",
/// "SequenceNumber", "SentTimestamp"}]` (oldest first; an id expires 5 minutes after
/// `SentTimestamp`) and `"LastSequenceNumber"`, so sequence numbers keep increasing after the
/// messages that carried them are gone.
extension QueueStateMachine {
    /// The live deduplication ids at `now` (oldest first) as state JSON, or `nil` when there are none.
    mutating func deduplicationJSON(now: Timestamp) -> JSONValue? {
        tick(now)
        guard !dedup.isEmpty else { return nil }
        let entries = dedup.sorted { $0.value.at == $1.value.at ? $0.key < $1.key : $0.value.at < $1.value.at }
        return .array(entries.map { key, entry in
            var o = JSONObject()
            o["MessageDeduplicationId"] = .string(key)
            o["MessageId"] = .string(entry.result.messageId)
            if let s = entry.result.sequenceNumber { o["SequenceNumber"] = .string(s) }
            o["SentTimestamp"] = QueueStateCodec.ms(entry.at)
            return .object(o)
        })
    }

    /// Restores the deduplication ids of a state entry (expired ones are dropped at the next tick).
    /// - Throws: ``QueueError`` naming the entry and the key to fix.
    mutating func restoreDeduplication(_ value: JSONValue?, at where_: String) throws(QueueError) {
        guard let value else { return }
        guard let list = value.arrayValue else {
            throw QueueError(.invalidParameterValue, "\(where_) is a \(value.kindName): write an array of {\"MessageDeduplicationId\", \"MessageId\", \"SentTimestamp\"}.")
        }
        var restored: [(String, DedupEntry)] = []
        for (i, item) in list.enumerated() {
            let at = "\(where_)[\(i)]"
            guard let o = item.objectValue, let key = o["MessageDeduplicationId"]?.stringValue, let messageId = o["MessageId"]?.stringValue else {
                throw QueueError(.invalidParameterValue, "\(at) needs the strings \"MessageDeduplicationId\" and \"MessageId\".")
            }
            guard let sent = try QueueStateCodec.timestamp(o, "SentTimestamp", at) else {
                throw QueueError(.missingParameter, "\(at) has no SentTimestamp: add when the id was first sent (milliseconds since the epoch).")
            }
            let result = SendMessageResult(messageId: messageId, sequenceNumber: o["SequenceNumber"]?.stringValue)
            restored.append((key, DedupEntry(result: result, at: sent)))
        }
        for (key, entry) in restored.sorted(by: { $0.1.at < $1.1.at }) where dedup[key] == nil {
            dedup[key] = entry
            dedupOrder.append(DedupKey(key: key, at: entry.at))
            if let s = entry.result.sequenceNumber.flatMap({ UInt64($0) }) { sequence = max(sequence, s) }
        }
    }

    /// Restores `"LastSequenceNumber"`: later sends continue after it.
    /// - Throws: ``QueueError`` when it is not a decimal string.
    mutating func restoreLastSequenceNumber(_ value: JSONValue?, at where_: String) throws(QueueError) {
        guard let value else { return }
        guard let s = value.stringValue.flatMap({ UInt64($0) }) else {
            throw QueueError(.invalidParameterValue, "\(where_) is \(value.jsonText): write the last sequence number as a decimal string.")
        }
        sequence = max(sequence, s)
    }
}
