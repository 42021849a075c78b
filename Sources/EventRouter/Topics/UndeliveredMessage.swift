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
