/// A delivery a topic gave up on: dead-lettered, or dropped for want of (or failure of) a
/// dead-letter queue. Kept so that nothing is lost silently.
public struct UndeliveredMessage: Sendable, Hashable {
    public var messageId: String
    public var subscriptionArn: String
    public var endpoint: String
    /// The last attempt's error code and message.
    public var errorCode: String
    public var errorMessage: String
    /// Attempts made.
    public var attempts: Int
    /// The dead-letter queue it went to (`nil`: dropped).
    public var deadLetterQueue: String?
    /// Why the dead-letter send failed, when it did (the message was dropped).
    public var deadLetterError: String?

    /// The log record of this give-up (category ``LogRecord/Category/undelivered``): a warning
    /// when it was dead-lettered, an error when it was dropped.
    public func logRecord(topicArn: String) -> LogRecord {
        var extra = ["topic": topicArn, "endpoint": endpoint, "code": errorCode, "attempts": String(attempts)]
        extra["deadLetterQueue"] = deadLetterQueue
        extra["deadLetterError"] = deadLetterError
        let dropped = deadLetterQueue == nil || deadLetterError != nil
        let outcome = dropped ? "dropped" + (deadLetterError.map { " (dead-letter send failed: \($0))" } ?? "") : "dead-lettered to \(deadLetterQueue ?? "")"
        return LogRecord(level: dropped ? .error : .warning,
                         message: "gave up on message \(messageId) for \(subscriptionArn) after \(attempts) attempts (\(errorCode): \(errorMessage)): \(outcome)",
                         metadata: LogMetadata(eventId: messageId, target: subscriptionArn, extra: extra), category: .undelivered)
    }

    public init(messageId: String, subscriptionArn: String, endpoint: String, errorCode: String, errorMessage: String,
                attempts: Int, deadLetterQueue: String?, deadLetterError: String? = nil) {
        self.messageId = messageId
        self.subscriptionArn = subscriptionArn
        self.endpoint = endpoint
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.attempts = attempts
        self.deadLetterQueue = deadLetterQueue
        self.deadLetterError = deadLetterError
    }
}
