extension MessageQueue {
    /// This queue's entry in the state JSON: `{"messages": [...], "Attributes": {...}}`
    /// (see ``QueueRegistry/stateJSON()``). A deleted queue yields an empty message list.
    public func stateJSON() -> JSONValue {
        let now = clock.now
        let entry: JSONValue? = try? withMachine { (m: inout QueueStateMachine) throws(QueueError) -> JSONValue in
            let messages = m.snapshot(now: now)
            let encoded = messages.map { QueueStateCodec.encode($0, handle: m.currentReceiptHandle(of: $0)) }
            var o = JSONObject()
            o["messages"] = .array(encoded)
            o["Attributes"] = QueueStateCodec.encode(configuration: m.configuration, statistics: m.statistics, now: now)
            if let d = m.deduplicationJSON(now: now) { o["Deduplication"] = d }
            if m.isFifo, m.sequence > 0 { o["LastSequenceNumber"] = .string(QueueStateMachine.formatSequence(m.sequence)) }
            return .object(o)
        }
        return entry ?? ["messages": []]
    }

    /// Adds the messages, deduplication ids and last sequence number of a state entry.
    /// - Throws: ``QueueError`` naming the message index and the key to fix.
    func restore(entry: JSONObject) throws(QueueError) {
        try withMachine { (m: inout QueueStateMachine) throws(QueueError) in
            try m.restoreDeduplication(entry["Deduplication"], at: "queues[\"\(arn)\"].Deduplication")
            try m.restoreLastSequenceNumber(entry["LastSequenceNumber"], at: "queues[\"\(arn)\"].LastSequenceNumber")
        }
        try restoreMessages(entry["messages"])
    }

    /// Adds messages read from a state entry's `"messages"` array.
    /// - Throws: ``QueueError`` naming the message index and the key to fix.
    func restoreMessages(_ value: JSONValue?) throws(QueueError) {
        guard let value else { return }
        guard let list = value.arrayValue else {
            throw QueueError(.invalidParameterValue, "\"messages\" of queue \(arn) is a \(value.kindName): write an array of messages.")
        }
        let now = clock.now
        try withMachine { (m: inout QueueStateMachine) throws(QueueError) in
            var decoded: [(QueueMessage, UInt64?)] = []
            for (i, item) in list.enumerated() {
                decoded.append(try QueueStateCodec.decode(item, at: "queues[\"\(arn)\"].messages[\(i)]", token: m.token, now: now))
            }
            for (message, sequence) in decoded { m.restore(message, sequenceValue: sequence) }
        }
    }
}

extension QueueRegistry {
    /// The value of the state JSON's `"queues"` key: `{ARN: {"messages": [{"MessageId", "Body",
    /// "MessageAttributes", "Attributes"}], "Attributes": {…}}}`, queues in creation order,
    /// messages oldest first. See ``QueueStateCodec`` for the attributes that persist.
    public func stateJSON() -> JSONValue {
        var o = JSONObject()
        for q in queues { o[q.arn] = q.stateJSON() }
        return .object(o)
    }

    /// Recreates queues and their messages from the value of a state JSON's `"queues"` key.
    /// A queue that already exists here keeps its configuration and gains the messages;
    /// others are created from their `"Attributes"` (SQS's names) or with defaults.
    /// - Throws: ``QueueError`` naming the queue, message and key to fix.
    public func restore(stateJSON value: JSONValue) throws(QueueError) {
        guard let queuesObject = value.objectValue else {
            throw QueueError(.invalidParameterValue, "\"queues\" in the state is a \(value.kindName): write an object keyed by queue ARN.")
        }
        var pending: [(MessageQueue, JSONObject)] = []
        for member in queuesObject.members {
            guard let entry = member.value.objectValue else {
                throw QueueError(.invalidParameterValue, "queues[\"\(member.key)\"] is a \(member.value.kindName): write {\"messages\": [...]}.")
            }
            let queue: MessageQueue
            if let existing = self.queue(arn: member.key) {
                queue = existing
            } else {
                let configuration = try QueueStateCodec.configuration(arn: member.key, attributes: entry["Attributes"]?.objectValue, maximumMessageSizeLimit: maximumMessageSizeLimit)
                queue = try createQueue(configuration)
            }
            pending.append((queue, entry))
        }
        for (queue, entry) in pending {
            try queue.restore(entry: entry)
            if let metadata = entry["Metadata"] { try queue.restoreMetadata(metadata) }
        }
    }

    /// The latest `SnapshotTimestamp` in a state's `"queues"` value: the clock reading when it was written.
    /// - Throws: ``QueueError`` naming the queue when a `SnapshotTimestamp` is outside ``Timestamp/supportedRange``.
    public static func snapshotTime(in value: JSONValue) throws(QueueError) -> Timestamp? {
        var latest: Timestamp?
        for member in value.objectValue?.members ?? [] {
            guard let text = member.value["Attributes"]?["SnapshotTimestamp"]?.stringValue, let ms = Int64(text) else { continue }
            let t: Timestamp
            do { t = try Timestamp(millisecondsSinceEpoch: ms) } catch {
                throw QueueError(.invalidParameterValue, "Attributes.SnapshotTimestamp of queue \(member.key) is not valid: \(error).")
            }
            if latest.map({ t > $0 }) ?? true { latest = t }
        }
        return latest
    }
}
