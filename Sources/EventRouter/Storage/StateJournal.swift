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

/// One record of the engine's state: a type byte (``StateRecordType``) and a compact-JSON payload.
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
    /// Events accepted by PutEvents with their deliveries: `{"d": [{"k", "e", "b", "r"}]}`.
    case eventAccepted = 40
    /// A delivery settled: `{"k"}`.
    case deliveryDone = 42
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
}

/// What a journal adapter hands back per submit.
public protocol StateJournalPending: Sendable {
    /// Returns once stored; throws when not.
    func stored() async throws(StateJournalFailure)
}
