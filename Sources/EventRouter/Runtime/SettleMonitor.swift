import Synchronization

/// A change counter with waiters: components ``bump()`` it whenever something a settle loop
/// waits for happens (a function event starts waiting for a retry or settles), and the loop
/// waits for a change from a generation it read, so no change is ever missed.
public final class SettleMonitor: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// The number of changes so far.
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// Records a change and wakes every waiter.
    public func bump() {
        let waiters = state.withLock { s in
            s.generation &+= 1
            defer { s.waiters.removeAll() }
            return s.waiters
        }
        for w in waiters { w.resume() }
    }

    /// Returns once ``generation`` differs from `generation` (at once if it already does).
    public func wait(changedFrom generation: UInt64) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s in
                if s.generation != generation { return true }
                s.waiters.append(c)
                return false
            }
            if now { c.resume() }
        }
    }
}
