/// Rebuilds the engine's state at start-up from a snapshot (``RouterRuntime/journalSnapshot()``)
/// and the journal records after it, then hands it to a fresh runtime before it serves
/// (``restore(into:)``).
///
/// Records hold whole states (a message as the state JSON writes it, a queue's attributes), so
/// applying a record whose effect the snapshot already holds changes nothing: a snapshot may be
/// captured a little after its roll.
public struct StateRecovery: Sendable {
    /// What was recovered, for the start line.
    public struct Counts: Sendable, Equatable, CustomStringConvertible {
        public var queues = 0
        public var messages = 0
        /// Rule deliveries accepted and not settled, delivered again.
        public var pendingDeliveries = 0
        public var streams = 0
        /// Stream records.
        public var records = 0
        /// Pending deliveries that could not be delivered again (their bus is gone…), each saying why.
        public var notRedelivered: [String] = []
        public var description: String {
            "\(queues) queue\(queues == 1 ? "" : "s"), \(messages) message\(messages == 1 ? "" : "s"), "
                + "\(streams) stream\(streams == 1 ? "" : "s"), \(records) stream record\(records == 1 ? "" : "s"), "
                + "\(pendingDeliveries) pending deliver\(pendingDeliveries == 1 ? "y" : "ies")"
                + (notRedelivered.isEmpty ? "" : " (not delivered again: " + notRedelivered.joined(separator: "; ") + ")")
        }
    }

    /// Queues and their messages.
    private(set) var queues = QueueRecovery()
    /// Accepted, unsettled deliveries by key (``DeliveryJournal``), with their arrival order.
    private var deliveries: [String: (order: Int, entry: JSONValue)] = [:]
    /// Streams, their records and the mappings' checkpoints.
    private(set) var streams = StreamRecovery()
    private var nextOrder = 0
    /// Records applied.
    public private(set) var records = 0

    public init() {}

    /// Takes the snapshot's payload: format 2 (``StateSnapshotSections``: the binary queues
    /// section, JSON sections) or format 1 (one JSON object).
    /// - Throws: ``StateJournalFailure`` saying what is wrong with it.
    public mutating func applySnapshot(_ bytes: [UInt8]) throws(StateJournalFailure) {
        guard StateSnapshotSections.isSectioned(bytes) else {
            let json: JSONValue
            do { json = try JSONParser.parse(bytes: bytes) } catch {
                throw StateJournalFailure("the snapshot is not valid JSON: \(error)")
            }
            return try applySnapshotJSON(json)
        }
        var o = JSONObject()
        var queues = QueueRecovery()
        try bytes.withRawBytes { (raw) throws(StateJournalFailure) in
            try StateSnapshotSections.read(raw) { (name, section) throws(StateJournalFailure) in
                if name == StateSnapshotSections.queuesName { return try QueueSnapshotSection.decode(section, into: &queues) }
                do { o[name] = try JSONParser.parse(bytes: Array(section)) } catch {
                    throw StateJournalFailure("the snapshot's section \(name) is not valid JSON: \(error)")
                }
            }
        }
        self.queues = queues
        try applySnapshotJSON(.object(o))
    }

    /// Takes the snapshot's JSON sections (all of a format-1 snapshot).
    private mutating func applySnapshotJSON(_ json: JSONValue) throws(StateJournalFailure) {
        for entry in json["deliveries"]?.arrayValue ?? [] {
            guard let key = entry["k"]?.stringValue else { throw StateJournalFailure("a pending delivery of the snapshot has no key \"k\"") }
            deliveries[key] = (nextOrder, entry)
            nextOrder += 1
        }
        for member in json["streams"]?.objectValue?.members ?? [] {
            try streams.put(member.key, member.value, at: "the snapshot's streams[\"\(member.key)\"]")
        }
        if let queuesJSON = json["queues"] { try queues.applyJSONSection(queuesJSON) }
    }

    /// Applies one journal record.
    /// - Throws: ``StateJournalFailure`` naming the record type and what is wrong.
    public mutating func apply(_ record: StateRecord) throws(StateJournalFailure) {
        guard let type = StateRecordType(rawValue: record.type) else {
            throw StateJournalFailure("a journal record has type \(record.type), which this eventrouter does not know (written by a newer one?)")
        }
        if type == .messagePutBinary {
            let (arn, message) = try QueueRecordCodec.decodeMessagePut(record.payload)
            records += 1
            queues.putMessage(arn, message)
            return
        }
        let json: JSONValue
        do { json = try JSONParser.parse(bytes: record.payload) } catch {
            throw StateJournalFailure("a \(type) record is not valid JSON: \(error)")
        }
        switch type {
        case .eventAccepted:
            records += 1
            for entry in json["d"]?.arrayValue ?? [] {
                guard let key = entry["k"]?.stringValue else { throw StateJournalFailure("a \(type) record has an entry without \"k\"") }
                deliveries[key] = (nextOrder, entry)
                nextOrder += 1
            }
            return
        case .deliveryDone:
            records += 1
            guard let key = json["k"]?.stringValue else { throw StateJournalFailure("a \(type) record has no \"k\"") }
            deliveries[key] = nil
            return
        default: break
        }
        guard let arn = json["arn"]?.stringValue else {
            throw StateJournalFailure("a \(type) record has no \"arn\"")
        }
        records += 1
        switch type {
        case .queuePut:
            var model = queues.model(arn)
            model.attributes = json["Attributes"]?.objectValue ?? JSONObject()
            if let metadata = json["Metadata"] { model.metadata = metadata }
            queues.putQueue(arn, model)
        case .queueDelete:
            queues.deleteQueue(arn)
        case .queuePurged:
            queues.purge(arn)
        case .messageRemoved:
            guard let id = json["id"]?.stringValue else { throw StateJournalFailure("a \(type) record has no \"id\"") }
            queues.removeMessage(arn, id)
        case .eventAccepted, .deliveryDone, .messagePutBinary:
            break
        case .mappingCheckpoint:
            try streams.checkpoint(arn, json)
        case .streamPut:
            guard let state = json["s"] else { throw StateJournalFailure("a \(type) record has no stream state \"s\"") }
            try streams.put(arn, state, at: "a \(type) record")
        case .streamDelete:
            streams.delete(arn)
        case .streamRecords:
            try streams.append(arn, json)
        case .messagePut:
            guard let message = json["m"], message["MessageId"]?.stringValue != nil else {
                throw StateJournalFailure("a \(type) record has no message with a MessageId")
            }
            queues.putMessage(arn, try QueueRecovery.decodeJSONMessage(message, arn: arn, at: "the message of a \(type) record of \(arn)"))
        }
    }

