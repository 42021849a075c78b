/// The tasks parked on a clock that moves only when told to: ``ManualClock`` and
/// ``SettleClock`` keep one inside their lock and share its bookkeeping.
struct ClockSleepers {
    /// A parked task: resumed when the clock reaches `deadline`, or with `CancellationError`.
    struct Sleeper {
        var id: UInt64
        var deadline: Timestamp
        var continuation: CheckedContinuation<Void, any Error>
    }

    private var nextID: UInt64 = 0
    private var sleepers: [Sleeper] = []

    /// How many tasks are parked.
    var count: Int { sleepers.count }

    /// The earliest deadline a parked task waits for.
    var nextDeadline: Timestamp? { sleepers.map(\.deadline).min() }

    /// A fresh id for a task about to park (ties on a deadline wake in id order).
    mutating func makeID() -> UInt64 {
        nextID += 1
        return nextID
    }

    mutating func park(id: UInt64, deadline: Timestamp, continuation: CheckedContinuation<Void, any Error>) {
        sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
    }

    /// Unparks the task `id` (it was cancelled); `nil` when it is no longer parked.
    mutating func remove(id: UInt64) -> Sleeper? {
        guard let i = sleepers.firstIndex(where: { $0.id == id }) else { return nil }
        return sleepers.remove(at: i)
    }

    /// Unparks every task due by `now`, earliest deadline first (ties in id order); the caller
    /// resumes them outside its lock.
    mutating func takeDue(by now: Timestamp) -> [Sleeper] {
        let ready = sleepers.filter { $0.deadline <= now }.sorted { ($0.deadline, $0.id) < ($1.deadline, $1.id) }
        sleepers.removeAll { $0.deadline <= now }
        return ready
    }
}
