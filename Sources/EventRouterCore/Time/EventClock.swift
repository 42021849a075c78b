/// The one source of time in EventRouter.
///
/// Timeouts, delays, visibility deadlines, retries and ages all read an injected clock:
/// ``SystemClock`` in production, ``ManualClock`` in tests and `replay --virtual-time`.
/// Check deadlines lazily against ``now`` where you can; sleep only to wait for the next one.
public protocol EventClock: Sendable {
    /// The current time.
    var now: Timestamp { get }
    /// Suspends until the clock reads `deadline` or later.
    /// - Throws: `CancellationError` when the task is cancelled while sleeping.
    func sleep(until deadline: Timestamp) async throws
}

extension EventClock {
    /// Suspends for `duration` of this clock's time.
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now + duration)
    }
}
