/// A FIFO topic's deduplication window and sequence in the state JSON (`"topics": {ARN: {…}}`),
/// so that `eventrouter topic publish` recognises a duplicate published by an earlier command
/// within 5 minutes: `"Deduplication": [{"MessageDeduplicationId", "MessageId",
/// "SequenceNumber", "ExpiresTimestamp"}]` and `"LastSequenceNumber"`.
extension Topic {
    /// The keys this extension reads and writes in a topic's state entry.
    public static let deduplicationStateKeys = ["Deduplication", "LastSequenceNumber"]

    /// The live deduplication ids (by expiry) and the last sequence number; empty for a standard topic.
    public func deduplicationState() -> JSONObject {
        var o = JSONObject()
        guard configuration.fifo else { return o }
        expireDeduplication(clock.now)
        var entries: [JSONValue] = []
        for (expires, id) in dedupExpiry[dedupHead...] {
            guard let result = dedup[id] else { continue }
            var e = JSONObject()
            e["MessageDeduplicationId"] = .string(id)
            e["MessageId"] = .string(result.messageId)
            if let s = result.sequenceNumber { e["SequenceNumber"] = .string(s) }
            e["ExpiresTimestamp"] = .string(String(expires.millisecondsSinceEpoch))
            entries.append(.object(e))
        }
        if !entries.isEmpty { o["Deduplication"] = .array(entries) }
        if sequence > 0 { o["LastSequenceNumber"] = .string(String(sequence)) }
        return o
    }

    /// Restores what ``deduplicationState()`` wrote (other keys of `entry` are ignored).
    /// - Throws: ``TopicError`` `InvalidParameter` naming the key to fix.
    public func restoreDeduplicationState(_ entry: JSONObject) throws(TopicError) {
        let where_ = "topics[\"\(arn)\"]"
        if let value = entry["LastSequenceNumber"] {
            guard let n = value.stringValue.flatMap({ UInt64($0) }) else {
                throw TopicError.invalidParameter("\(where_).LastSequenceNumber is \(value.jsonText): write a decimal string.")
            }
            sequence = max(sequence, n)
        }
        guard let value = entry["Deduplication"] else { return }
        guard let list = value.arrayValue else {
            throw TopicError.invalidParameter("\(where_).Deduplication is a \(value.kindName): write an array of {\"MessageDeduplicationId\", \"MessageId\", \"ExpiresTimestamp\"}.")
        }
        var restored: [(Timestamp, String, PublishResult)] = []
        for (i, item) in list.enumerated() {
            let at = "\(where_).Deduplication[\(i)]"
            guard let o = item.objectValue, let id = o["MessageDeduplicationId"]?.stringValue, let messageId = o["MessageId"]?.stringValue,
                  let ms = o["ExpiresTimestamp"]?.stringValue.flatMap({ Int64($0) }),
                  case let (nanoseconds, overflow) = ms.multipliedReportingOverflow(by: 1_000_000), !overflow
            else {
                throw TopicError.invalidParameter("\(at) needs the strings \"MessageDeduplicationId\", \"MessageId\" and \"ExpiresTimestamp\" (milliseconds since the epoch).")
            }
            restored.append((Timestamp(nanosecondsSinceEpoch: nanoseconds), id, PublishResult(messageId: messageId, sequenceNumber: o["SequenceNumber"]?.stringValue)))
        }
        for (expires, id, result) in restored.sorted(by: { $0.0 < $1.0 }) where dedup[id] == nil {
            dedup[id] = result
            dedupExpiry.append((expires, id))
        }
        // Appended expiries may be earlier than ones already held; keep the list in order.
        let live = dedupExpiry[dedupHead...].sorted { $0.0 < $1.0 }
        dedupExpiry = Array(live)
        dedupHead = 0
        expireDeduplication(clock.now)
    }
}
