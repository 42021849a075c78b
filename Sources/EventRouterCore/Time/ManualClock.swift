import Synchronization

/// A clock that moves only when told to: tests advance it explicitly, and
/// `replay --virtual-time` jumps it to the next deadline whenever nothing is runnable.
///
/// Sleepers park on continuations; ``advance(by:)`` and ``advance(to:)`` resume, in deadline
/// order, every sleeper that has come due. ``waitForSleepers(_:)`` lets a test wait until the
/// code under test is parked before it advances, so there are no races and no real sleeping.
public final class ManualClock: EventClock {
    private struct State {
        var now: Timestamp
        var sleepers = ClockSleepers()
        var waiters: [(id: UInt64, count: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var nextWaiter: UInt64 = 0
        var parking: WakeSignal?
    }

    private let state: Mutex<State>

    /// A clock that starts at `start` (default 2024-01-01T00:00:00Z).
    public init(start: Timestamp = Timestamp(nanosecondsSinceEpoch: 1_704_067_200_000_000_000)) {
        state = Mutex(State(now: start))
    }

    public var now: Timestamp { state.withLock { $0.now } }

    /// The number of tasks currently sleeping on this clock.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// From now on, signals `wake` each time a task parks on this clock (a ``TimeDriver``
    /// waiting for handlers to park listens to it).
    public func signalParking(to wake: WakeSignal) { state.withLock { $0.parking = wake } }

    /// The earliest deadline any sleeper waits for, if one is sleeping.
    public var nextDeadline: Timestamp? { state.withLock { $0.sleepers.nextDeadline } }

    public func sleep(until deadline: Timestamp) async throws {
        let id = state.withLock { $0.sleepers.makeID() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let action: (resumeNow: Bool, cancelled: Bool, waiters: [CheckedContinuation<Void, Never>], parking: WakeSignal?) = state.withLock { s in
                    if Task.isCancelled { return (true, true, [], nil) }
                    if deadline <= s.now { return (true, false, [], nil) }
                    s.sleepers.park(id: id, deadline: deadline, continuation: continuation)
                    return (false, false, Self.takeSatisfiedWaiters(&s), s.parking)
                }
                if action.resumeNow {
                    if action.cancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                }
                for w in action.waiters { w.resume() }
                action.parking?.signal()
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.remove(id: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward by `duration` and wakes every sleeper that has come due.
    public func advance(by duration: Duration) {
        let target = now + duration
        advance(to: target)
    }

    /// Moves the clock to `target` (never backwards) and wakes every sleeper due by then,
    /// earliest deadline first.
    public func advance(to target: Timestamp) {
        let due = state.withLock { s in
            if target > s.now { s.now = target }
            return s.sleepers.takeDue(by: s.now)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Suspends until at least `count` tasks are sleeping on this clock, or the waiting task is
    /// cancelled (a test's time limit then ends a wait that would never end).
    public func waitForSleepers(_ count: Int) async {
        let id = state.withLock { s in
            s.nextWaiter += 1
            return s.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready: Bool = state.withLock { s in
                    if s.sleepers.count >= count || Task.isCancelled { return true }
                    s.waiters.append((id, count, continuation))
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { s in
                s.waiters.firstIndex { $0.id == id }.map { s.waiters.remove(at: $0).continuation }
            }
            waiter?.resume()
        }
    }

    private static func takeSatisfiedWaiters(_ s: inout State) -> [CheckedContinuation<Void, Never>] {
        var ready: [CheckedContinuation<Void, Never>] = []
        s.waiters.removeAll { w in
            if s.sleepers.count >= w.count {
                ready.append(w.continuation)
                return true
            }
            return false
        }
        return ready
    }
}
