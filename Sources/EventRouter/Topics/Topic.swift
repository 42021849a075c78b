import Synchronization

/// An SNS-like topic: ``TopicState`` behind a lock, with an injected clock.
///
/// Publish decides which subscriptions get the message and in what form; delivering the
/// returned ``TopicDelivery`` values (with retries and the subscription's dead-letter queue) is
/// the delivery engine's job.
public final class Topic: Sendable {
    /// Name, FIFO settings and subscriptions.
    public let configuration: TopicConfiguration
    /// The clock that stamps `Timestamp` and runs the deduplication window.
    public let clock: any EventClock
    private let state: Mutex<TopicState>

    /// - Parameters:
    ///   - seed: seeds message ids (reproducible runs).
    ///   - contentHash: content-based deduplication id of a body — SNS uses SHA-256 (see ``TopicState``).
    public init(configuration: TopicConfiguration, clock: any EventClock, seed: UInt64 = 0,
                contentHash: @escaping @Sendable (String) -> String) {
        self.configuration = configuration
        self.clock = clock
        state = Mutex(TopicState(configuration: configuration, seed: seed, contentHash: contentHash))
    }

    /// The topic's ARN.
    public var arn: String { configuration.arn }

    /// Publish. See ``TopicState/publish(_:now:)``.
    public func publish(_ request: TopicPublishRequest) throws(TopicError) -> TopicPublishResult {
        let now = clock.now
        return try state.withLock { (s: inout TopicState) throws(TopicError) -> TopicPublishResult in try s.publish(request, now: now) }
    }
}
