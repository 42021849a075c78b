/// The queues as a ``TimedComponent`` of the runtime's one ``TimeDriver``.
///
/// Every queue applies its deadlines lazily on each operation (a receive at time T sees every
/// message visible at T). The registry also reports the earliest deadline of all its queues (a
/// delay ending, a visibility timeout ending, which on a FIFO queue unlocks the group, a
/// message outliving the retention period) and applies it when the driver reaches it, so
/// parked long polls and, on a real clock, idle event source mappings are woken at that
/// instant rather than at the next unrelated operation. Held messages are not pending work:
/// settling does not wait for them.
extension QueueRegistry: TimedComponent {
    public var timedRole: TimedRole { .scheduled }

    /// Applies the deadlines due at `now` in every queue that has one (in order of creation);
    /// returns how many queues changed.
    public func runDue(at now: Timestamp) async -> Int {
        runDueNow(at: now)
    }

    /// ``runDue(at:)`` without suspending.
    @discardableResult
    public func runDueNow(at now: Timestamp) -> Int {
        var changed = 0
        for queue in queues where queue.applyDeadlines(at: now) { changed += 1 }
        timing.ran(at: now)
        return changed
    }

    public func timedStatus(at now: Timestamp) async -> TimedStatus { status(at: now) }

    /// The status is known without suspending (locks only): the driver reads it at every clock jump.
    public func timedStatusNow(at now: Timestamp) -> TimedStatus? { status(at: now) }

    /// Nothing pending, and the earliest deadline of any queue.
    private func status(at now: Timestamp) -> TimedStatus {
        TimedStatus(pending: 0, nextDeadline: nextDeadline(at: now))
    }

    /// The earliest time any queue changes by itself (see ``QueueStateMachine/nextDeadline()``).
    public func nextDeadline(at now: Timestamp) -> Timestamp? {
        timing.nextDeadline(at: now) {
            var earliest: Int64?
            for queue in queues {
                guard let d = queue.exactNextDeadline()?.nanosecondsSinceEpoch else { continue }
                if earliest.map({ d < $0 }) ?? true { earliest = d }
            }
            return earliest
        }
    }
}

extension MessageQueue {
    /// The queue's next deadline, exact (stale timer entries dropped); `nil` once deleted.
    func exactNextDeadline() -> Timestamp? {
        core.withLock { c in c.deleted ? nil : c.machine.nextDeadline() }
    }

    /// Applies the deadlines due at `now` when there are any (waking parked receivers if
    /// messages became visible); returns whether there were.
    func applyDeadlines(at now: Timestamp) -> Bool {
        let due = (try? withMachine { (m: inout QueueStateMachine) throws(QueueError) -> Bool in
            guard let next = m.nextDeadline(), next <= now else { return false }
            m.tick(now)
            return true
        }) ?? false
        return due
    }
}
