import Synchronization

/// The replays started through the API (`StartReplay`), by ARN, and the tasks that run them:
/// STARTING → RUNNING → COMPLETED (or CANCELLING → CANCELLED, or FAILED). A replay puts its
/// archived events back on the bus one one-minute bucket (by receipt time) at a time and
/// records its progress (`EventLastReplayedTime`) after each.
///
/// With a journal attached every change of a replay submits its whole ``ReplayRecord`` as a
/// `replay.put` record; after a crash, ``resume(_:)`` carries on each replay that had not ended
/// from the events received after its last replayed one (at least once: a bucket put but not yet
/// recorded is put again).
public final class ReplayRegistry: Sendable {
    private struct State {
        var replays: [String: ReplayRecord] = [:]
        var tasks: [Task<Void, Never>] = []
        var journal: (any StateJournal)?
    }

    /// The router replays put their events on.
    public let router: Router
    private let state = Mutex(State())

    public init(router: Router) { self.router = router }

    /// From now on every change of a replay submits its record to `journal`.
    public func attachJournal(_ journal: any StateJournal) { state.withLock { $0.journal = journal } }

    /// Whether a journal is attached.
    public var isJournaled: Bool { state.withLock { $0.journal != nil } }

    /// The replay with this ARN.
    public func replay(arn: String) -> ReplayRecord? { state.withLock { $0.replays[arn] } }

    /// Every replay, by ARN.
    public var all: [ReplayRecord] { state.withLock { $0.replays.values.sorted { $0.arn < $1.arn } } }

    /// Adds a replay unless one with its ARN exists; returns whether it was added (then call ``run(arn:)``).
    public func add(_ replay: ReplayRecord) -> Bool {
        let (added, ticket) = state.withLock { s -> (Bool, StateJournalTicket) in
            guard s.replays[replay.arn] == nil else { return (false, .none) }
            s.replays[replay.arn] = replay
            return (true, Self.submit(replay, to: s.journal))
        }
        StateJournalTickets.note(ticket)
        return added
    }

    /// Changes a replay (journaled when `change` changed it).
    /// - Returns: the replay as changed, `nil` when there is none.
    @discardableResult
    public func update(_ arn: String, _ change: (inout ReplayRecord) -> Void) -> ReplayRecord? {
        let (result, ticket) = state.withLock { s -> (ReplayRecord?, StateJournalTicket) in
            guard var r = s.replays[arn] else { return (nil, .none) }
            let before = r
            change(&r)
            guard r != before else { return (r, .none) }
            s.replays[arn] = r
            return (r, Self.submit(r, to: s.journal))
        }
        StateJournalTickets.note(ticket)
        return result
    }

    private static func submit(_ replay: ReplayRecord, to journal: (any StateJournal)?) -> StateJournalTicket {
        guard let journal else { return .none }
        return journal.submit([StateRecord(.replayPut, ["arn": .string(replay.arn), "r": replay.journalJSON])])
    }

    /// Puts recovered replays back (before a journal is attached) and runs those that had not
    /// ended: a CANCELLING one ends as CANCELLED, a STARTING or RUNNING one carries on.
    /// - Returns: how many were put back and how many carry on.
    @discardableResult
    public func resume(_ replays: [ReplayRecord]) -> (replays: Int, resumed: Int) {
        state.withLock { s in for r in replays { s.replays[r.arn] = r } }
        var resumed = 0
        for r in replays where !r.state.isTerminal {
            if r.state == .cancelling {
                update(r.arn) { $0.state = .cancelled; $0.ended = router.clock.now }
            } else {
                resumed += 1
                run(arn: r.arn)
            }
        }
        return (replays.count, resumed)
    }

    /// Runs the replay on a task of its own (in the background; ``waitForReplays()`` awaits it).
    public func run(arn: String) {
        // Detached: the request's ticket collector is not the replay's.
        let task = Task.detached { [self] in await self.replay(arn) }
        state.withLock { $0.tasks.append(task) }
    }

    /// Waits until every replay run so far has ended.
    public func waitForReplays() async {
        while true {
            let tasks = state.withLock { s in
                defer { s.tasks = [] }
                return s.tasks
            }
            if tasks.isEmpty { return }
            for task in tasks { await task.value }
        }
    }

    private func replay(_ arn: String) async {
        var begun = false
        guard let record = update(arn, { r in
            if r.state == .starting {
                r.state = .running
                r.stateReason = "Replay is running"
            }
            begun = r.state == .running
        }), begun else { return }
        let request = record.request
        guard let store = router.archives.archive(arn: request.archiveArn) else {
            finish(arn, .failed, reason: "Archive \(request.archiveArn) no longer exists")
            return
        }
        var events = store.events(from: request.eventStartTime, to: request.eventEndTime)
        if let last = record.lastReplayed { events.removeAll { $0.receivedAt <= last } }
        var machine = ReplayStateMachine(request: request, events: events)
        let options = BusPutOptions(ruleFilter: request.filterArns.isEmpty ? nil : Set(request.filterArns))
        loop: while true {
            if replay(arn: arn)?.state == .cancelling { machine.cancel() }
            switch machine.next() {
            case .put(let events, _, let last):
                for json in events {
                    do {
                        let event = try Event(envelope: json, defaults: router.defaults, now: router.clock.now, random: router.random)
                        try router.put(event, onBus: request.destinationBusArn, options: options)
                    } catch {
                        if error.code == .notFound {
                            machine.fail(error.message)
                            continue loop
                        }
                        // An event the bus refuses (too large…) is skipped, as EventBridge does.
                    }
                }
                update(arn) { $0.lastReplayed = last }
                await Task.yield()
            case .finished(let state):
                finish(arn, state, reason: machine.stateReason)
                break loop
            }
        }
    }

    private func finish(_ arn: String, _ state: ReplayState, reason: String?) {
        update(arn) { r in
            // A cancel that came while it ran ends it as CANCELLED (the events put so far stay put).
            r.state = r.state == .cancelling ? .cancelled : state
            r.stateReason = r.state == .cancelled ? "Cancelled by request" : reason ?? "Replay completed"
            r.ended = router.clock.now
        }
    }
}
