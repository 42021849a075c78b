/// A message to publish to a topic (SNS `Publish`).
public struct TopicPublishRequest: Sendable, Hashable {
    /// The message text (the router publishes event JSON).
    public var message: String
    /// Optional subject, at most 100 printable characters on one line.
    public var subject: String?
    /// Message attributes, by name.
    public var messageAttributes: [String: TopicMessageAttribute]
    /// Required for FIFO topics: the ordering group (1–128 characters).
    public var messageGroupId: String?
    /// FIFO topics: the deduplication id (required unless content-based deduplication is on).
    public var messageDeduplicationId: String?

    public init(message: String, subject: String? = nil, messageAttributes: [String: TopicMessageAttribute] = [:],
                messageGroupId: String? = nil, messageDeduplicationId: String? = nil) {
        self.message = message
        self.subject = subject
        self.messageAttributes = messageAttributes
        self.messageGroupId = messageGroupId
        self.messageDeduplicationId = messageDeduplicationId
    }

    /// Bytes counted against the 256 KiB limit: message plus each attribute's name, type and value.
    public var size: Int {
        messageAttributes.reduce(message.utf8.count) { $0 + $1.key.utf8.count + $1.value.dataType.utf8.count + $1.value.value.utf8.count }
    }
}

/// One message to hand to a subscriber, as the topic decided it.
///
/// SEAM (queues, functions): the router delivers ``body`` to ``endpoint`` — for `sqs` as an SQS
/// message with ``messageAttributes`` (raw delivery only), ``messageGroupId`` and
/// ``messageDeduplicationId`` (FIFO); for `lambda` as an asynchronous invocation with ``body`` as
/// the event — retries failures with backoff, and then sends the message to ``deadLetterTargetArn``.
public struct TopicDelivery: Sendable, Hashable {
    /// The subscription this delivery is for.
    public var subscriptionArn: String
    /// `sqs` or `lambda`.
    public var deliveryProtocol: SubscriptionConfiguration.DeliveryProtocol
    /// The queue or function ARN.
    public var endpoint: String
    /// The SNS envelope JSON, the raw message (raw delivery), or the Lambda SNS event JSON.
    public var body: String
    /// Raw delivery to SQS: the published attributes, to become SQS message attributes.
    public var messageAttributes: [String: TopicMessageAttribute]
    /// FIFO (or fair-queue) group id to pass to the queue.
    public var messageGroupId: String?
    /// FIFO deduplication id to pass to the queue.
    public var messageDeduplicationId: String?
    /// Where the message goes when delivery keeps failing.
    public var deadLetterTargetArn: String?
}

/// The answer to Publish.
public struct TopicPublishResult: Sendable, Hashable {
    /// The message id (the first one's, when this was a duplicate within 5 minutes).
    public var messageId: String
    /// FIFO topics: the message's sequence number (20 digits, increasing).
    public var sequenceNumber: String?
    /// The deliveries, one per subscription whose filter policy matched, in subscription order.
    public var deliveries: [TopicDelivery]
    /// Subscriptions skipped by their filter policy.
    public var filteredOut: Int
    /// Whether this publish repeated a deduplication id seen in the last 5 minutes (nothing delivered).
    public var duplicate: Bool

    /// `{"MessageId", "SequenceNumber"?}` as Publish answers.
    public var jsonValue: JSONValue {
        var o = JSONObject()
        o["MessageId"] = .string(messageId)
        if let sequenceNumber { o["SequenceNumber"] = .string(sequenceNumber) }
        return .object(o)
    }
}
