/// The attributes of one topic, with Amazon SNS's names: a `Topics` entry of a rule file.
///
/// ```json
/// { "TopicName": "orders.fifo", "FifoTopic": true, "ContentBasedDeduplication": true,
///   "Subscription": [{ "Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:billing.fifo",
///                      "FilterPolicy": {"kind": ["order"]}, "RawMessageDelivery": true,
///                      "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:dlq.fifo"} }] }
/// ```
public struct TopicConfiguration: Sendable, Hashable {
    /// `TopicName`; FIFO topic names end in `.fifo`.
    public var name: String
    /// The owning account (12 digits).
    public var account: String
    /// The topic's region.
    public var region: String
    /// `FifoTopic`: ordered per message group, deduplicated, delivered only to FIFO queues.
    public var fifo: Bool
    /// `ContentBasedDeduplication` (FIFO only): the SHA-256 of the message is its deduplication id.
    public var contentBasedDeduplication: Bool
    /// `Subscription`, in file order.
    public var subscriptions: [SubscriptionConfiguration]

    /// A topic with no subscriptions; add them to ``subscriptions``.
    public init(name: String, account: String = "123456789012", region: String = "us-east-1", fifo: Bool? = nil,
                contentBasedDeduplication: Bool = false, subscriptions: [SubscriptionConfiguration] = []) {
        self.name = name
        self.account = account
        self.region = region
        self.fifo = fifo ?? name.hasSuffix(".fifo")
        self.contentBasedDeduplication = contentBasedDeduplication
        self.subscriptions = subscriptions
    }

    /// `arn:aws:sns:REGION:ACCOUNT:NAME`.
    public var arn: String { ARN.topic(name, account: account, region: region).description }

    static let knownKeys = ["TopicName", "FifoTopic", "ContentBasedDeduplication", "Subscription", "Account", "Region"]
    /// CloudFormation properties accepted and ignored (no local effect).
    static let ignoredKeys: Set<String> = [
        "DisplayName", "KmsMasterKeyId", "Tags", "SignatureVersion", "TracingConfig", "DataProtectionPolicy",
        "DeliveryStatusLogging", "ArchivePolicy", "FifoThroughputScope",
    ]

    /// Builds a topic from a rule file's `Topics` entry and checks it, reporting every problem
    /// at once (each with its key and what to change).
    ///
    /// Checked: unknown keys (with a did-you-mean), the name (and `.fifo` for FIFO topics),
    /// `ContentBasedDeduplication` only on FIFO topics, each subscription's `Protocol`
    /// (`sqs` | `lambda`), `Endpoint` ARN, `FilterPolicy` (object or JSON string, SNS's rules),
    /// `FilterPolicyScope`, `RawMessageDelivery` (SQS only) and `RedrivePolicy` (an SQS queue
    /// in the topic's account and region); a FIFO topic accepts only FIFO queue endpoints (no
    /// `lambda`) and FIFO dead-letter queues, a standard topic only standard dead-letter queues.
    /// - Parameters:
    ///   - json: the entry.
    ///   - account, region: the file's defaults (`Account`/`Region` in the entry override them).
    /// - Throws: ``TopicError`` `InvalidParameter` listing every problem.
    public init(json: JSONObject, account: String, region: String) throws(TopicError) {
        var problems = TopicProblems(label: json["TopicName"]?.stringValue.map { "topic '\($0)'" } ?? "a Topics entry")
        for key in json.keys where !Self.knownKeys.contains(key) && !Self.ignoredKeys.contains(key) {
            problems.add(TopicProblems.unknownKey(key, in: problems.label, known: Self.knownKeys))
        }
        let owner = problems.string(json, "Account") ?? account
        let place = problems.string(json, "Region") ?? region
        let name = problems.string(json, "TopicName")
        if json["TopicName"] == nil { problems.add("TopicName is missing: add \"TopicName\": \"NAME\".") }
        let fifoFlag = problems.bool(json, "FifoTopic")
        let topicName = name ?? ""
        let fifo = fifoFlag ?? topicName.hasSuffix(".fifo")
        if name != nil {
            if fifo && !topicName.hasSuffix(".fifo") {
                problems.add("TopicName '\(topicName)': a FIFO topic name must end with .fifo: rename it to '\(topicName).fifo'.")
            } else if !fifo && topicName.hasSuffix(".fifo") {
                problems.add("TopicName '\(topicName)' ends with .fifo but FifoTopic is false: set \"FifoTopic\": true or drop the suffix.")
            } else if !ARN.isValidTopicName(topicName, fifo: fifo) {
                problems.add("TopicName '\(topicName)' is invalid: use 1-256 letters, digits, hyphens and underscores\(fifo ? " before .fifo" : "").")
            }
        }
        let cbd = problems.bool(json, "ContentBasedDeduplication") ?? false
        if cbd && !fifo {
            problems.add("ContentBasedDeduplication is only valid for FIFO topics: remove it or make the topic FIFO (FifoTopic true, name ending .fifo).")
        }
        self.init(name: topicName, account: owner, region: place, fifo: fifo, contentBasedDeduplication: cbd)
        if let list = json["Subscription"] {
            if let entries = list.arrayValue {
                for (i, entry) in entries.enumerated() {
                    if let s = problems.subscription(entry, index: i, topic: self) { subscriptions.append(s) }
                }
            } else {
                problems.add("Subscription is \(list.kindName == "object" ? "an object" : "a \(list.kindName)"): write a list of subscriptions, [{\"Protocol\": \"sqs\", \"Endpoint\": \"arn:aws:sqs:…\"}].")
            }
        }
        try problems.check()
    }
}
