#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SNS's delivery policy: the retries after a server-side error, in four phases.
///
/// ``awsManagedEndpoints`` is the fixed policy SNS uses for SQS and Lambda endpoints: 3
/// immediate retries, 2 retries 1 s apart, 10 retries backing off exponentially from 1 s to
/// 20 s, then 100,000 retries 20 s apart — 100,015 retries over about 23 days. Only HTTP/S
/// policies are customisable in SNS; here any policy may be injected (tests use short ones).
///
/// The backoff phase's delays grow geometrically from `minimumDelay` to `maximumDelay`
/// (delay *i* of *n* = min·(max/min)^(i/(n−1))), SNS's "exponential" backoff function.
public struct DeliveryRetryPolicy: Sendable, Hashable {
    /// Retries with no delay right after the first attempt (`numNoDelayRetries`).
    public var immediateRetries: Int
    /// Retries `minimumDelay` apart before backing off (`numMinDelayRetries`).
    public var preBackoffRetries: Int
    /// Retries with exponentially growing delay (`numRetries` minus the other phases).
    public var backoffRetries: Int
    /// Retries `maximumDelay` apart at the end (`numMaxDelayRetries`).
    public var postBackoffRetries: Int
    /// `minDelayTarget`.
    public var minimumDelay: Duration
    /// `maxDelayTarget`.
    public var maximumDelay: Duration
    /// Jitter as a fraction of each delay (0 = none); drawn from the topic's seeded generator.
    public var jitter: Double

    public init(immediateRetries: Int, preBackoffRetries: Int, backoffRetries: Int, postBackoffRetries: Int,
                minimumDelay: Duration, maximumDelay: Duration, jitter: Double = 0) {
        self.immediateRetries = max(0, immediateRetries)
        self.preBackoffRetries = max(0, preBackoffRetries)
        self.backoffRetries = max(0, backoffRetries)
        self.postBackoffRetries = max(0, postBackoffRetries)
        self.minimumDelay = minimumDelay
        self.maximumDelay = max(minimumDelay, maximumDelay)
        self.jitter = min(max(jitter, 0), 1)
    }

    /// SNS's policy for AWS-managed endpoints (SQS, Lambda): 100,015 retries over ~23 days.
    public static let awsManagedEndpoints = DeliveryRetryPolicy(
        immediateRetries: 3, preBackoffRetries: 2, backoffRetries: 10, postBackoffRetries: 100_000,
        minimumDelay: .seconds(1), maximumDelay: .seconds(20))

    /// No retries: the first server-side error dead-letters the message.
    public static let none = DeliveryRetryPolicy(immediateRetries: 0, preBackoffRetries: 0, backoffRetries: 0, postBackoffRetries: 0, minimumDelay: .seconds(1), maximumDelay: .seconds(1))

    /// Retries in all phases.
    public var maximumRetries: Int { immediateRetries + preBackoffRetries + backoffRetries + postBackoffRetries }

    /// The delay before retry number `retry` (1-based), before jitter; `nil` past the last retry.
    public func delay(beforeRetry retry: Int) -> Duration? {
        guard retry >= 1 else { return .zero }
        var n = retry
        if n <= immediateRetries { return .zero }
        n -= immediateRetries
        if n <= preBackoffRetries { return minimumDelay }
        n -= preBackoffRetries
        if n <= backoffRetries {
            guard backoffRetries > 1 else { return minimumDelay }
            let lo = Self.seconds(minimumDelay), hi = Self.seconds(maximumDelay)
            let exponent = Double(n - 1) / Double(backoffRetries - 1)
            return Self.duration(lo * pow(hi / lo, exponent))
        }
        n -= backoffRetries
        if n <= postBackoffRetries { return maximumDelay }
        return nil
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    static func duration(_ seconds: Double) -> Duration {
        .nanoseconds(Int64(exactly: (seconds * 1e9).rounded()) ?? (seconds > 0 ? .max : 0))
    }
}
