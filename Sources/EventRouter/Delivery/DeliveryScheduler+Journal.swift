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
    /// time (`resume` answers nil for a first attempt, due now).
    func enqueue(_ requests: [DeliveryRequest], resume: (DeliveryRequest) -> (retries: Int, due: Timestamp)?) {
        guard !requests.isEmpty else { return }
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
}
