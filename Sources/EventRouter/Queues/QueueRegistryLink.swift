import Synchronization

/// What the queues of one registry share and read on every operation — the arrival signal, the
/// driver's deadlines, the journal, whether long polls have ended — plus a weak way to the
/// registry's ``QueueTable`` for the rare lookup of a dead-letter queue.
///
/// The registry holds its queues, and each queue holds this link rather than the registry, so
/// when a router is let go its registry and queues are freed together (a strong reference from
/// queue to registry made a cycle: every finished replay, scenario or test kept its queues).
final class QueueRegistryLink: Sendable {
    private struct Owner: @unchecked Sendable {
        weak var table: QueueTable?
    }

    /// Signalled when a queue gains visible messages (nil: nobody is told).
    let arrivals: WakeSignal?
    /// The registry's deadlines as the ``TimeDriver`` reads them.
    let timing = QueueTiming()
    /// Set by ``QueueRegistry/endLongPolls()``: receives no longer wait.
    let longPollsEnded = Atomic<Bool>(false)
    private let owner = Mutex(Owner())
    /// The journal mutations go to; nil in memory.
    private let journalSlot = Mutex<(any StateJournal)?>(nil)
    /// Whether `journalSlot` holds a journal, read without its lock (every queue operation asks).
    private let hasJournal = Atomic<Bool>(false)

    init(arrivals: WakeSignal?) { self.arrivals = arrivals }

    /// The registry's queue with this ARN, while the registry exists.
    func queue(arn: String) -> MessageQueue? { owner.withLock { $0.table }?.queue(arn: arn) }

    /// Names the registry's queues (once, at its creation).
    func attach(to table: QueueTable) { owner.withLock { $0.table = table } }

    /// The attached journal, if any.
    var journal: (any StateJournal)? {
        guard hasJournal.load(ordering: .acquiring) else { return nil }
        return journalSlot.withLock { $0 }
    }

    /// From now on every queue mutation submits its records to `journal`.
    func attachJournal(_ journal: any StateJournal) {
        journalSlot.withLock { $0 = journal }
        hasJournal.store(true, ordering: .releasing)
    }
}
