/// A message a topic has accepted (``Topic/accept(_:)``) and not fanned out yet (``Topic/fanOut(_:)``).
public struct AcceptedPublish: Sendable {
    /// The answer to the publisher: `MessageId`, `SequenceNumber` (FIFO), and whether it was a duplicate.
    public let result: PublishResult
    let message: TopicMessage
    /// The topic's subscriptions and attributes when the message was accepted.
    let configuration: TopicConfiguration
    let timestamp: Timestamp
    let dedupId: String?
}
