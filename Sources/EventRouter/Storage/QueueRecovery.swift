/// The queues part of ``StateRecovery``: queues with their attributes, metadata, FIFO
/// deduplication entries and messages, rebuilt from the snapshot's `"queues"` section (binary,
/// ``QueueSnapshotSection``, or the format-1 JSON) and the queue records after it, then put
/// straight into the ``QueueRegistry`` (``restore(into:)``) — messages as decoded
/// ``QueueMessage`` values, without a detour through the state JSON.
///
/// Records hold whole states, so applying one whose effect the snapshot already holds changes nothing.
struct QueueRecovery: Sendable {
    /// One recovered queue.
    struct Model: Sendable {
        var attributes: JSONObject
        /// Messages in arrival order; `nil` where one left (``index`` maps a MessageId to its slot).
        var list: [QueueMessage?] = []
        var index: [String: Int] = [:]
        var deduplication: [String: JSONValue] = [:]
        var lastSequence: UInt64 = 0
        /// Tags and timestamps (``QueueMetadata/journalJSON``).
        var metadata: JSONValue?
        /// Messages of `message.put.event` records whose body was not found yet, by MessageId
        /// (``QueueRecovery/applyMessagePutEvent(_:deliveries:record:)``).
        var unresolved: [String: UnresolvedBody] = [:]

        init(attributes: JSONObject) { self.attributes = attributes }

        var count: Int { index.count }

        /// Adds `m` or replaces the message with its MessageId (keeping its place).
        mutating func put(_ m: QueueMessage) {
            if !unresolved.isEmpty { unresolved[m.messageId] = nil }
            if let slot = index[m.messageId] {
                list[slot] = m
            } else {
                index[m.messageId] = list.count
                list.append(m)
            }
            if let key = m.deduplicationId, deduplication[key] == nil {
                var entry: JSONObject = ["MessageDeduplicationId": .string(key), "MessageId": .string(m.messageId)]
                if let s = m.sequenceNumber { entry["SequenceNumber"] = .string(s) }
                entry["SentTimestamp"] = .string(String(m.sentTimestamp.millisecondsSinceEpoch))
                deduplication[key] = .object(entry)
            }
            if let s = m.sequenceNumber.flatMap({ UInt64($0) }) { lastSequence = max(lastSequence, s) }
        }

        mutating func remove(_ messageId: String) {
            if !unresolved.isEmpty { unresolved[messageId] = nil }
            guard let slot = index.removeValue(forKey: messageId) else { return }
            list[slot] = nil
            // Keep the list proportional to what is held (a long tail of send + delete cycles).
            if list.count > 1024, index.count * 4 < list.count { compact() }
        }

        mutating func removeAll() {
            list = []
            index = [:]
            unresolved = [:]
        }

        private mutating func compact() {
            list = list.filter { $0 != nil }
            index = [:]
            for (slot, m) in list.enumerated() { if let m { index[m.messageId] = slot } }
        }
    }

    private(set) var queues: [String: Model] = [:]
    private var order: [String: Int] = [:]
    private var nextOrder = 0

    init() {}

    /// Messages recovered.
    var messageCount: Int { queues.values.reduce(0) { $0 + $1.count - $1.unresolved.count } }

    /// Sets (or replaces) queue `arn`'s model, keeping its place among the queues.
    mutating func putQueue(_ arn: String, _ model: Model) {
        if order[arn] == nil {
            order[arn] = nextOrder
            nextOrder += 1
        }
        queues[arn] = model
    }

    /// The model of `arn`, a new empty one when there is none.
    func model(_ arn: String) -> Model { queues[arn] ?? Model(attributes: JSONObject()) }

    mutating func deleteQueue(_ arn: String) {
        queues[arn] = nil
        order[arn] = nil
    }

    mutating func purge(_ arn: String) { queues[arn]?.removeAll() }

    mutating func removeMessage(_ arn: String, _ messageId: String) { queues[arn]?.remove(messageId) }

