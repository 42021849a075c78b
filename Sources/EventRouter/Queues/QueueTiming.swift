import Synchronization

/// The bookkeeping that lets a ``QueueRegistry`` tell the ``TimeDriver`` its next deadline
/// cheaply (see `QueueRegistry+Timed.swift`).
///
/// Every queue operation marks the deadlines dirty; the next status read recomputes them
/// exactly (one lock per queue), other reads return the cached value. Once a driver has read
/// the deadline, an operation that schedules something earlier than what the driver saw asks
/// for a wake-up, so a driver sleeping on a real clock wakes to take the new deadline.
final class QueueTiming: Sendable {
    private static let none = Int64.max

    private struct Cache {
        var deadline: Int64 = QueueTiming.none
        /// The instant the registry last ran its due deadlines, and how often it ran then.
        var lastRun: Int64?
        var runsAtLastInstant = 0
    }

    private let dirty = Atomic<Bool>(true)
    /// The deadline a driver last read (`none`: none, or no driver has read one yet).
    private let reported = Atomic<Int64>(QueueTiming.none)
    private let driven = Atomic<Bool>(false)
    private let cache = Mutex(Cache())

    init() {}

    /// Whether a driver reads the registry's deadlines: then long polls leave visibility changes
    /// to it and sleep only until the end of their wait.
    var isDriven: Bool { driven.load(ordering: .relaxed) }

    /// A queue changed; `earliest` is its earliest timer entry now. Returns whether the driver
    /// must be woken (it saw a later deadline, or none).
    func queueChanged(earliest: Int64?) -> Bool {
        // Sequentially consistent with ``nextDeadline(at:compute:)``: either the reader sees
        // this change (and recomputes), or this change sees what the reader reported.
        if !dirty.load(ordering: .sequentiallyConsistent) { dirty.store(true, ordering: .sequentiallyConsistent) }
        guard let earliest, driven.load(ordering: .relaxed) else { return false }
        return earliest < reported.load(ordering: .sequentiallyConsistent)
    }

    /// The next deadline, recomputed with `compute` (nanoseconds since the epoch) when a queue
    /// changed since the last read. A deadline at or before the instant last run (only an
    /// operation during that instant can add one, e.g. a receive with `VisibilityTimeout` 0) is
    /// run once more at that instant, then put 1 ms later, so a poller and a queue never run
    /// each other forever at one instant.
    func nextDeadline(at now: Timestamp, compute: () -> Int64?) -> Timestamp? {
        if !driven.load(ordering: .relaxed) { driven.store(true, ordering: .relaxed) }
        let value: Int64 = cache.withLock { c in
            var d = c.deadline
            // A queue that changes while the deadline is computed marks it dirty again: compute
            // once more, so no change falls between the computation and what is reported.
            for _ in 0..<8 {
                if dirty.exchange(false, ordering: .sequentiallyConsistent) { c.deadline = compute() ?? Self.none }
                d = c.deadline
                if let last = c.lastRun, d <= last, last == now.nanosecondsSinceEpoch, c.runsAtLastInstant >= 2 { d = last &+ 1_000_000 }
                reported.store(d, ordering: .sequentiallyConsistent)
                if !dirty.load(ordering: .sequentiallyConsistent) { break }
            }
            return d
        }
        return value == Self.none ? nil : Timestamp(nanosecondsSinceEpoch: value)
    }

    /// The registry ran what was due at `now`.
    func ran(at now: Timestamp) {
        cache.withLock { c in
            let t = now.nanosecondsSinceEpoch
            c.runsAtLastInstant = c.lastRun == t ? c.runsAtLastInstant + 1 : 1
            c.lastRun = t
        }
        dirty.store(true, ordering: .releasing)
    }
}
