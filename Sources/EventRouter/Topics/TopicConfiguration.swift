/// A topic's declaration: a `Topics` entry of a rule file (CloudFormation's `AWS::SNS::Topic`
/// names, with `AWS::SNS::Subscription` properties allowed inside `Subscription` entries).
public struct TopicConfiguration: Sendable, Hashable {
    /// 1–256 characters from `A-Z a-z 0-9 _ -`; FIFO topic names end in `.fifo`.
    public var name: String
    /// Whether this is a FIFO topic (ordered per message group, deduplicated for 5 minutes).
    public var fifoTopic: Bool
    /// FIFO only: deduplicate by a hash of the message body when no deduplication id is given.
    public var contentBasedDeduplication: Bool
    /// The subscriptions, with their ARNs assigned.
    public private(set) var subscriptions: [SubscriptionConfiguration]
    /// The 12-digit account id.
    public var account: String
    /// The region.
    public var region: String

    /// `arn:aws:sns:REGION:ACCOUNT:NAME`.
    public var arn: String { "arn:aws:sns:\(region):\(account):\(name)" }

    /// A validated configuration; subscription ARNs are derived from the topic ARN and position.
    /// - Throws: `InvalidParameterException` naming what to change.
    public init(name: String, fifoTopic: Bool = false, contentBasedDeduplication: Bool = false,
                subscriptions: [SubscriptionConfiguration] = [], account: String = "123456789012", region: String = "us-east-1") throws(TopicError) {
        let base = name.hasSuffix(".fifo") ? String(name.dropLast(5)) : name
        let valid = (1...256).contains(name.utf8.count) && !base.isEmpty && base.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
        }
        guard valid else {
            throw .invalid("topic name '\(name)' is invalid: use 1–256 characters from A-Z, a-z, 0-9, '_', '-' (and '.fifo' at the end of a FIFO topic)")
        }
        guard fifoTopic == name.hasSuffix(".fifo") else {
            throw .invalid(fifoTopic ? "topic '\(name)': a FIFO topic's name must end in '.fifo'; rename it to '\(name).fifo'"
                : "topic '\(name)': a name ending in '.fifo' is for FIFO topics; set FifoTopic to true or rename it")
        }
        guard !contentBasedDeduplication || fifoTopic else {
            throw .invalid("topic '\(name)': ContentBasedDeduplication applies to FIFO topics only; remove it or make the topic FIFO")
        }
        self.name = name
        self.fifoTopic = fifoTopic
        self.contentBasedDeduplication = contentBasedDeduplication
        self.account = account
        self.region = region
        self.subscriptions = []
        for (i, var s) in subscriptions.enumerated() {
            let at = "topic '\(name)' Subscription[\(i)]"
            let queueIsFifo = s.endpoint.hasSuffix(".fifo")
            if fifoTopic {
                guard s.deliveryProtocol == .sqs, queueIsFifo else {
                    throw .invalid("\(at): a FIFO topic delivers only to SQS FIFO queues (names ending in .fifo), got \(s.deliveryProtocol.rawValue) \(s.endpoint)")
                }
                if let dlq = s.deadLetterTargetArn, !dlq.hasSuffix(".fifo") {
                    throw .invalid("\(at): the dead-letter queue of a FIFO topic's subscription must be a FIFO queue, got \(dlq)")
                }
            } else if s.deliveryProtocol == .sqs && queueIsFifo {
                throw .invalid("\(at): the FIFO queue \(s.endpoint) can only subscribe to a FIFO topic; use a standard queue or a FIFO topic")
            } else if let dlq = s.deadLetterTargetArn, dlq.hasSuffix(".fifo") {
                throw .invalid("\(at): the dead-letter queue of a standard topic's subscription must be a standard queue, got \(dlq)")
            }
            if let dlq = s.deadLetterTargetArn {
                let parts = dlq.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count >= 6, parts[3] == region[...], parts[4] == account[...] else {
                    throw .invalid("\(at): the dead-letter queue \(dlq) must be in the topic's account \(account) and region \(region)")
                }
            }
            s.subscriptionArn = arn + ":" + Self.subscriptionID(topicArn: arn, index: i, endpoint: s.endpoint)
            self.subscriptions.append(s)
        }
    }

    /// A stable UUID-shaped id from the MD5 of the topic ARN, position and endpoint.
    static func subscriptionID(topicArn: String, index: Int, endpoint: String) -> String {
        let hex = Array(MD5.hexDigest("\(topicArn)|\(index)|\(endpoint)"))
        func part(_ r: Range<Int>) -> String { String(hex[r]) }
        return [part(0..<8), part(8..<12), part(12..<16), part(16..<20), part(20..<32)].joined(separator: "-")
    }

    /// Keys of `AWS::SNS::Topic` accepted and ignored locally.
    private static let ignoredKeys: Set<String> = [
        "DisplayName", "KmsMasterKeyId", "Tags", "TracingConfig", "SignatureVersion", "DataProtectionPolicy",
        "ArchivePolicy", "DeliveryStatusLogging", "FifoThroughputScope",
    ]
    private static let knownKeys = ["TopicName", "FifoTopic", "ContentBasedDeduplication", "Subscription"]

    /// Reads one `Topics` entry: `TopicName` (required), `FifoTopic`, `ContentBasedDeduplication`,
    /// `Subscription` (a list of ``SubscriptionConfiguration`` entries).
    /// - Throws: `InvalidParameterException` naming the key to change.
    public init(json: JSONObject, account: String, region: String) throws(TopicError) {
        guard let nameValue = json["TopicName"] else { throw .invalid("Topics entry: missing required key 'TopicName'") }
        guard let name = nameValue.stringValue else { throw .invalid("Topics entry: 'TopicName' must be a string, got \(nameValue.kindName)") }
        let at = "Topics entry '\(name)'"
        for key in json.keys where !Self.knownKeys.contains(key) && !Self.ignoredKeys.contains(key) {
            throw .invalid("\(at): unknown key '\(key)'; known keys are \(Self.knownKeys.joined(separator: ", "))")
        }
        func flag(_ key: String) throws(TopicError) -> Bool {
            switch json[key] {
            case nil: return false
            case .bool(let b)?: return b
            case .string("true")?: return true
            case .string("false")?: return false
            case let other?: throw .invalid("\(at): '\(key)' must be true or false, got \(other.jsonText)")
            }
        }
        var subscriptions: [SubscriptionConfiguration] = []
        if let list = json["Subscription"] {
            guard let entries = list.arrayValue else { throw .invalid("\(at): 'Subscription' must be a list of subscriptions") }
            for (i, entry) in entries.enumerated() {
                guard let object = entry.objectValue else { throw .invalid("\(at) Subscription[\(i)]: must be an object with Protocol and Endpoint") }
                subscriptions.append(try SubscriptionConfiguration(json: object, at: "\(at) Subscription[\(i)]"))
            }
        }
        try self.init(name: name, fifoTopic: try flag("FifoTopic"), contentBasedDeduplication: try flag("ContentBasedDeduplication"),
                      subscriptions: subscriptions, account: account, region: region)
    }
}
