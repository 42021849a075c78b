/// The engine's storage seam (docs/durability.md, "Engine state through the journal"): every
/// mutation that must survive a crash is decided under the lock that orders it, hands its
/// records to ``submit(_:)`` there (synchronous, so journal order = decision order), and the API
/// answer awaits ``StateJournalTicket/stored()`` after the lock is released.
///
/// `eventrouter run --data-dir` hands the runtime an adapter over the storage module's journal
/// (EventRouterHTTP/Run/JournalStateAdapter.swift); `replay`, tests and `--in-memory` use none
/// (``RouterRuntime/attachJournal(_:)`` is never called, and no record is even encoded).
public protocol StateJournal: Sendable {
    /// Hands `records` to the journal in order; the ticket says when they are stored.
    func submit(_ records: [StateRecord]) -> StateJournalTicket
}

/// One record of the engine's state: a type byte (``StateRecordType``) and its payload (compact
/// JSON, or binary for the hot delivery records).
public struct StateRecord: Sendable, Equatable {
    /// What the payload means (``StateRecordType``).
    public var type: UInt8
    /// The record's bytes.
    public var payload: [UInt8]

    public init(type: UInt8, payload: [UInt8]) {
        self.type = type
        self.payload = payload
    }

    /// A record of `type` whose payload is `json`'s compact text.
    init(_ type: StateRecordType, _ json: JSONValue) {
        self.init(type: type.rawValue, payload: Array(json.jsonText.utf8))
    }
}

/// The record types the engine writes (docs/durability.md, "Records per operation").
public enum StateRecordType: UInt8, Sendable, CaseIterable {
    /// A queue created or its attributes changed: `{"arn", "Attributes"}`.
    case queuePut = 1
    /// A queue deleted: `{"arn"}`.
    case queueDelete = 2
    /// A message sent, received, its visibility changed or moved in: `{"arn", "m": message}`
    /// (the message as the state JSON writes it, receipt handle and deadlines included).
    /// Written by format-1 data directories; read, no longer written (``messagePutBinary``).
    case messagePut = 3
    /// A message sent, received, its visibility changed or moved in, binary (format 2; written
    /// instead of ``messagePut``): version, queue ARN and the whole message (``QueueRecordCodec``).
    case messagePutBinary = 8
    /// Messages a rule's deliveries sent to a queue whose bodies are their events' own texts,
    /// binary, without those texts: each names its pending delivery (event id, rule ARN, target
    /// id), whose `event.accepted` record or snapshot entry holds the text (``QueueRecordCodec``,
    /// QueueRecordCodec+MessagePutEvent.swift). Written instead of ``messagePutBinary`` for them.
    case messagePutEvent = 9
    /// A message deleted, expired or moved out: `{"arn", "id": MessageId}`.
    case messageRemoved = 5
    /// A queue purged: `{"arn"}`.
    case queuePurged = 7
    /// A stream created or its shards, retention, mode or tags changed: `{"arn", "s": state}`
    /// (the stream's entry of the state JSON, records included).
    case streamPut = 10
    /// A stream deleted: `{"arn"}`.
    case streamDelete = 11
    /// Records written to a stream: `{"arn", "r": [{"S": ShardId, record as the state JSON writes it}]}`.
    case streamRecords = 13
    /// An event source mapping checkpointed a shard: `{"m": mapping UUID, "arn": stream, "S": ShardId, "q": SequenceNumber}`.
    case mappingCheckpoint = 14
    /// A topic created through the API or its attributes changed: `{"arn", "t": {"TopicName",
    /// "Account", "Region", "FifoTopic", "ContentBasedDeduplication", "Attributes"}}`.
    case topicPut = 20
    /// A topic deleted (with its subscriptions, tags, window and retries): `{"arn"}`.
    case topicDelete = 21
    /// A subscription added through the API, changed or confirmed: `{"arn": SubscriptionArn,
    /// "topic", "s": {"Protocol", "Endpoint", "FilterPolicy", …, "PendingConfirmation", "Token"}}`.
    case subscriptionPut = 22
    /// A subscription removed: `{"arn": SubscriptionArn}`.
    case subscriptionDelete = 23
    /// A topic's tags (the whole set): `{"arn", "tags": {KEY: VALUE}}`.
    case topicTags = 24
    /// A topic delivery retrying (or waiting behind its FIFO group): `{"arn", "k", "s", "m",
    /// "b", "a", "g", "d", "n": attempts, "at": next attempt (ms), "l": FIFO lane}`.
    case topicDeliveryPut = 25
    /// A topic delivery settled (delivered, dead-lettered, dropped): `{"arn", "k"}`.
    case topicDeliveryDone = 26
    /// A FIFO publish accepted: `{"arn", "d": deduplication entry, "n": sequence}`.
    case topicDeduplication = 27
    /// A bus created through the API: `{"arn", "Description", "Created", "Modified"}` (times in ns).
    case busPut = 30
    /// A bus deleted: `{"arn"}`.
    case busDelete = 31
    /// A rule created or changed through the API, with its targets: `{"arn", "r": rule}`.
    case rulePut = 32
    /// A rule deleted: `{"arn"}`.
    case ruleDelete = 33
    /// A bus's policy after PutPermission/RemovePermission: `{"arn", "Policy"}` (no `Policy`: none).
    case busPolicy = 34
    /// A connection created or updated: `{"arn", "a": account, "g": region, "c": rule-file entry, times}`.
    case connectionPut = 35
    /// A connection deleted: `{"a", "g", "n": name}`.
    case connectionDelete = 36
    /// An API destination created or updated: `{"arn", "a", "g", "d": rule-file entry, times}`.
    case apiDestinationPut = 37
    /// An API destination deleted: `{"a", "g", "n"}`.
    case apiDestinationDelete = 38
    /// A rule's or bus's tags: `{"arn", "Tags": [{"Key", "Value"}]}`.
    case resourceTags = 39
    /// Events accepted by one PutEvents call with their deliveries (binary, ``DeliveryRecordCodec``;
    /// session 6 wrote `{"d": [{"k", "e", "b", "r"}]}`).
    case eventAccepted = 40
    /// Deliveries that failed, with their retries so far and next-attempt times (binary).
    case deliveryAttempt = 41
    /// Deliveries that settled (binary; session 6 wrote `{"k"}`, one per record).
    case deliveryDone = 42
    /// A function's event-invoke configuration or reserved concurrency set through the API:
    /// `{"arn", "c": settings}` (``FunctionJournal``).
    case functionConfig = 50
    /// An asynchronous invocation accepted: `{"arn", "k", "id", "p", "t", "q"?, "n", "th"}` (``FunctionInvocationEntry``).
    case invokeQueued = 51
    /// An asynchronous invocation's attempt ended with a retry: `{"arn", "k", "n", "th", "at", "r"?}`.
    case invokeAttempt = 52
    /// An asynchronous invocation ended (after its destination): `{"arn", "k"}`.
    case invokeDone = 53
    /// An event source mapping created or updated through the API: `{"arn": function, "u": UUID, "c": settings, "t"}`.
    case mappingPut = 60
    /// An API-created event source mapping deleted: `{"arn": function, "u": UUID, "cp"?: {"s": stream, "m": checkpoint key}}`.
    case mappingDelete = 61
    /// An archive created or changed through the API: `{"arn", "new", "a": definition, "c", "m", "api"}` (``ArchiveJournalBatch``).
    case archivePut = 62
    /// An archive deleted: `{"arn"}`.
    case archiveDelete = 63
    /// Events an archive kept: `{"arn", "e": [[sequence, receivedAt ns, size, event]]}`.
    case archiveEvents = 64
    /// A replay started or its progress or state changed: `{"arn", "r": replay}` (``ReplayRecord``).
    case replayPut = 65
}

