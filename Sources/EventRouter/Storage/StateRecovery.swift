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
        /// Pending deliveries that had failed and resume their retry policy (retries so far, next time).
        public var resumedDeliveries = 0
        public var streams = 0
        /// Stream records.
        public var records = 0
        /// Pending deliveries that could not be delivered again (their bus is gone…), each saying why.
        public var notRedelivered: [String] = []
        /// Messages left out because the event they carry was never stored (``QueueRecovery/unresolvedReport()``).
        public var droppedMessages: [String] = []
        /// Topics created through the API, subscriptions added through the API, topic deliveries retrying.
        public var topics = 0, subscriptions = 0, topicRetries = 0
        /// Subscriptions and topic deliveries not put back, each saying why.
        public var topicsNotRestored: [String] = []
        /// Buses, rules, targets, policies, connections and API destinations created through the API.
        public var resources = ResourceRecovery.Counts()
        /// Function settings, API-created mappings and async invocations (``FunctionRecovery``).
        public var functions = FunctionRecovery.Counts()
        /// Archives, their events and replays (``ArchiveRecovery``).
        public var archives = 0, archivedEvents = 0, replays = 0
        public var description: String {
            "\(queues) queue\(queues == 1 ? "" : "s"), \(messages) message\(messages == 1 ? "" : "s"), "
                + "\(streams) stream\(streams == 1 ? "" : "s"), \(records) stream record\(records == 1 ? "" : "s"), "
                + "\(pendingDeliveries) pending deliver\(pendingDeliveries == 1 ? "y" : "ies")"
                + (resumedDeliveries == 0 ? "" : " (\(resumedDeliveries) resuming \(resumedDeliveries == 1 ? "its" : "their") retries)")
                + (resources.isEmpty ? "" : ", " + resources.description)
                + (topics + subscriptions + topicRetries == 0 ? "" : ", \(topics) topic\(topics == 1 ? "" : "s"), \(subscriptions) subscription\(subscriptions == 1 ? "" : "s"), \(topicRetries) topic retr\(topicRetries == 1 ? "y" : "ies")")
                + (functions.isEmpty ? "" : ", \(functions)")
                + (archives + archivedEvents + replays == 0 ? "" : ", \(archives) archive\(archives == 1 ? "" : "s") with \(archivedEvents) event\(archivedEvents == 1 ? "" : "s"), \(replays) replay\(replays == 1 ? "" : "s")")
                + (notRedelivered.isEmpty ? "" : " (not delivered again: " + notRedelivered.joined(separator: "; ") + ")")
                + (topicsNotRestored.isEmpty ? "" : " (not restored: " + topicsNotRestored.joined(separator: "; ") + ")")
                + (droppedMessages.isEmpty ? "" : " (" + droppedMessages.joined(separator: "; ") + ")")
        }
    }

    /// Queues and their messages.
    private(set) var queues = QueueRecovery()
    /// Accepted, unsettled rule deliveries (``DeliveryRecovery``).
    private(set) var deliveries = DeliveryRecovery()
    /// Streams, their records and the mappings' checkpoints.
    private(set) var streams = StreamRecovery()
    /// Topics, subscriptions, tags, FIFO windows and topic retries (TopicRecovery.swift).
    private(set) var topics = TopicRecovery()
    /// Buses, rules, policies, connections, API destinations and tags created through the API.
    private(set) var resources = ResourceRecovery()
    /// Function settings, API-created mappings, async invocations.
    public private(set) var functions = FunctionRecovery()
    /// Archives, their events and the replays.
    private(set) var archives = ArchiveRecovery()
    private var nextOrder = 0
    /// Records applied.
    public private(set) var records = 0

    public init() {}

    /// Takes the snapshot's payload: format 2 (``StateSnapshotSections``: the binary queues
    /// section, JSON sections) or format 1 (one JSON object).
    /// - Throws: ``StateJournalFailure`` saying what is wrong with it.
    public mutating func applySnapshot(_ bytes: [UInt8]) throws(StateJournalFailure) {
        try bytes.withRawBytes { (raw) throws(StateJournalFailure) in try applySnapshot(raw) }
    }

    /// Takes the snapshot's payload where it lies (the mapped snapshot file): no copy of it is made.
    /// - Throws: ``StateJournalFailure`` saying what is wrong with it.
    public mutating func applySnapshot(_ raw: UnsafeRawBufferPointer) throws(StateJournalFailure) {
        guard raw.count >= 4, raw[0..<4].elementsEqual(StateSnapshotSections.magic) else {
            let json: JSONValue
            do { json = try JSONParser.parse(bytes: Array(raw)) } catch {
                throw StateJournalFailure("the snapshot is not valid JSON: \(error)")
            }
            return try applySnapshotJSON(json)
        }
        var o = JSONObject()
        var queues = QueueRecovery()
        try StateSnapshotSections.read(raw) { (name, section) throws(StateJournalFailure) in
            if name == StateSnapshotSections.queuesName { return try QueueSnapshotSection.decode(section, into: &queues) }
            do { o[name] = try JSONParser.parse(bytes: Array(section)) } catch {
                throw StateJournalFailure("the snapshot's section \(name) is not valid JSON: \(error)")
            }
        }
        self.queues = queues
        try applySnapshotJSON(.object(o))
    }

    /// Takes the snapshot's JSON sections (all of a format-1 snapshot).
    private mutating func applySnapshotJSON(_ json: JSONValue) throws(StateJournalFailure) {
        try deliveries.applySnapshotSection(json["deliveries"])
        if let section = json["topics"] { try topics.applySnapshotSection(section) }
        try functions.applySnapshotSection(json["functions"])
        for member in json["streams"]?.objectValue?.members ?? [] {
            try streams.put(member.key, member.value, at: "the snapshot's streams[\"\(member.key)\"]")
        }
        if let section = json["resources"] { try resources.applySnapshotSection(section) }
        try archives.applySnapshotSection(json["archives"])
        if let queuesJSON = json["queues"] { try queues.applyJSONSection(queuesJSON) }
    }

    /// Applies one journal record.
    /// - Throws: ``StateJournalFailure`` naming the record type and what is wrong.
    public mutating func apply(_ record: StateRecord) throws(StateJournalFailure) {
        guard let type = StateRecordType(rawValue: record.type) else {
            throw StateJournalFailure("a journal record has type \(record.type), which this eventrouter does not know (written by a newer one?)")
        }
        if try deliveries.apply(type, record.payload) {
            records += 1
            return
        }
        if type == .messagePutEvent {
            records += 1
            deliveries.settle(try queues.applyMessagePutEvent(record.payload, deliveries: deliveries, record: records))
            return
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
        if ResourceRecovery.types.contains(type) {
            records += 1
            try resources.apply(type, json)
            return
        }
        switch type {
        case .topicPut, .topicDelete, .subscriptionPut, .subscriptionDelete, .topicTags, .topicDeliveryPut, .topicDeliveryDone, .topicDeduplication:
            records += 1
            try topics.apply(type, json)
            return
        case .functionConfig, .invokeQueued, .invokeAttempt, .invokeDone, .mappingPut, .mappingDelete:
            records += 1
            try functions.apply(type, json, streams: &streams)
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
        case .eventAccepted, .deliveryAttempt, .deliveryDone, .messagePutBinary, .messagePutEvent, .busPut, .busDelete, .rulePut, .ruleDelete, .busPolicy,
             .connectionPut, .connectionDelete, .apiDestinationPut, .apiDestinationDelete, .resourceTags, .topicPut, .topicDelete,
             .subscriptionPut, .subscriptionDelete, .topicTags, .topicDeliveryPut, .topicDeliveryDone, .topicDeduplication,
             .functionConfig, .invokeQueued, .invokeAttempt, .invokeDone, .mappingPut, .mappingDelete:
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
        case .archivePut, .archiveDelete, .archiveEvents, .replayPut:
            try archives.apply(type, json, arn: arn)
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
        _ = try restoreTopics(into: runtime, &counts)
        counts.resources = try resources.restore(into: runtime)
        (counts.archives, counts.archivedEvents) = try archives.restore(into: runtime.router.archives)
        counts.replays = runtime.archiveReplays.started.resume(archives.replays.values.sorted { $0.arn < $1.arn }).replays
        return counts
    }

    /// Restores `runtime` and attaches `journal` to it: queues first (not journaled again), then
    /// the journal, then every accepted, unsettled delivery is delivered again on the rule that
    /// accepted it (its settling is journaled as `delivery.done` under the same key).
    /// - Throws: ``StateJournalFailure`` when a recovered value does not fit (naming it).
    public func restore(into runtime: RouterRuntime, attaching journal: any StateJournal) throws(StateJournalFailure) -> Counts {
        var counts = try restore(queues: runtime.queues)
        (counts.streams, counts.records) = try streams.restore(into: runtime.streams)
        let topicModel = try restoreTopics(into: runtime, &counts)
        counts.resources = try resources.restore(into: runtime)
        (counts.archives, counts.archivedEvents) = try archives.restore(into: runtime.router.archives)
        runtime.topics.journal.attach(journal, model: topicModel)
        (counts.notRedelivered, counts.resumedDeliveries) = deliveries.restore(into: runtime, attaching: journal)
        counts.pendingDeliveries = deliveries.count
        // Replays that had not ended carry on, journaled (after the deliveries put again).
        counts.replays = runtime.archiveReplays.started.resume(archives.replays.values.sorted { $0.arn < $1.arn }).replays
        return counts
    }

    /// Puts the recovered topics into the runtime; returns the model the topics' journal goes on with.
    private func restoreTopics(into runtime: RouterRuntime, _ counts: inout Counts) throws(StateJournalFailure) -> TopicRecovery {
        let restored = try topics.restore(into: runtime.topics)
        (counts.topics, counts.subscriptions, counts.topicRetries, counts.topicsNotRestored) = (restored.topics, restored.subscriptions, restored.retries, restored.notRestored)
        return restored.model
    }

    /// Puts the recovered queues into `registry` (before a journal is attached to it).
    /// - Throws: ``StateJournalFailure`` when a recovered value does not fit (naming it).
    public func restore(queues registry: QueueRegistry) throws(StateJournalFailure) -> Counts {
        var counts = Counts()
        counts.droppedMessages = try queues.restore(into: registry)
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
        let pending = router.scheduler.journal.withLock { $0 }?.snapshotJSON() ?? .array([])
        var o: JSONObject = ["deliveries": pending, "streams": streams.journalJSON(), "resources": resourcesJournalJSON(),
                             "functions": functions.journal.journalJSON(), "archives": archivesJournalJSON()]
        if let section = topics.journal.snapshotJSON(nowMs: topics.clock.now.millisecondsSinceEpoch) { o["topics"] = section }
        return StateSnapshotSections.encode(queues: { QueueSnapshotSection.capture(queues, into: &$0) }, json: o)
    }

    /// How long the last ``journalSnapshot()`` held queue locks in all, in seconds (benchmarks).
    public static var lastSnapshotLockSeconds: Double { Double(QueueSnapshotSection.lastLockNanoseconds.load(ordering: .relaxed)) / 1e9 }

    /// From now on the runtime's mutations submit their records to `journal`.
    public func attachJournal(_ journal: any StateJournal) { attachJournal(journal, pendingDeliveries: []) }

    /// ``attachJournal(_:)`` with the rule deliveries a recovery found pending.
    func attachJournal(_ journal: any StateJournal, pendingDeliveries: [(DeliveryKey, DeliveryJournal.Pending)]) {
        queues.attachJournal(journal)
        streams.attachJournal(journal)
        if !topics.journal.isAttached { topics.journal.attach(journal, model: TopicRecovery()) }
        resourceMetadata.attachJournal(journal)
        functions.journal.attach(journal)
        router.archives.attachJournal(journal)
        archiveReplays.started.attachJournal(journal)
        router.scheduler.journal.withLock { $0 = DeliveryJournal(journal: journal, pending: pendingDeliveries) }
    }
}
