import Synchronization

/// The journal side of a ``TopicRegistry`` (records 20–27, docs/durability.md "Topics and
/// subscriptions"): the registry, its topics and its tags call ``submit(_:_:)`` under the lock
/// that orders the change (the registry's, a topic's settings, the tags', or inside the topic
/// actor for deliveries), and the request's answer awaits the ticket (``StateJournalTickets``).
///
/// Every record submitted is also applied to a live ``TopicRecovery``, which tells whether a
/// topic or subscription was created through the API (only those are journaled when they
/// change) and is what a snapshot's `"topics"` section holds. Without a journal attached
/// nothing is encoded and each call costs one uncontended lock.
public final class TopicJournal: Sendable {
    private let state = Mutex<(journal: (any StateJournal)?, model: TopicRecovery)>((nil, TopicRecovery()))
    /// Whether a journal is attached, read without the lock (the in-memory publish path).
    private let attached = Atomic<Bool>(false)

    public init() {}

    /// Whether a journal is attached.
    public var isAttached: Bool { attached.load(ordering: .acquiring) }

    /// From now on records go to `journal`; `model` is what recovery rebuilt.
    func attach(_ journal: any StateJournal, model: TopicRecovery) {
        state.withLock { $0 = (journal, model) }
        attached.store(true, ordering: .releasing)
    }

    /// Submits the record `type` built by `json` (called only when a journal is attached) and
    /// notes its ticket for the current request, when `when` (given the live model) says so.
    @discardableResult
    func submit(_ type: StateRecordType, when: (TopicRecovery) -> Bool = { _ in true }, _ json: () -> JSONValue) -> StateJournalTicket {
        guard isAttached else { return .none }
        let ticket = state.withLock { s -> StateJournalTicket in
            guard let journal = s.journal, when(s.model) else { return .none }
            let value = json()
            try? s.model.apply(type, value)
            return journal.submit([StateRecord(type, value)])
        }
        if !ticket.isNone { StateJournalTickets.note(ticket) }
        return ticket
    }

    /// Drops the expired deduplication entries of `arn` from the live model (they would
    /// otherwise stay until the next snapshot).
    func expireDeduplication(_ arn: String, nowMs: Int64) {
        guard isAttached else { return }
        state.withLock { s in if s.journal != nil { s.model.expireDeduplication(arn, nowMs: nowMs) } }
    }

    /// The snapshot's `"topics"` section (`nil` without a journal).
    func snapshotJSON(nowMs: Int64) -> JSONValue? {
        state.withLock { s in s.journal == nil ? nil : s.model.snapshotJSON(nowMs: nowMs) }
    }
}
