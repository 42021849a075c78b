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

extension DeliveryRetryPolicy {
    /// SNS's default policy for HTTP/S endpoints: 3 retries 20 s apart.
    public static let httpDefault = DeliveryRetryPolicy(
        immediateRetries: 0, preBackoffRetries: 0, backoffRetries: 3, postBackoffRetries: 0,
        minimumDelay: .seconds(20), maximumDelay: .seconds(20))

    /// The `healthyRetryPolicy` of an SNS `DeliveryPolicy` document (HTTP/S subscriptions):
    /// `numRetries` (0–100), `numNoDelayRetries`, `numMinDelayRetries`, `numMaxDelayRetries`
    /// (their sum at most `numRetries`), `minDelayTarget` and `maxDelayTarget` (1–3,600 s,
    /// min ≤ max). `backoffFunction` is accepted; every function backs off geometrically here.
    /// - Throws: ``TopicError`` `InvalidParameter` naming the field and its bounds.
    public init(deliveryPolicy text: String) throws(TopicError) {
        // numRetries and friends are at most 100 each, delays at most 3,600 s: no overflow.
        let bad = { (what: String) in TopicError.invalidParameter("DeliveryPolicy: \(what)") }
        guard let root = (try? JSONParser.parse(text))?.objectValue else {
            throw bad("not a JSON object: write {\"healthyRetryPolicy\": {\"numRetries\": 3, \"minDelayTarget\": 20, \"maxDelayTarget\": 20}}.")
        }
        guard let value = root["healthyRetryPolicy"] else {
            self = .httpDefault
            return
        }
        guard let policy = value.objectValue else { throw bad("healthyRetryPolicy must be a JSON object.") }
        func int(_ key: String, _ range: ClosedRange<Int>, _ fallback: Int) throws(TopicError) -> Int {
            guard let v = policy[key] else { return fallback }
            guard let i = v.intValue, range.contains(i) else {
                throw bad("healthyRetryPolicy.\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound), got \(v.jsonText).")
            }
            return i
        }
        let total = try int("numRetries", 0...100, 3)
        let immediate = try int("numNoDelayRetries", 0...100, 0)
        let pre = try int("numMinDelayRetries", 0...100, 0)
        let post = try int("numMaxDelayRetries", 0...100, 0)
        let minimum = try int("minDelayTarget", 1...3600, 20)
        let maximum = try int("maxDelayTarget", 1...3600, 20)
        guard minimum <= maximum else { throw bad("healthyRetryPolicy.minDelayTarget (\(minimum)) must not exceed maxDelayTarget (\(maximum)).") }
        guard immediate + pre + post <= total else {
            throw bad("numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries (\(immediate + pre + post)) must not exceed numRetries (\(total)).")
        }
        self.init(immediateRetries: immediate, preBackoffRetries: pre, backoffRetries: total - immediate - pre - post,
                  postBackoffRetries: post, minimumDelay: .seconds(minimum), maximumDelay: .seconds(maximum))
    }
}
