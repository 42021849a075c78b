/// The events archived during one PutEvents call (or one put), submitted as one compact
/// `archive.events` record per archive: `{"arn":ARN,"e":[[SEQ,NS,SIZE,EVENT],…]}` with each
/// event's sequence number, receipt time (nanoseconds since the epoch), size in bytes and
/// envelope — the text the bus received, copied in as it is (no re-encoding).
///
/// Empty (no allocation) unless a journal is attached and an archive kept an event.
public struct ArchiveJournalBatch: Sendable {
    private var journal: (any StateJournal)?
    /// Per archive ARN, in first-seen order.
    private var archives: [(arn: String, events: [ArchivedEvent])] = []

    public init() {}

    /// Whether nothing was added.
    public var isEmpty: Bool { archives.isEmpty }

    mutating func add(_ event: ArchivedEvent, of arn: String, journal: any StateJournal) {
        self.journal = journal
        if let i = archives.firstIndex(where: { $0.arn == arn }) {
            archives[i].events.append(event)
        } else {
            archives.append((arn, [event]))
        }
    }

    /// Submits the records (one per archive, in one submit); ``StateJournalTicket/none`` when empty.
    public func submit() -> StateJournalTicket {
        guard let journal, !archives.isEmpty else { return .none }
        return journal.submit(archives.map { Self.eventsRecord(arn: $0.arn, events: $0.events) })
    }

    /// The `archive.events` record of `events` kept by archive `arn`.
    static func eventsRecord(arn: String, events: [ArchivedEvent]) -> StateRecord {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(events.reduce(arn.utf8.count + 24) { $0 + $1.text.utf8.count + 48 })
        bytes.append(contentsOf: #"{"arn":"#.utf8)
        bytes.append(contentsOf: JSONValue.string(arn).jsonText.utf8)
        bytes.append(contentsOf: #","e":["#.utf8)
        for (i, event) in events.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "["))
            bytes.append(contentsOf: String(event.sequence).utf8)
            bytes.append(UInt8(ascii: ","))
            bytes.append(contentsOf: String(event.receivedAt.nanosecondsSinceEpoch).utf8)
            bytes.append(UInt8(ascii: ","))
            bytes.append(contentsOf: String(event.sizeBytes).utf8)
            bytes.append(UInt8(ascii: ","))
            bytes.append(contentsOf: event.text.utf8)
            bytes.append(UInt8(ascii: "]"))
        }
        bytes.append(contentsOf: "]}".utf8)
        return StateRecord(type: StateRecordType.archiveEvents.rawValue, payload: bytes)
    }

    /// The `archive.put` record of an archive created (`new`) or changed through the API:
    /// `{"arn","new","a": the definition as a rule file's Archives entry,"c","m": times in ns,"api"}`.
    static func putRecord(_ definition: ArchiveDefinition, info: ArchiveRegistry.Info?, new: Bool) -> StateRecord {
        var a: JSONObject = ["ArchiveName": .string(definition.name), "EventSourceArn": .string(definition.sourceArn),
                             "RetentionDays": .number(JSONNumber(definition.retentionDays))]
        if let text = info?.patternText { a["EventPattern"] = .string(text) }
        if let d = definition.description { a["Description"] = .string(d) }
        var o: JSONObject = ["arn": .string(definition.arn), "new": .bool(new), "a": .object(a)]
        if let info {
            o["c"] = .number(JSONNumber(Int(info.created.nanosecondsSinceEpoch)))
            o["m"] = .number(JSONNumber(Int(info.modified.nanosecondsSinceEpoch)))
            o["api"] = .bool(info.createdThroughAPI)
        }
        return StateRecord(.archivePut, .object(o))
    }
}

extension StateJournalTicket {
    /// A ticket stored once both `self` and `other` are.
    func and(_ other: StateJournalTicket) -> StateJournalTicket {
        if other.isNone { return self }
        if isNone { return other }
        return StateJournalTicket(Both(first: self, second: other))
    }

    private struct Both: StateJournalPending {
        let first: StateJournalTicket
        let second: StateJournalTicket
        func stored() async throws(StateJournalFailure) {
            try await first.stored()
            try await second.stored()
        }
        func whenStored(_ body: @escaping @Sendable (StateJournalFailure?) -> Void) {
            let second = second
            first.whenStored { failure in
                if let failure { body(failure) } else { second.whenStored(body) }
            }
        }
    }
}
