import Synchronization

/// The journal side of rule deliveries (issue 14 item 3): PutEvents submits one `event.accepted`
/// per call with its accepted (event, rule, target) deliveries before it answers; the scheduler
/// notes each delivery that settles (succeeded, dead-lettered or dropped) and each retry it
/// schedules, and submits them as one `delivery.done` / `delivery.attempt` record per batch of
/// attempts (``flush()``). After a crash, every accepted delivery without its `done` is
/// delivered again (at-least-once, as EventBridge), resuming its retries and next-attempt time.
/// Payloads are binary (``DeliveryRecordCodec``).
///
/// ``pending`` holds the accepted, unsettled deliveries, so a snapshot carries them on.
final class DeliveryJournal: Sendable {
    /// An accepted, unsettled delivery.
    struct Pending: Sendable {
        var event: Event
        var busArn: String
        /// When PutEvents accepted it, nanoseconds since the epoch (the event's age counts from here).
        var acceptedAt: Int64
        /// Retries so far, and when the next attempt is due (nil: the first attempt, due at once).
        var retries = 0
        var due: Int64?
        /// Arrival order (snapshots list pending deliveries in it).
        var order: UInt64 = 0
    }

    /// What the scheduler noted since the last ``flush()``, in order.
    private enum Change {
        case attempt(DeliveryRecordCodec.Attempt)
        case done(DeliveryKey)
    }

    private struct State {
        var pending: [DeliveryKey: Pending] = [:]
        var changes: [Change] = []
        var order: UInt64 = 0
    }

    let journal: any StateJournal
    private let state = Mutex(State())

    init(journal: any StateJournal, pending: [(DeliveryKey, Pending)] = []) {
        self.journal = journal
        state.withLock { s in
            for (key, entry) in pending {
                s.order += 1
                var entry = entry
                entry.order = s.order
                s.pending[key] = entry
            }
        }
    }

    /// The accepted, unsettled deliveries in arrival order.
    var pending: [(key: DeliveryKey, value: Pending)] {
        state.withLock { s in s.pending.sorted { $0.value.order < $1.value.order }.map { ($0.key, $0.value) } }
    }

    /// Records the deliveries of events just accepted at `acceptedAt`; `requests` pairs each
    /// with its bus (the deliveries of one event are adjacent).
    func accepted(_ requests: [(DeliveryRequest, busArn: String)], at acceptedAt: Timestamp) -> StateJournalTicket {
        guard !requests.isEmpty else { return .none }
        let at = acceptedAt.nanosecondsSinceEpoch
        let payload = DeliveryRecordCodec.encodeAccepted(requests, at: at)
        state.withLock { s in
            for (r, busArn) in requests {
                s.order += 1
                s.pending[DeliveryKey(r)] = Pending(event: r.event, busArn: busArn, acceptedAt: at, order: s.order)
                r.markJournaled()
            }
        }
        // Submitted after the lock: the deliveries are pending before their record is in the
        // journal, so a snapshot whose roll comes after the record sees them, and nothing about
        // them (a message record, `delivery.done`) is submitted before it: they are scheduled
        // once this returns.
        return journal.submit([StateRecord(type: StateRecordType.eventAccepted.rawValue, payload: payload)])
    }

    /// Marks those of `requests` (deliveries made again after a recovery) that are pending here
    /// (``DeliveryRequest/isJournaled``).
    func markPending(_ requests: [DeliveryRequest]) {
        state.withLock { s in
            for r in requests where s.pending[DeliveryKey(r)] != nil { r.markJournaled() }
        }
    }

    /// Notes that a delivery settled (only one that was journaled as accepted); submitted at
    /// ``flush()``, unless the `message.put.event` record of its message settles it already
    /// (``DeliveryRequest/isSettledByMessage``).
    func done(_ r: DeliveryRequest) {
        let key = DeliveryKey(r)
        let recorded = r.isSettledByMessage
        state.withLock { s in
            guard s.pending.removeValue(forKey: key) != nil, !recorded else { return }
            s.changes.append(.done(key))
        }
    }

    /// Notes that a delivery failed and its next attempt (after `retries` retries) is due at
    /// `due`; submitted at ``flush()``.
    func retry(_ r: DeliveryRequest, retries: Int, due: Timestamp) {
        let key = DeliveryKey(r)
        state.withLock { s in
            guard s.pending[key] != nil else { return }
            s.pending[key]?.retries = retries
            s.pending[key]?.due = due.nanosecondsSinceEpoch
            s.changes.append(.attempt(.init(key: key, retries: retries, due: due.nanosecondsSinceEpoch)))
        }
    }

    /// Submits what was noted since the last flush: one record per run of the same kind, in
    /// order. Nobody awaits them: a settled delivery whose `done` is lost is delivered again.
    func flush() {
        state.withLock { s in
            guard !s.changes.isEmpty else { return }
            var records: [StateRecord] = []
            var attempts: [DeliveryRecordCodec.Attempt] = []
            var done: [DeliveryKey] = []
            func close() {
                if !attempts.isEmpty {
                    records.append(StateRecord(type: StateRecordType.deliveryAttempt.rawValue, payload: DeliveryRecordCodec.encode(attempts: attempts)))
                    attempts.removeAll()
                }
                if !done.isEmpty {
                    records.append(StateRecord(type: StateRecordType.deliveryDone.rawValue, payload: DeliveryRecordCodec.encode(done: done)))
                    done.removeAll()
                }
            }
            for change in s.changes {
                switch change {
                case .attempt(let a):
                    if !done.isEmpty { close() }
                    attempts.append(a)
                case .done(let k):
                    if !attempts.isEmpty { close() }
                    done.append(k)
                }
            }
            close()
            s.changes.removeAll(keepingCapacity: true)
            _ = journal.submit(records)
        }
    }

    /// The snapshot's `"deliveries"` section: `[{"k", "e", "b", "r", "t", "a", "n", "d"}]`
    /// (key text, envelope, bus, rule, target id, accepted at, retries, next attempt; numbers as
    /// strings, times in nanoseconds since the epoch).
    func snapshotJSON() -> JSONValue {
        .array(pending.map { key, p in
            var o: JSONObject = ["k": .string(key.text), "e": p.event.json, "b": .string(p.busArn), "r": .string(key.ruleArn),
                                 "t": .string(key.targetId), "a": .string(String(p.acceptedAt))]
            if p.retries > 0 { o["n"] = .string(String(p.retries)) }
            if let due = p.due { o["d"] = .string(String(due)) }
            return .object(o)
        })
    }
}
