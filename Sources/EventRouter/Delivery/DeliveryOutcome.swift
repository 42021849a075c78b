/// What a target reports for one delivery attempt: the one outcome type of every delivery path
/// (rule targets, topic subscriptions, function destinations, dead-letter queues, bus forwarding).
///
/// Each caller maps it onto its own service's rules: the rule scheduler retries a `retriable`
/// failure with backoff and dead-letters a `nonRetriable` one at once; SNS retries a
/// `retriable` (server-side) failure by its delivery policy and dead-letters a `nonRetriable`
/// (client-side) one; Lambda counts any failure as a destination failure.
public enum DeliveryOutcome: Sendable, Hashable {
    /// Delivered.
    case success
    /// A transient failure (throttling, target unavailable, timeout): retried with backoff.
    case retriable(code: String, message: String)
    /// A permanent failure (no permission, resource missing): straight to the dead-letter queue.
    case nonRetriable(code: String, message: String)
    /// A transient failure whose answer asked for a later retry (HTTP `Retry-After`): retried
    /// like `retriable`, but not before `after` has passed (nor before the backoff's delay).
    case retriableAfter(code: String, message: String, after: Duration)
    /// Not attempted: the target's rate limit defers the delivery to `until`. Not a retry and
    /// not a failure; the scheduler tries again then (deliveries beyond a rate are delayed, not dropped).
    case deferred(until: Timestamp)

    /// The AWS error code, if the attempt failed.
    public var errorCode: String? {
        switch self {
        case .success, .deferred: return nil
        case .retriable(let code, _), .nonRetriable(let code, _), .retriableAfter(let code, _, _): return code
        }
    }

    /// The error message, if the attempt failed.
    public var errorMessage: String? {
        switch self {
        case .success, .deferred: return nil
        case .retriable(_, let message), .nonRetriable(_, let message), .retriableAfter(_, let message, _): return message
        }
    }

    /// Common EventBridge error codes.
    public enum Code {
        public static let noResource = "NO_RESOURCE"
        public static let noPermissions = "NO_PERMISSIONS"
        public static let throttling = "THROTTLING"
        public static let timeout = "TIMEOUT"
        public static let connectionFailure = "CONNECTION_FAILURE"
        public static let invalidInput = "INVALID_INPUT"
        public static let internalFailure = "INTERNAL_FAILURE"
    }
}
