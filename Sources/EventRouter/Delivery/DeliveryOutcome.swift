/// What a target reports for one delivery attempt.
public enum DeliveryOutcome: Sendable, Hashable {
    /// Delivered.
    case success
    /// A transient failure (throttling, target unavailable, timeout): retried with backoff.
    case retriable(code: String, message: String)
    /// A permanent failure (no permission, resource missing): straight to the dead-letter queue.
    case nonRetriable(code: String, message: String)

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
