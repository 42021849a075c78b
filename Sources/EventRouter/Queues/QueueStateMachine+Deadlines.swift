extension QueueStateMachine {
    /// The earliest raw timer entry (nanoseconds since the epoch): a delayed or in-flight message
    /// becoming visible, or a message expiring. May be stale (its message was deleted or received
    /// again), so it is never later than ``nextDeadline()``. O(1).
    var earliestTimerEntry: Int64? {
        switch (timers.firstDue, expiries.firstDue) {
        case (let a?, let b?): min(a, b)
        case (let a?, nil): a
        case (nil, let b?): b
        case (nil, nil): nil
        }
    }

    /// The exact time of the queue's next change by itself: a delayed message's delay ends, an
    /// in-flight message's visibility timeout ends (on a FIFO queue this also unlocks its
    /// group), or a message outlives the retention period. Stale timer entries at the front of
    /// the heaps (deleted messages, superseded visibility deadlines) are dropped first, so a
    /// driver never wakes for nothing. Deduplication ids expire too, but nothing observes that
    /// until the next send, which applies it lazily.
    mutating func nextDeadline() -> Timestamp? {
        while let key = timers.firstKey {
            if let m = messages[key.sequence], m.state != .visible, m.visibleAt.nanosecondsSinceEpoch == key.due { break }
            _ = timers.pop()
        }
        while let key = expiries.firstKey {
            if messages[key.sequence] != nil { break }
            _ = expiries.pop()
        }
        return earliestTimerEntry.map { Timestamp(nanosecondsSinceEpoch: $0) }
    }
}
