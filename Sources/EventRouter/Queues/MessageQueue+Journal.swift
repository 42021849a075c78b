/// What a queue operation changed, collected by ``QueueStateMachine`` while a journal is
/// attached and turned into records under the queue's lock (``MessageQueue/submitJournal(_:_:)``).
enum QueueJournalChange: Sendable {
    /// The message with this internal id was added or changed (sent, received, visibility changed, moved in).
    case touched(UInt64)
    /// The message with this MessageId left (deleted, expired, moved out).
    case removed(String)
    /// Every message left.
    case purged
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
        for change in changes {
            switch change {
            case .touched(let id):
                guard let m = machine.messages[id] else { continue }
                let encoded = QueueStateCodec.encode(m, handle: machine.currentReceiptHandle(of: m))
                records.append(StateRecord(.messagePut, ["arn": .string(arn), "m": encoded]))
            case .removed(let messageId):
                records.append(StateRecord(.messageRemoved, ["arn": .string(arn), "id": .string(messageId)]))
            case .purged:
                records.append(StateRecord(.queuePurged, ["arn": .string(arn)]))
            }
        }
        return records.isEmpty ? .none : journal.submit(records)
    }

    /// Waits for `ticket`; a record not stored fails the request with `ServiceUnavailable`.
    static func awaitStored(_ ticket: StateJournalTicket) async throws(QueueError) {
        do { try await ticket.stored() } catch {
            throw QueueError(.serviceUnavailable, "The request was not stored, so it did not take effect as far as any later start is concerned: \(error.message). Retry once the data directory has room again; reads keep being served.")
        }
    }
}

extension QueueRegistry {
    /// Journals a queue's creation or new attributes (`queue.put`).
    func journalQueuePut(_ configuration: QueueConfiguration) -> StateJournalTicket {
        guard let journal else { return .none }
        var attributes = JSONObject()
        for (name, value) in configuration.sqsAttributes { attributes[name] = .string(value) }
        return journal.submit([StateRecord(.queuePut, ["arn": .string(configuration.arn), "Attributes": .object(attributes)])])
    }

    /// Journals a queue's deletion (`queue.delete`).
    func journalQueueDelete(_ arn: String) -> StateJournalTicket {
        guard let journal else { return .none }
        return journal.submit([StateRecord(.queueDelete, ["arn": .string(arn)])])
    }
}
