import Synchronization

/// Every archive of a router, by ARN: buses feed their archives through ``receive(_:text:busArn:receivedAt:)``.
///
/// With a journal attached (``attachJournal(_:)``, `run --data-dir`), creating, changing and
/// deleting an archive submits an `archive.put` / `archive.delete` record, and the events kept
/// are submitted as one `archive.events` record per archive per PutEvents call
/// (``ArchiveJournalBatch``); see docs/durability.md, "Archives and replays".
public final class ArchiveRegistry: Sendable {
    /// What the API keeps beside an archive's definition.
    public struct Info: Sendable, Hashable {
        /// The `EventPattern` text as the request gave it.
        public var patternText: String?
        public var created: Timestamp
        public var modified: Timestamp
        /// Made by CreateArchive (else declared in a rule file).
        public var createdThroughAPI: Bool

        public init(patternText: String? = nil, created: Timestamp, modified: Timestamp, createdThroughAPI: Bool) {
            self.patternText = patternText
            self.created = created
            self.modified = modified
            self.createdThroughAPI = createdThroughAPI
        }
    }

    private struct State {
        var byArn: [String: ArchiveStore] = [:]
        var byBus: [String: [ArchiveStore]] = [:]
        var info: [String: Info] = [:]
        var journal: (any StateJournal)?
    }

    private let clock: any EventClock
    private let state = Mutex(State())

    public init(clock: any EventClock, archives: [ArchiveDefinition] = []) {
        self.clock = clock
        for a in archives { add(a) }
    }

    /// From now on changes and archived events submit their records to `journal`.
    public func attachJournal(_ journal: any StateJournal) { state.withLock { $0.journal = journal } }

    /// Whether a journal is attached (API answers then wait for their records).
    public var isJournaled: Bool { state.withLock { $0.journal != nil } }

    /// Adds (or replaces) an archive; returns its store. `info` is given for CreateArchive
    /// (journaled as a new archive when a journal is attached).
    @discardableResult
    public func add(_ definition: ArchiveDefinition, info: Info? = nil) -> ArchiveStore {
        let store = ArchiveStore(definition: definition, clock: clock)
        let ticket = state.withLock { s -> StateJournalTicket in
            if let old = s.byArn[definition.arn] {
                s.byBus[old.definition.sourceArn]?.removeAll { $0 === old }
            }
            s.byArn[definition.arn] = store
            s.byBus[definition.sourceArn, default: []].append(store)
            if let info { s.info[definition.arn] = info }
            guard let journal = s.journal else { return .none }
            return journal.submit([ArchiveJournalBatch.putRecord(definition, info: s.info[definition.arn], new: true)])
        }
        StateJournalTickets.note(ticket)
        return store
    }

    /// Removes an archive; returns whether it existed.
    @discardableResult
    public func remove(arn: String) -> Bool {
        let (removed, ticket) = state.withLock { s -> (Bool, StateJournalTicket) in
            guard let old = s.byArn.removeValue(forKey: arn) else { return (false, .none) }
            s.byBus[old.definition.sourceArn]?.removeAll { $0 === old }
            s.info[arn] = nil
            guard let journal = s.journal else { return (true, .none) }
            return (true, journal.submit([StateRecord(.archiveDelete, ["arn": .string(arn)])]))
        }
        StateJournalTickets.note(ticket)
        return removed
    }

    /// Replaces an archive's definition (`UpdateArchive`), keeping the events it holds.
    /// - Returns: the new store.
    @discardableResult
    public func update(_ definition: ArchiveDefinition, info: Info? = nil) -> ArchiveStore {
        let store = ArchiveStore(definition: definition, clock: clock)
        let ticket = state.withLock { s -> StateJournalTicket in
            let old = s.byArn[definition.arn]
            if let old { s.byBus[old.definition.sourceArn]?.removeAll { $0 === old } }
            if let held = old?.held { store.adopt(held.events, lastSequence: held.lastSequence) }
            s.byArn[definition.arn] = store
            s.byBus[definition.sourceArn, default: []].append(store)
            if let info { s.info[definition.arn] = info }
            guard let journal = s.journal else { return .none }
            return journal.submit([ArchiveJournalBatch.putRecord(definition, info: s.info[definition.arn], new: false)])
        }
        StateJournalTickets.note(ticket)
        return store
    }

    /// What the API keeps beside the archive with this ARN (`nil` for one of a rule file never changed through the API).
    public func info(arn: String) -> Info? { state.withLock { $0.info[arn] } }

    /// The archive with this ARN.
    public func archive(arn: String) -> ArchiveStore? { state.withLock { $0.byArn[arn] } }

    /// The archives named `name` (in any account, or only in `account`).
    public func archives(named name: String, account: String? = nil) -> [ArchiveStore] {
        state.withLock { s in
            s.byArn.values.filter { $0.definition.name == name && (account == nil || $0.definition.source.account == account) }
                .sorted { $0.arn < $1.arn }
        }
    }

    /// Every archive, by ARN.
    public var all: [ArchiveStore] { state.withLock { $0.byArn.values.sorted { $0.arn < $1.arn } } }

    /// Whether the bus has any archive (a cheap check before building event text).
    public func hasArchives(forBus busArn: String) -> Bool { state.withLock { !($0.byBus[busArn]?.isEmpty ?? true) } }

    /// Offers an event received by `busArn` to each of its archives; with a journal attached,
    /// each event kept is submitted at once (one record per archive).
    /// - Returns: how many archives kept it.
    @discardableResult
    public func receive(_ event: @autoclosure () -> JSONValue, text: String? = nil, busArn: String, receivedAt: Timestamp) -> Int {
        var batch = ArchiveJournalBatch()
        let kept = receive(event(), text: text, busArn: busArn, receivedAt: receivedAt, into: &batch)
        StateJournalTickets.note(batch.submit())
        return kept
    }

    /// Offers an event received by `busArn` to each of its archives; with a journal attached,
    /// each event kept is added to `batch`, which the caller submits once (``ArchiveJournalBatch/submit()``).
    /// - Returns: how many archives kept it.
    @discardableResult
    public func receive(_ event: @autoclosure () -> JSONValue, text: String? = nil, busArn: String, receivedAt: Timestamp,
                        into batch: inout ArchiveJournalBatch) -> Int {
        let (stores, journal) = state.withLock { ($0.byBus[busArn] ?? [], $0.journal) }
        guard !stores.isEmpty else { return 0 }
        let event = event()
        var kept = 0
        for store in stores {
            let (outcome, item) = store.archived(event, text: text, receivedAt: receivedAt)
            guard outcome == .archived else { continue }
            kept += 1
            if let journal, let item { batch.add(item, of: store.arn, journal: journal) }
        }
        return kept
    }

    /// `{ARN: {"events": N, "sizeBytes": B}}` for the state JSON's `"archives"` key.
    public func stateJSON() -> JSONValue {
        .object(JSONObject(all.map { JSONObject.Member(key: $0.arn, value: $0.stateJSON()) }))
    }
}
