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

    public init(
        endpointProtocol: EndpointProtocol, endpoint: String, filterPolicy: FilterPolicy? = nil,
        rawMessageDelivery: Bool = false, deadLetterTargetArn: String? = nil, arn: String
    ) {
        self.endpointProtocol = endpointProtocol
        self.endpoint = endpoint
        self.filterPolicy = filterPolicy
        self.rawMessageDelivery = rawMessageDelivery
        self.deadLetterTargetArn = deadLetterTargetArn
        self.arn = arn
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
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for (i, byte) in digest.prefix(16).enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return topicArn + ":" + String(decoding: out, as: UTF8.self)
    }

    /// Whether `text` is a Lambda function ARN, `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`.
    static func isFunctionArn(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        return (parts.count == 7 || parts.count == 8) && parts[0] == "arn" && parts[1].hasPrefix("aws")
            && parts[2] == "lambda" && !parts[3].isEmpty && !parts[4].isEmpty && parts[5] == "function" && !parts[6].isEmpty
    }
}
