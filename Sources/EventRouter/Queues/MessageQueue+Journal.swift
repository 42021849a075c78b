/// What a queue operation changed, collected by ``QueueStateMachine`` while a journal is
/// attached and turned into records under the queue's lock (``MessageQueue/submitJournal(_:_:)``).
enum QueueJournalChange: Sendable {
    /// The message with this internal id was added or changed (sent, received, visibility changed, moved in).
    case touched(UInt64)
    /// The message with this MessageId left (deleted, expired, moved out).
    case removed(String)
    /// Every message left.
    case purged
    /// The message with this internal id was sent by a rule's delivery pending in the journal
    /// (`key`), its body being the event's own text: journaled as a `message.put.event` (9).
    case sentFromEvent(UInt64, DeliveryKey)
}

extension MessageQueue {
    /// Turns the machine's collected changes into records and submits them (under the queue's
    /// lock, so journal order = decision order). Records carry whole message states, so
    /// replaying one already reflected in a snapshot changes nothing.
    func submitJournal(_ journal: any StateJournal, _ machine: inout QueueStateMachine) -> StateJournalTicket {
        guard let changes = machine.journalChanges, !changes.isEmpty else {
            if machine.journalChanges == nil { machine.journalChanges = [] }
            return .none
        }
        machine.journalChanges = []
        var records: [StateRecord] = []
        records.reserveCapacity(changes.count)
        var i = 0
        while i < changes.count {
            switch changes[i] {
            case .touched(let id):
                if let m = machine.messages[id] { records.append(QueueRecordCodec.messagePutRecord(arn: arn, m)) }
                i += 1
            case .removed(let messageId):
                records.append(StateRecord(.messageRemoved, ["arn": .string(arn), "id": .string(messageId)]))
                i += 1
            case .purged:
                records.append(StateRecord(.queuePurged, ["arn": .string(arn)]))
                i += 1
            case .sentFromEvent(_, let key):
                i = appendMessagePutEvent(changes, from: i, route: key, machine: machine, to: &records)
            }
        }
        return records.isEmpty ? .none : journal.submit(records)
    }

    /// Appends one `message.put.event` record for the run of ``QueueJournalChange/sentFromEvent(_:_:)``
    /// changes from `start` on that share `route`'s rule and target; returns the index after the run.
    private func appendMessagePutEvent(_ changes: [QueueJournalChange], from start: Int, route: DeliveryKey, machine: QueueStateMachine,
                                       to records: inout [StateRecord]) -> Int {
        var end = start
        while end < changes.count, case .sentFromEvent(_, let key) = changes[end], key.ruleArn == route.ruleArn, key.targetId == route.targetId {
            end += 1
        }
        var w = QueueRecordCodec.MessagePutEventWriter(queueArn: arn, ruleArn: route.ruleArn, targetId: route.targetId, expected: end - start)
        for k in start..<end {
            guard case .sentFromEvent(let id, let key) = changes[k], let m = machine.messages[id] else { continue }
            w.append(eventId: key.eventId, m)
        }
        if w.count > 0 { records.append(w.finish()) }
        return end
    }

    /// Waits for `ticket`; a record not stored fails the request with `ServiceUnavailable`.
    static func awaitStored(_ ticket: StateJournalTicket) async throws(QueueError) {
        do { try await ticket.stored() } catch {
            throw QueueError(.serviceUnavailable, "The request was not stored, so it did not take effect as far as any later start is concerned: \(error.message). Retry once the data directory has room again; reads keep being served.")
        }
    }
}

extension QueueRegistry {
    /// Journals a queue's creation, new attributes or tags (`queue.put`, with `metadata`:
    /// tags, `CreatedTimestamp` and `LastModifiedTimestamp`); the ticket goes to the request's
    /// ``StateJournalTickets`` too.
    @discardableResult
    func journalQueuePut(_ configuration: QueueConfiguration, metadata: QueueMetadata) -> StateJournalTicket {
        guard let journal else { return .none }
        return Self.journalQueuePut(configuration, metadata: metadata, to: journal)
    }

    /// ``journalQueuePut(_:metadata:)`` to `journal` (a queue calls it through its link).
    @discardableResult
    static func journalQueuePut(_ configuration: QueueConfiguration, metadata: QueueMetadata, to journal: any StateJournal) -> StateJournalTicket {
        var attributes = JSONObject()
        for (name, value) in configuration.sqsAttributes { attributes[name] = .string(value) }
        let ticket = journal.submit([StateRecord(.queuePut, ["arn": .string(configuration.arn), "Attributes": .object(attributes),
                                                              "Metadata": metadata.journalJSON])])
        StateJournalTickets.note(ticket)
        return ticket
    }

    /// Journals a queue's deletion (`queue.delete`).
    func journalQueueDelete(_ arn: String) -> StateJournalTicket {
        guard let journal else { return .none }
        let ticket = journal.submit([StateRecord(.queueDelete, ["arn": .string(arn)])])
        StateJournalTickets.note(ticket)
        return ticket
    }
}

extension QueueMetadata {
    /// `{"Tags", "CreatedTimestamp", "LastModifiedTimestamp"}` (epoch milliseconds as strings).
    var journalJSON: JSONValue {
        ["Tags": .object(JSONObject(tags.sorted { $0.key < $1.key }.map { JSONObject.Member(key: $0.key, value: .string($0.value)) })),
         "CreatedTimestamp": .string(String(created.millisecondsSinceEpoch)),
         "LastModifiedTimestamp": .string(String(lastModified.millisecondsSinceEpoch))]
    }

    /// Reads ``journalJSON`` (recovery); keys that are missing keep `self`'s values.
    /// - Throws: ``QueueError`` naming the key of queue `arn` that is not valid.
    mutating func restore(_ json: JSONValue, arn: String) throws(QueueError) {
        func time(_ key: String) throws(QueueError) -> Timestamp? {
            guard let value = json[key] else { return nil }
            guard let text = value.stringValue, let ms = Int64(text) else {
                throw QueueError(.invalidParameterValue, "queues[\"\(arn)\"].Metadata.\(key) must be epoch milliseconds as a string, got \(value.jsonText).")
            }
            do { return try Timestamp(millisecondsSinceEpoch: ms) } catch {
                throw QueueError(.invalidParameterValue, "queues[\"\(arn)\"].Metadata.\(key) is not valid: \(error).")
            }
        }
        if let t = try time("CreatedTimestamp") { created = t }
        if let t = try time("LastModifiedTimestamp") { lastModified = t }
        if let object = json["Tags"]?.objectValue {
            var restored: [String: String] = [:]
            for member in object.members {
                guard let value = member.value.stringValue else {
                    throw QueueError(.invalidParameterValue, "queues[\"\(arn)\"].Metadata.Tags[\"\(member.key)\"] must be a string.")
                }
                restored[member.key] = value
            }
            tags = restored
        }
    }
}

extension MessageQueue {
    /// Takes the tags and timestamps a data directory kept (recovery, before serving).
    func restoreMetadata(_ json: JSONValue) throws(QueueError) {
        try metadata.withLock { (m: inout QueueMetadata) throws(QueueError) in try m.restore(json, arn: arn) }
    }

    /// Journals this queue's attributes and metadata as they are now (under the metadata lock,
    /// so concurrent tag and attribute changes reach the journal in the order they were made).
    func journalPut(_ change: (inout QueueMetadata) -> Void) {
        guard let journal = link?.journal else {
            metadata.withLock { change(&$0) }
            return
        }
        metadata.withLock { m in
            change(&m)
            QueueRegistry.journalQueuePut(configuration, metadata: m, to: journal)
        }
    }
}
