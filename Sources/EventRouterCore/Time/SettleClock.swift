import Synchronization

/// The clock function engines sleep on under virtual time: it reads the time of a
/// ``ManualClock`` (shared with the router, queues and streams) but keeps its own sleepers, so
/// the ``TimeDriver`` knows exactly how many function events are parked waiting for a retry and
/// is told (through its ``WakeSignal``) the moment one parks.
///
/// ``advance(to:)`` moves the manual clock and then wakes this clock's sleepers that came due,
/// earliest first.
public final class SettleClock: EventClock {
    private struct State {
        var sleepers = ClockSleepers()
    }

    /// The clock whose time this one reads and moves.
    public let base: ManualClock
    private let wake: WakeSignal
    private let state = Mutex(State())

    public init(base: ManualClock, wake: WakeSignal) {
        self.base = base
        self.wake = wake
    }

    public var now: Timestamp { base.now }

    /// Tasks sleeping on this clock.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The earliest deadline a sleeper waits for.
    public var nextDeadline: Timestamp? { state.withLock { $0.sleepers.nextDeadline } }

    public func sleep(until deadline: Timestamp) async throws {
        let id = state.withLock { $0.sleepers.makeID() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let base = self.base
                let (resumeNow, cancelled): (Bool, Bool) = state.withLock { s in
                    if Task.isCancelled { return (true, true) }
                    if deadline <= base.now { return (true, false) }
                    s.sleepers.park(id: id, deadline: deadline, continuation: continuation)
                    return (false, false)
                }
                if resumeNow {
                    if cancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                } else {
                    wake.signal()
                }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.remove(id: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the manual clock to `target` (never backwards), then wakes every sleeper of this
    /// clock due by then, earliest deadline first.
    public func advance(to target: Timestamp) {
        base.advance(to: target)
        let now = base.now
        let due = state.withLock { $0.sleepers.takeDue(by: now) }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
