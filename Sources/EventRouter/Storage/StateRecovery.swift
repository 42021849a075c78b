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
        }
    }

    struct QueueModel: Sendable {
        var attributes: JSONObject
        var messages: [String: (order: Int, value: JSONValue)] = [:]
        var deduplication: [String: JSONValue] = [:]
        var lastSequence: UInt64 = 0
        /// Tags and timestamps (``QueueMetadata/journalJSON``).
        var metadata: JSONValue?
    }

    private var queues: [String: QueueModel] = [:]
    /// Accepted, unsettled rule deliveries (``DeliveryRecovery``).
    private(set) var deliveries = DeliveryRecovery()
    private var queueOrder: [String: Int] = [:]
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

    /// Takes the snapshot's payload.
    /// - Throws: ``StateJournalFailure`` saying what is wrong with it.
    public mutating func applySnapshot(_ bytes: [UInt8]) throws(StateJournalFailure) {
        let json: JSONValue
        do { json = try JSONParser.parse(bytes: bytes) } catch {
            throw StateJournalFailure("the snapshot is not valid JSON: \(error)")
        }
        try deliveries.applySnapshotSection(json["deliveries"])
        if let section = json["topics"] { try topics.applySnapshotSection(section) }
        try functions.applySnapshotSection(json["functions"])
        for member in json["streams"]?.objectValue?.members ?? [] {
            try streams.put(member.key, member.value, at: "the snapshot's streams[\"\(member.key)\"]")
        }
        if let section = json["resources"] { try resources.applySnapshotSection(section) }
        try archives.applySnapshotSection(json["archives"])
        guard let queuesObject = json["queues"]?.objectValue else { return }
        for member in queuesObject.members {
            guard let entry = member.value.objectValue else {
                throw StateJournalFailure("the snapshot's queues[\"\(member.key)\"] is a \(member.value.kindName), not an object")
            }
            var model = QueueModel(attributes: entry["Attributes"]?.objectValue ?? JSONObject())
            for message in entry["messages"]?.arrayValue ?? [] {
                guard let id = message["MessageId"]?.stringValue else {
                    throw StateJournalFailure("a message of the snapshot's queues[\"\(member.key)\"] has no MessageId")
                }
                model.messages[id] = (nextOrder, message)
                nextOrder += 1
            }
            for dedup in entry["Deduplication"]?.arrayValue ?? [] {
                if let key = dedup["MessageDeduplicationId"]?.stringValue { model.deduplication[key] = dedup }
            }
            model.lastSequence = entry["LastSequenceNumber"]?.stringValue.flatMap { UInt64($0) } ?? 0
            model.metadata = entry["Metadata"]
            putQueue(member.key, model)
        }
    }

    private mutating func putQueue(_ arn: String, _ model: QueueModel) {
        if queueOrder[arn] == nil {
            queueOrder[arn] = nextOrder
            nextOrder += 1
        }
        queues[arn] = model
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
            var model = queues[arn] ?? QueueModel(attributes: JSONObject())
            model.attributes = json["Attributes"]?.objectValue ?? JSONObject()
            if let metadata = json["Metadata"] { model.metadata = metadata }
            putQueue(arn, model)
        case .queueDelete:
            queues[arn] = nil
            queueOrder[arn] = nil
        case .queuePurged:
            queues[arn]?.messages = [:]
        case .messageRemoved:
            guard let id = json["id"]?.stringValue else { throw StateJournalFailure("a \(type) record has no \"id\"") }
            queues[arn]?.messages[id] = nil
        case .eventAccepted, .deliveryAttempt, .deliveryDone, .busPut, .busDelete, .rulePut, .ruleDelete, .busPolicy, .connectionPut, .connectionDelete,
             .apiDestinationPut, .apiDestinationDelete, .resourceTags, .topicPut, .topicDelete, .subscriptionPut, .subscriptionDelete,
             .topicTags, .topicDeliveryPut, .topicDeliveryDone, .topicDeduplication,
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
            guard let message = json["m"], let id = message["MessageId"]?.stringValue else {
                throw StateJournalFailure("a \(type) record has no message with a MessageId")
            }
            var model = queues[arn] ?? QueueModel(attributes: JSONObject())
            let order = model.messages[id]?.order ?? nextOrder
            if order == nextOrder { nextOrder += 1 }
            model.messages[id] = (order, message)
            if let attributes = message["Attributes"] {
                if let key = attributes["MessageDeduplicationId"]?.stringValue, model.deduplication[key] == nil {
                    var entry: JSONObject = ["MessageDeduplicationId": .string(key), "MessageId": .string(id)]
                    if let s = attributes["SequenceNumber"] { entry["SequenceNumber"] = s }
                    if let s = attributes["SentTimestamp"] { entry["SentTimestamp"] = s }
                    model.deduplication[key] = .object(entry)
                }
                if let s = attributes["SequenceNumber"]?.stringValue.flatMap({ UInt64($0) }) { model.lastSequence = max(model.lastSequence, s) }
            }
            putQueue(arn, model)
        }
    }

    /// The recovered queues as the state JSON's `"queues"` value (``QueueRegistry/restore(stateJSON:)``).
    func queuesStateJSON() -> JSONValue {
        var o = JSONObject()
        for arn in queueOrder.sorted(by: { $0.value < $1.value }).map(\.key) {
            guard let model = queues[arn] else { continue }
            var entry = JSONObject()
            entry["Attributes"] = .object(model.attributes)
            entry["messages"] = .array(model.messages.values.sorted { $0.order < $1.order }.map(\.value))
            if !model.deduplication.isEmpty { entry["Deduplication"] = .array(Array(model.deduplication.values)) }
            if let metadata = model.metadata { entry["Metadata"] = metadata }
            if model.lastSequence > 0 { entry["LastSequenceNumber"] = .string(QueueStateMachine.formatSequence(model.lastSequence)) }
            o[arn] = .object(entry)
        }
        return .object(o)
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
        do { try registry.restore(stateJSON: queuesStateJSON()) } catch {
            throw StateJournalFailure("the recovered queues do not fit: \(error)")
        }
        var counts = Counts()
        counts.queues = queues.count
        counts.messages = queues.values.reduce(0) { $0 + $1.messages.count }
        return counts
    }
}

extension RouterRuntime {
    /// The snapshot payload: the state the journal records rebuild (queues today).
    public func journalSnapshot() -> [UInt8] {
        let pending = router.scheduler.journal.withLock { $0 }?.snapshotJSON() ?? .array([])
        // The state JSON's queues, with what only the data directory keeps: tags and timestamps.
        var queuesJSON = queues.stateJSON()
        if case .object(var o) = queuesJSON {
            for queue in queues.queues {
                guard case .object(var entry)? = o[queue.arn] else { continue }
                entry["Metadata"] = queue.currentMetadata.journalJSON
                o[queue.arn] = .object(entry)
            }
            queuesJSON = .object(o)
        }
        var o: JSONObject = ["format": 1, "queues": queuesJSON, "deliveries": pending,
                             "streams": streams.journalJSON(), "resources": resourcesJournalJSON(),
                             "functions": functions.journal.journalJSON(), "archives": archivesJournalJSON()]
        if let section = topics.journal.snapshotJSON(nowMs: topics.clock.now.millisecondsSinceEpoch) { o["topics"] = section }
        return Array(JSONValue.object(o).jsonText.utf8)
    }

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
