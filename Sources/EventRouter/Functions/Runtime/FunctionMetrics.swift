import Synchronization

/// Per-function counters: invocations, errors, throttles, concurrency and durations.
///
/// Also the reserved-concurrency gate: ``tryBegin(limit:)`` admits an invocation only while
/// fewer than `limit` are in flight, so the measured ``Snapshot/maxConcurrent`` can be checked
/// against the reservation.
public final class FunctionMetrics: Sendable {
    /// A consistent copy of the counters.
    public struct Snapshot: Sendable, Equatable {
        /// Invocations started (each retry counts).
        public var invocations = 0
        /// Invocations that ended in a function error or timeout.
        public var errors = 0
        /// Of ``errors``, the timeouts.
        public var timeouts = 0
        /// Attempts refused for lack of concurrency.
        public var throttles = 0
        /// Invocations running now.
        public var inFlight = 0
        /// The most invocations ever running at once.
        public var maxConcurrent = 0
        /// Asynchronous events accepted.
        public var asyncEventsQueued = 0
        /// Invocation records / dead-letter messages sent, and those the destination refused.
        public var destinationDeliveries = 0
        public var destinationFailures = 0
        /// Events dropped after failing with no failure destination or dead-letter queue.
        public var dropped = 0
        /// Durations of finished invocations, in nanoseconds, in completion order.
        public var durations: [Int64] = []

        /// The `p`-th percentile (0–100) of the durations in milliseconds, nearest-rank; `nil` without data.
        public func durationPercentileMilliseconds(_ p: Double) -> Double? {
            guard !durations.isEmpty else { return nil }
            let sorted = durations.sorted()
            let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
            return Double(sorted[min(max(rank, 1), sorted.count) - 1]) / 1e6
        }
    }

    private let state = Mutex(Snapshot())

    public init() {}

    /// A copy of the counters.
    public var snapshot: Snapshot { state.withLock { $0 } }

    /// Starts an invocation when fewer than `limit` are in flight (`nil`: no limit); otherwise
    /// counts a throttle and returns false.
    public func tryBegin(limit: Int?) -> Bool {
        state.withLock { s in
            if let limit, s.inFlight >= limit {
                s.throttles += 1
                return false
            }
            s.inFlight += 1
            s.invocations += 1
            s.maxConcurrent = max(s.maxConcurrent, s.inFlight)
            return true
        }
    }

    /// Ends an invocation started by ``tryBegin(limit:)``.
    public func end(duration: Duration, error: FunctionError?) {
        state.withLock { s in
            s.inFlight -= 1
            if let error {
                s.errors += 1
                if error.isTimeout { s.timeouts += 1 }
            }
            if s.durations.count < 1_000_000 { s.durations.append(duration.nanoseconds) }
        }
    }

    /// Gives back a slot taken by ``tryBegin(limit:)`` whose invocation never ran.
    public func abandon() {
        state.withLock { s in
            s.inFlight -= 1
            s.invocations -= 1
        }
    }

    /// Counts a throttle decided elsewhere (reserved concurrency 0).
    public func countThrottle() { state.withLock { $0.throttles += 1 } }
    func countQueued() { state.withLock { $0.asyncEventsQueued += 1 } }
    func countDestination(delivered: Bool) {
        state.withLock { s in
            if delivered { s.destinationDeliveries += 1 } else { s.destinationFailures += 1 }
        }
    }
    func countDropped() { state.withLock { $0.dropped += 1 } }

    /// The counters as the "functions" entry of the state JSON:
    /// `{"invocations", "errors", "throttles", "maxConcurrent", …}` plus duration percentiles.
    public func stateJSON() -> JSONValue {
        let s = snapshot
        var o = JSONObject()
        o["invocations"] = .number(JSONNumber(s.invocations))
        o["errors"] = .number(JSONNumber(s.errors))
        o["throttles"] = .number(JSONNumber(s.throttles))
        o["maxConcurrent"] = .number(JSONNumber(s.maxConcurrent))
        o["timeouts"] = .number(JSONNumber(s.timeouts))
        o["destinationDeliveries"] = .number(JSONNumber(s.destinationDeliveries))
        o["dropped"] = .number(JSONNumber(s.dropped))
        for (key, p) in [("durationP50Ms", 50.0), ("durationP90Ms", 90.0), ("durationP99Ms", 99.0)] {
            if let v = s.durationPercentileMilliseconds(p) { o[key] = .number(JSONNumber(v)) }
        }
        return .object(o)
    }

    /// The "functions" key of the state JSON: `{ARN: {"invocations", "errors", "throttles", "maxConcurrent", …}}`.
    public static func stateJSON(_ runtimes: [FunctionRuntime]) -> JSONValue {
        .object(JSONObject(runtimes.sorted { $0.arn < $1.arn }.map { .init(key: $0.arn, value: $0.metrics.stateJSON()) }))
    }
}
