/// A target's `RetryPolicy`: how long and how often retriable failures are retried.
public struct RetryPolicy: Sendable, Hashable {
    /// `MaximumRetryAttempts`, 0–185 (default 185).
    public var maximumRetryAttempts: Int
    /// `MaximumEventAgeInSeconds`, 60–86,400 (default 86,400 = 24 h).
    public var maximumEventAgeInSeconds: Int

    public static let attemptsRange = 0...185
    public static let ageRange = 60...86_400

    /// EventBridge's defaults: 185 retries within 24 hours.
    public init(maximumRetryAttempts: Int = 185, maximumEventAgeInSeconds: Int = 86_400) {
        self.maximumRetryAttempts = maximumRetryAttempts
        self.maximumEventAgeInSeconds = maximumEventAgeInSeconds
    }

    /// The maximum event age as a duration.
    public var maximumEventAge: Duration { .seconds(maximumEventAgeInSeconds) }
}
