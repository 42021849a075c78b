import Synchronization

/// What the queues of one registry share and read on every operation — the arrival signal, the
/// driver's deadlines, the journal, whether long polls have ended — plus a weak way back to the
/// registry for the rare lookups (a dead-letter queue, a queue's attribute record).
///
/// The registry holds its queues, and each queue holds this link rather than the registry, so
/// when a router is let go its registry and queues are freed together (a strong reference from
/// queue to registry made a cycle: every finished replay, scenario or test kept its queues).
final class QueueRegistryLink: Sendable {
    private struct Owner: @unchecked Sendable {
        weak var registry: QueueRegistry?
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

    /// The registry, while it exists.
    var registry: QueueRegistry? { owner.withLock { $0.registry } }

    /// Names the registry (once, at its creation).
    func attach(to registry: QueueRegistry) { owner.withLock { $0.registry = registry } }

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
