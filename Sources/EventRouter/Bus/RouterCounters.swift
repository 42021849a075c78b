import Synchronization

/// The router's counters as atomics, so that concurrent PutEvents never wait on each other
/// to count. ``snapshot`` reads them into a ``RouterStatistics``.
final class RouterCounters: Sendable {
    let accepted = Atomic<Int>(0)
    let rejected = Atomic<Int>(0)
    let matchedEvents = Atomic<Int>(0)
    let ruleMatches = Atomic<Int>(0)
    let deliveriesScheduled = Atomic<Int>(0)
    let forwardsSuppressed = Atomic<Int>(0)

    /// Adds `amount` to `counter` (nothing when `amount` is 0).
    static func add(_ counter: borrowing Atomic<Int>, _ amount: Int) {
        if amount != 0 { counter.wrappingAdd(amount, ordering: .relaxed) }
    }

    var snapshot: RouterStatistics {
        var s = RouterStatistics()
        s.accepted = accepted.load(ordering: .relaxed)
        s.rejected = rejected.load(ordering: .relaxed)
        s.matchedEvents = matchedEvents.load(ordering: .relaxed)
        s.ruleMatches = ruleMatches.load(ordering: .relaxed)
        s.deliveriesScheduled = deliveriesScheduled.load(ordering: .relaxed)
        s.forwardsSuppressed = forwardsSuppressed.load(ordering: .relaxed)
        return s
    }
}
