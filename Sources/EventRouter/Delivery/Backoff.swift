/// Exponential backoff with full jitter: the n-th retry (n = 1, 2, …) waits a uniformly random
/// time in `[0, min(cap, base · 2^(n-1))]`.
///
/// EventBridge does not publish its numbers, only that the default policy makes 185 retries
/// within 24 hours. The defaults here, 1 s doubling up to a 12-minute cap, spread 185 retries
/// over about 17.6 hours on average (the first ten wait ~8.5 minutes in all, the other 175
/// average 6 minutes each; standard deviation under an hour), so the default policy runs all
/// 185 retries well inside its 24-hour maximum age, and a shorter `MaximumEventAgeInSeconds`
/// is what ends earlier.
public struct Backoff: Sendable, Hashable {
    /// The ceiling of the first retry's delay.
    public var base: Duration
    /// The largest ceiling any retry's delay can have.
    public var cap: Duration

    public init(base: Duration = .seconds(1), cap: Duration = .seconds(720)) {
        self.base = base
        self.cap = cap
    }

    /// The ceiling of the delay before retry `retry` (1-based): `min(cap, base · 2^(retry-1))`.
    public func ceiling(forRetry retry: Int) -> Duration {
        let exponent = max(0, retry - 1)
        let baseNanos = base.nanoseconds
        let capNanos = cap.nanoseconds
        if exponent >= 62 { return cap }
        let (scaled, overflow) = baseNanos.multipliedReportingOverflow(by: Int64(1) << Int64(exponent))
        return .nanoseconds(overflow ? capNanos : min(capNanos, scaled))
    }

    /// The delay before retry `retry`, given a uniform random number `unit` in `0..<1`.
    public func delay(forRetry retry: Int, unit: Double) -> Duration {
        let ceiling = ceiling(forRetry: retry).nanoseconds
        let u = min(max(unit, 0), 1)
        return .nanoseconds(Int64(exactly: (Double(ceiling) * u).rounded(.down)) ?? ceiling)
    }
}
