/// A token bucket per API destination on the injected clock: `InvocationRateLimitPerSecond`
/// tokens a second, at most one second's worth saved up. A delivery without a token is
/// deferred to when the next one is there (``DeliveryOutcome/deferred(until:)``), never dropped.
public struct InvocationRateLimiter: Sendable, Hashable {
    public var ratePerSecond: Int
    /// Tokens available at ``updatedAt``, in thousandths (whole arithmetic, no drift).
    private var milliTokens: Int64
    private var updatedAt: Timestamp

    public init(ratePerSecond: Int, now: Timestamp) {
        self.ratePerSecond = max(1, ratePerSecond)
        self.milliTokens = Int64(self.ratePerSecond) * 1000
        self.updatedAt = now
    }

    /// Takes a token at `now`: `nil` when one was there, otherwise the time the next one will be.
    public mutating func take(now: Timestamp) -> Timestamp? {
        refill(now: now)
        if milliTokens >= 1000 {
            milliTokens -= 1000
            return nil
        }
        // Nanoseconds until 1000 milli-tokens: (1000 - have) milli-tokens at rate*1000 a second.
        let missing = 1000 - milliTokens
        let nanoseconds = (missing * 1_000_000_000 + Int64(ratePerSecond) * 1000 - 1) / (Int64(ratePerSecond) * 1000)
        return now + .nanoseconds(max(1, nanoseconds))
    }

    private mutating func refill(now: Timestamp) {
        guard now > updatedAt else { return }
        let elapsed = (now - updatedAt).nanoseconds
        let capacity = Int64(ratePerSecond) * 1000
        // milli-tokens gained = elapsed(ns) * rate * 1000 / 1e9, capped (elapsed is capped first, so no overflow).
        let gained = min(elapsed, 2_000_000_000) * Int64(ratePerSecond) / 1_000_000
        milliTokens = min(capacity, milliTokens + gained)
        updatedAt = now
    }
}