/// Why a record was not stored (ENOSPC, EIO…): the request fails and nothing is acknowledged.
public struct StateJournalFailure: Error, Sendable, CustomStringConvertible {
    /// What happened and what to do, from the journal.
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The answer to a ``StateJournal/submit(_:)``: awaits the records' batch on disk.
public struct StateJournalTicket: Sendable {
    private let pending: (any StateJournalPending)?

    /// A ticket for records stored by `pending`.
    public init(_ pending: any StateJournalPending) { self.pending = pending }
    private init() { pending = nil }

    /// Nothing to wait for (no journal, or nothing was submitted).
    public static let none = StateJournalTicket()

    /// Whether this is ``none``.
    public var isNone: Bool { pending == nil }

    /// Returns once the records are stored.
    /// - Throws: ``StateJournalFailure`` when they were not.
    public func stored() async throws(StateJournalFailure) {
        try await pending?.stored()
    }

    /// Calls `body` once the records are stored (`nil`) or were not (the failure): at once for
    /// ``none``, else possibly on the journal's writer thread, so `body` must be short and must
    /// not block (the HTTP server posts the held-back answer to its event loop there, with no
    /// task to wake per request).
    public func whenStored(_ body: @escaping @Sendable (StateJournalFailure?) -> Void) {
        guard let pending else { return body(nil) }
        pending.whenStored(body)
    }
}

/// What a journal adapter hands back per submit.
public protocol StateJournalPending: Sendable {
    /// Returns once stored; throws when not.
    func stored() async throws(StateJournalFailure)
    /// Calls `body` once stored (`nil`) or not (the failure), from any thread (the writer's
    /// completion, not a task per call); see ``StateJournalTicket/whenStored(_:)``.
    func whenStored(_ body: @escaping @Sendable (StateJournalFailure?) -> Void)
}
