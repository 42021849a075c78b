/// The scheduler's side of the deliveries' journal (``DeliveryJournal``, docs/durability.md
/// "Deliveries"): each retry scheduled and each delivery settled is noted there and submitted
/// once per batch of attempts (``DeliveryJournal/flush()``, called by the run loops); recovery
/// schedules pending deliveries with the retries and next-attempt time they had.
extension DeliveryScheduler {
    /// Notes a dead-letter message's outcome: the delivery settled either way.
    func journalSettled(_ r: DeliveryRequest) {
        journal.withLock { $0 }?.done(r)
    }

    /// Notes what an attempt's outcome decided: settled (succeeded, dropped), or retried (with the
    /// retries so far and the due time). A dead-letter message is settled when it is sent.
    func journalOutcome(_ r: DeliveryRequest, _ action: DeliveryStateMachine.Action) {
        switch action {
        case .succeeded, .drop: journal.withLock { $0 }?.done(r)
        case .retry(let due, let retries): journal.withLock { $0 }?.retry(r, retries: retries, due: due)
        case .deadLetter: break
        }
    }

    /// Schedules recovered deliveries: each with the retries it had made and its next-attempt
    /// time (`resume` answers nil for a first attempt, due now). Those pending in the journal are
    /// marked so (``DeliveryRequest/isJournaled``).
    func enqueue(_ requests: [DeliveryRequest], resume: (DeliveryRequest) -> (retries: Int, due: Timestamp)?) {
        guard !requests.isEmpty else { return }
        journal.withLock { $0 }?.markPending(requests)
        let now = clock.now.nanosecondsSinceEpoch
        state.withLock { s in
            for r in requests {
                let (retries, due) = resume(r).map { ($0.retries, $0.due.nanosecondsSinceEpoch) } ?? (0, now)
                s.sequence += 1
                s.heap.push(Item(due: due, sequence: s.sequence, retries: retries, request: r, kind: .attempt))
            }
        }
        wake.signal()
    }

    /// The delivery a queue journals its message as a reference to (``TargetDelivery/journaledRequest``):
    /// `r` when it is pending in the journal and `body` is the event's own text (no input
    /// shaping; the same string, so the comparison is one check).
    static func journaledRequest(_ r: DeliveryRequest, body: String) -> DeliveryRequest? {
        r.isJournaled && body == r.event.jsonText ? r : nil
    }
}