    mutating func putMessage(_ arn: String, _ message: QueueMessage) {
        if queues[arn] != nil {
            queues[arn]!.put(message)
        } else {
            var model = Model(attributes: JSONObject())
            model.put(message)
            putQueue(arn, model)
        }
    }

    /// Puts `message`, whose body is not found yet, noting what its record named (``unresolvedReport()``).
    mutating func putUnresolved(_ arn: String, _ message: QueueMessage, _ body: UnresolvedBody) {
        putMessage(arn, message)
        queues[arn]?.unresolved[message.messageId] = body
    }

    /// Takes a format-1 snapshot's JSON `"queues"` value (or a JSON `message.put` record's message).
    mutating func applyJSONSection(_ value: JSONValue) throws(StateJournalFailure) {
        guard let object = value.objectValue else { throw StateJournalFailure("the snapshot's queues are a \(value.kindName), not an object") }
        for member in object.members {
            guard let entry = member.value.objectValue else {
                throw StateJournalFailure("the snapshot's queues[\"\(member.key)\"] is a \(member.value.kindName), not an object")
            }
            var model = Model(attributes: entry["Attributes"]?.objectValue ?? JSONObject())
            for (i, message) in (entry["messages"]?.arrayValue ?? []).enumerated() {
                model.put(try Self.decodeJSONMessage(message, arn: member.key, at: "the snapshot's queues[\"\(member.key)\"].messages[\(i)]"))
            }
            for dedup in entry["Deduplication"]?.arrayValue ?? [] {
                if let key = dedup["MessageDeduplicationId"]?.stringValue { model.deduplication[key] = dedup }
            }
            model.lastSequence = max(model.lastSequence, entry["LastSequenceNumber"]?.stringValue.flatMap { UInt64($0) } ?? 0)
            model.metadata = entry["Metadata"]
            putQueue(member.key, model)
        }
    }

    /// A message as the state JSON writes it (format-1 snapshots and `message.put` (3) records).
    static func decodeJSONMessage(_ value: JSONValue, arn: String, at place: String) throws(StateJournalFailure) -> QueueMessage {
        do {
            return try QueueStateCodec.decode(value, at: place, token: QueueStateMachine.receiptToken(arn: arn), now: Timestamp(nanosecondsSinceEpoch: 0)).0
        } catch {
            throw StateJournalFailure("\(error.message)")
        }
    }

    /// Puts the recovered queues into `registry` (before a journal is attached to it): queues
    /// through the state JSON's codec (attributes, deduplication, metadata), messages directly.
    /// - Throws: ``StateJournalFailure`` when a recovered value does not fit (naming it).
    /// - Returns: what ``unresolvedReport()`` says of the messages left out (none: empty).
    @discardableResult
    func restore(into registry: QueueRegistry) throws(StateJournalFailure) -> [String] {
        let dropped = unresolvedReport()
        var o = JSONObject()
        let arns = order.sorted { $0.value < $1.value }.map(\.key)
        for arn in arns {
            guard let model = queues[arn] else { continue }
            var entry = JSONObject()
            entry["Attributes"] = .object(model.attributes)
            entry["messages"] = .array([])
            if !model.deduplication.isEmpty { entry["Deduplication"] = .array(Array(model.deduplication.values)) }
            if let metadata = model.metadata { entry["Metadata"] = metadata }
            if model.lastSequence > 0 { entry["LastSequenceNumber"] = .string(QueueStateMachine.formatSequence(model.lastSequence)) }
            o[arn] = .object(entry)
        }
        do { try registry.restore(stateJSON: .object(o)) } catch {
            throw StateJournalFailure("the recovered queues do not fit: \(error)")
        }
        for arn in arns {
            guard let model = queues[arn], model.count > 0, let queue = registry.queue(arn: arn) else { continue }
            let list = model.unresolved.isEmpty ? model.list : model.list.map { m in m.flatMap { model.unresolved[$0.messageId] == nil ? $0 : nil } }
            do { try queue.restoreRecovered(list) } catch {
                throw StateJournalFailure("the recovered messages of \(arn) do not fit: \(error)")
            }
        }
        return dropped
    }
}
