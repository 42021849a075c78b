import Synchronization

/// The one wake-up primitive of EventRouter: a change counter with waiters.
///
/// ``signal()`` records a change and wakes every waiter. A waiter either waits for a change
/// from a ``generation`` it read (``wait(changedFrom:)``: any number of waiters, no change is
/// missed), or, as the single consumer of the signal, for a change since its last wait
/// returned (``wait()``: a signal sent while nobody waits is kept for the next wait). Both
/// waits end at once when the waiting task is cancelled.
///
/// Uses: the drive loop waiting for new work on a real clock, a long-polling receiver waiting
/// for a message, the settle loop waiting for function events to park.
public final class WakeSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var consumed: UInt64 = 0
        var nextWaiter: UInt64 = 0
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// The number of signals so far.
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// Records a change and wakes every waiter.
    public func signal() {
        let waiters = state.withLock { s in
            s.generation &+= 1
            defer { s.waiters.removeAll() }
            return s.waiters
        }
        for w in waiters { w.continuation.resume() }
    }

    /// Returns once ``generation`` differs from `seen` (at once if it already does), or when
    /// the task is cancelled.
    public func wait(changedFrom seen: UInt64) async {
        let id = state.withLock { s in
            s.nextWaiter &+= 1
            return s.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s in
                    if s.generation != seen || Task.isCancelled { return true }
                    s.waiters.append((id, c))
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { s in
                s.waiters.firstIndex { $0.id == id }.map { s.waiters.remove(at: $0).continuation }
            }
            waiter?.resume()
        }
    }

    /// Returns once ``generation`` differs from `seen`, `clock` reaches `deadline`, or the task
    /// is cancelled, whichever comes first.
    public func wait(changedFrom seen: UInt64, orUntil deadline: Timestamp, on clock: any EventClock) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await clock.sleep(until: deadline) }
            group.addTask { await self.wait(changedFrom: seen) }
            await group.next()
            group.cancelAll()
        }
    }

    /// For the single consumer of this signal: returns once it has been signalled since the
    /// previous `wait()` returned (at once if it already has), or when the task is cancelled.
    public func wait() async {
        let seen = state.withLock { $0.consumed }
        await wait(changedFrom: seen)
        state.withLock { $0.consumed = $0.generation }
    }
}
