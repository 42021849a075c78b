/// The answer to `Publish`, with what happened to each subscription's delivery.
public struct PublishResult: Sendable, Hashable {
    /// What happened to one subscription's copy by the time `publish` returned.
    public enum Status: String, Sendable, Hashable {
        /// The endpoint accepted it.
        case delivered
        /// The filter policy did not match.
        case filteredOut
        /// A server-side error; a retry is scheduled on the clock.
        case retrying
        /// FIFO: queued behind an earlier message of the same group that is being retried.
        case waiting
        /// Sent to the subscription's dead-letter queue.
        case deadLettered
        /// Given up without a dead-letter queue (see ``Topic/undelivered``).
        case dropped
    }

    /// One subscription's outcome.
    public struct Delivery: Sendable, Hashable {
        public var subscriptionArn: String
        public var endpoint: String
        public var status: Status
        public init(subscriptionArn: String, endpoint: String, status: Status) {
            self.subscriptionArn = subscriptionArn
            self.endpoint = endpoint
            self.status = status
        }
    }

    /// `MessageId`.
    public var messageId: String
    /// `SequenceNumber` (FIFO topics).
    public var sequenceNumber: String?
    /// `true` when a FIFO topic recognised the message as a duplicate (the original's ids are
    /// returned and nothing is delivered again).
    public var deduplicated: Bool
    /// Per subscription, in subscription order (empty for a duplicate).
    public var deliveries: [Delivery]

    public init(messageId: String, sequenceNumber: String? = nil, deduplicated: Bool = false, deliveries: [Delivery] = []) {
        self.messageId = messageId
        self.sequenceNumber = sequenceNumber
        self.deduplicated = deduplicated
        self.deliveries = deliveries
    }

    /// `{"MessageId", "SequenceNumber"?, "Deduplicated"?, "Deliveries": [{"SubscriptionArn", "Endpoint", "Status"}]}`.
    public var json: JSONValue {
        var o = JSONObject()
        o["MessageId"] = .string(messageId)
        if let s = sequenceNumber { o["SequenceNumber"] = .string(s) }
        if deduplicated { o["Deduplicated"] = true }
        o["Deliveries"] = .array(deliveries.map {
            ["SubscriptionArn": .string($0.subscriptionArn), "Endpoint": .string($0.endpoint), "Status": .string($0.status.rawValue)]
        })
        return .object(o)
    }
}
