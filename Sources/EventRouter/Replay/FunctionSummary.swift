/// One function's counters in a ``ReplaySummary``.
public struct FunctionSummary: Sendable, Hashable {
    public var arn: String
    public var name: String
    public var invocations: Int
    public var errors: Int
    public var throttles: Int
    public var maxConcurrent: Int
    /// Records and dead-letter messages sent, and those no destination accepted.
    public var destinationDeliveries: Int
    public var destinationFailures: Int
    /// Events dropped after failing with no destination.
    public var dropped: Int
    /// Duration percentiles (p50, p90, p99) in milliseconds; `nil` without invocations.
    public var p50: Double?
    public var p90: Double?
    public var p99: Double?

    public init(runtime: FunctionRuntime) {
        let s = runtime.metrics.snapshot
        arn = runtime.arn
        name = runtime.manifest.name
        invocations = s.invocations
        errors = s.errors
        throttles = s.throttles
        maxConcurrent = s.maxConcurrent
        destinationDeliveries = s.destinationDeliveries
        destinationFailures = s.destinationFailures
        dropped = s.dropped
        p50 = s.durationPercentileMilliseconds(50)
        p90 = s.durationPercentileMilliseconds(90)
        p99 = s.durationPercentileMilliseconds(99)
    }

    /// `invocations 3, errors 1, throttles 0, max concurrent 1, p50/p90/p99 4.1/5.0/5.0 ms`
    public var text: String {
        var t = "invocations \(invocations), errors \(errors), throttles \(throttles), max concurrent \(maxConcurrent)"
        if let p50, let p90, let p99 { t += ", p50/p90/p99 \(Self.ms(p50))/\(Self.ms(p90))/\(Self.ms(p99)) ms" }
        if destinationDeliveries > 0 { t += ", \(destinationDeliveries) to destinations" }
        if destinationFailures > 0 { t += ", \(destinationFailures) destination failure\(destinationFailures == 1 ? "" : "s")" }
        if dropped > 0 { t += ", \(dropped) dropped" }
        return t
    }

    static func ms(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