    /// Puts the recovered state into `runtime` (before it serves and before a journal is attached).
    /// - Throws: ``StateJournalFailure`` when a recovered value does not fit (naming it).
    public func restore(into runtime: RouterRuntime) throws(StateJournalFailure) -> Counts {
        var counts = try restore(queues: runtime.queues)
        (counts.streams, counts.records) = try streams.restore(into: runtime.streams)
        return counts
    }

    /// Restores `runtime` and attaches `journal` to it: queues first (not journaled again), then
    /// the journal, then every accepted, unsettled delivery is delivered again on the rule that
    /// accepted it (its settling is journaled as `delivery.done` under the same key).
    /// - Throws: ``StateJournalFailure`` when a recovered value does not fit (naming it).
    public func restore(into runtime: RouterRuntime, attaching journal: any StateJournal) throws(StateJournalFailure) -> Counts {
        var counts = try restore(queues: runtime.queues)
        (counts.streams, counts.records) = try streams.restore(into: runtime.streams)
        let ordered = deliveries.values.sorted { $0.order < $1.order }.map(\.entry)
        runtime.attachJournal(journal, pendingDeliveries: ordered)
        let router = runtime.router
        // One put per (event, bus), limited to the rules whose deliveries were not all settled.
        var groups: [(event: JSONValue, bus: String, rules: Set<String>)] = []
        var index: [String: Int] = [:]
        for entry in ordered {
            guard let event = entry["e"], let bus = entry["b"]?.stringValue, let rule = entry["r"]?.stringValue,
                let id = event["id"]?.stringValue
            else { throw StateJournalFailure("a pending delivery has no event, bus or rule: \(entry.jsonText.prefix(200))") }
            let groupKey = id + "|" + bus
            if let i = index[groupKey] { groups[i].rules.insert(rule) } else {
                index[groupKey] = groups.count
                groups.append((event, bus, [rule]))
            }
        }
        for group in groups {
            do {
                let event = try Event(envelope: group.event, defaults: router.defaults, now: router.clock.now, random: router.random)
                try router.put(event, onBus: group.bus, options: BusPutOptions(ruleFilter: group.rules))
            } catch {
                counts.notRedelivered.append("event \(group.event["id"]?.stringValue ?? "?") on \(group.bus): \(error)")
            }
        }
        counts.pendingDeliveries = ordered.count
        return counts
    }

    /// Puts the recovered queues into `registry` (before a journal is attached to it).
    /// - Throws: ``StateJournalFailure`` when a recovered value does not fit (naming it).
    public func restore(queues registry: QueueRegistry) throws(StateJournalFailure) -> Counts {
        try queues.restore(into: registry)
        var counts = Counts()
        counts.queues = queues.queues.count
        counts.messages = queues.messageCount
        return counts
    }
}

extension RouterRuntime {
    /// The snapshot payload (``StateSnapshotSections``): the binary queues section
    /// (``QueueSnapshotSection``), then one JSON section per member of the object below — add a
    /// part's section there.
    public func journalSnapshot() -> [UInt8] {
        let pending = router.scheduler.journal.withLock { $0 }?.pending.withLock { Array($0.values) } ?? []
        let o: JSONObject = ["deliveries": .array(pending), "streams": streams.journalJSON()]
        return StateSnapshotSections.encode(queues: { QueueSnapshotSection.capture(queues, into: &$0) }, json: o)
    }

    /// How long the last ``journalSnapshot()`` held queue locks in all, in seconds (benchmarks).
    public static var lastSnapshotLockSeconds: Double { Double(QueueSnapshotSection.lastLockNanoseconds.load(ordering: .relaxed)) / 1e9 }

    /// From now on the runtime's mutations submit their records to `journal`.
    public func attachJournal(_ journal: any StateJournal, pendingDeliveries: [JSONValue] = []) {
        queues.attachJournal(journal)
        streams.attachJournal(journal)
        let deliveries = DeliveryJournal(journal: journal)
        deliveries.pending.withLock { p in
            for entry in pendingDeliveries { if let k = entry["k"]?.stringValue { p[k] = entry } }
        }
        router.scheduler.journal.withLock { $0 = deliveries }
    }
}
