extension MessageQueue {
    /// When the next delayed or in-flight message becomes visible (may be a stale, earlier time).
    var nextVisibilityDeadline: Timestamp? { core.withLock { $0.machine.nextVisibilityChange } }
}
