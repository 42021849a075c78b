/// One subscription of a topic: where its messages go and which ones.
///
/// Built from an entry of a topic's `Subscription` list by
/// ``TopicConfiguration/init(json:account:region:)``.
public struct SubscriptionConfiguration: Sendable, Hashable {
    /// The delivery protocols EventRouter supports.
    public enum EndpointProtocol: String, Sendable, Hashable, CaseIterable {
        /// An SQS queue; `Endpoint` is the queue ARN.
        case sqs
        /// A handler function (Lambda); `Endpoint` is the function ARN.
        case lambda
        /// An HTTP endpoint (`Endpoint` is its `http://` URL), confirmed by SNS's handshake.
        case http
        /// An HTTPS endpoint (`Endpoint` is its `https://` URL), confirmed by SNS's handshake.
        case https

        /// Whether the endpoint is a URL that must confirm the subscription.
        public var isHTTP: Bool { self == .http || self == .https }
    }

    /// `Protocol`.
    public var endpointProtocol: EndpointProtocol
    /// `Endpoint`: the queue or function ARN.
    public var endpoint: String
    /// `FilterPolicy` (with its scope), or `nil` to receive every message.
    public var filterPolicy: FilterPolicy?
    /// `RawMessageDelivery`: deliver the bare message (attributes as SQS message attributes)
    /// instead of the SNS JSON envelope. SQS only.
    public var rawMessageDelivery: Bool
    /// `RedrivePolicy.deadLetterTargetArn`: the SQS queue for messages that cannot be delivered.
    public var deadLetterTargetArn: String?
    /// The subscription's ARN, `TOPIC_ARN:UUID` (the UUID derived from the topic, protocol,
    /// endpoint and position, so it is the same on every load).
    public var arn: String
    /// `PendingConfirmation`: an HTTP/S subscription receives nothing until it is confirmed with
    /// its ``confirmationToken`` (`ConfirmSubscription`). Subscriptions from files are confirmed.
    public var pendingConfirmation: Bool
    /// The token sent in the `SubscriptionConfirmation` message (HTTP/S subscriptions).
    public var confirmationToken: String?
    /// `DeliveryPolicy.healthyRetryPolicy` (HTTP/S only); `nil`: the protocol's default policy
    /// (``DeliveryRetryPolicy/defaultPolicy(for:)``).
    public var retryPolicy: DeliveryRetryPolicy?
    /// Attributes stored and returned as given, with no local effect (`DeliveryPolicy` text,
    /// `SubscriptionRoleArn`, `ReplayPolicy`).
    public var storedAttributes: [String: String]

    public init(
        endpointProtocol: EndpointProtocol, endpoint: String, filterPolicy: FilterPolicy? = nil,
        rawMessageDelivery: Bool = false, deadLetterTargetArn: String? = nil, arn: String,
        pendingConfirmation: Bool = false, confirmationToken: String? = nil, retryPolicy: DeliveryRetryPolicy? = nil,
        storedAttributes: [String: String] = [:]
    ) {
        self.endpointProtocol = endpointProtocol
        self.endpoint = endpoint
        self.filterPolicy = filterPolicy
        self.rawMessageDelivery = rawMessageDelivery
        self.deadLetterTargetArn = deadLetterTargetArn
        self.arn = arn
        self.pendingConfirmation = pendingConfirmation
        self.confirmationToken = confirmationToken
        self.retryPolicy = retryPolicy
        self.storedAttributes = storedAttributes
    }

    /// `FilterPolicyScope` (``FilterPolicyScope/messageAttributes`` without a policy).
    public var filterPolicyScope: FilterPolicyScope { filterPolicy?.scope ?? .messageAttributes }

    static let knownKeys = [
        "Protocol", "Endpoint", "FilterPolicy", "FilterPolicyScope", "RawMessageDelivery", "RedrivePolicy",
    ]
    static let ignoredKeys: Set<String> = ["DeliveryPolicy", "SubscriptionRoleArn", "ReplayPolicy", "Region"]

    /// The stable subscription ARN for the subscription at `index` of `topicArn`.
    static func arn(topicArn: String, index: Int, protocol p: String, endpoint: String) -> String {
        let digest = SHA256.hash(Array("\(topicArn)\n\(index)\n\(p)\n\(endpoint)".utf8))
        return topicArn + ":" + Hex.uuid(digest)
    }

    /// Whether `text` is a Lambda function ARN, `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`.
    static func isFunctionArn(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        return (parts.count == 7 || parts.count == 8) && parts[0] == "arn" && parts[1].hasPrefix("aws")
            && parts[2] == "lambda" && !parts[3].isEmpty && !parts[4].isEmpty && parts[5] == "function" && !parts[6].isEmpty
    }
}
