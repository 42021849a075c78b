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
    /// `Subscription`, in file order (then in the order the wire's `Subscribe` added them).
    public var subscriptions: [SubscriptionConfiguration]
    /// Attributes stored and returned as given, with no local effect (`DisplayName`, `Policy`,
    /// `DeliveryPolicy`, `KmsMasterKeyId`, …; set over the wire).
    public var storedAttributes: [String: String] = [:]

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
        let (configuration, problems) = Self.read(json: json, account: account, region: region)
        guard let configuration, problems.isEmpty else {
            let label = json["TopicName"]?.stringValue.map { "topic '\($0)'" } ?? "a Topics entry"
            let lines = problems.map { "\($0.path): \($0.message)" }
            if lines.count == 1 { throw TopicError.invalidParameter("\(label): \(lines[0])") }
            throw TopicError.invalidParameter("\(label) has \(lines.count) problems:" + lines.enumerated().map { "\n  \($0.offset + 1). \($0.element)" }.joined())
        }
        self = configuration
    }

    /// Reads a `Topics` entry with the one ``FieldReader``: the configuration (`nil` when it has
    /// errors) and every problem, with its JSON path from the entry (`$`). What `validate`
    /// reports and what the runtime refuses are these same problems.
    public static func read(json: JSONObject, account: String, region: String) -> (TopicConfiguration?, [ValidationProblem]) {
        var r = TopicReader()
        for key in json.keys where !knownKeys.contains(key) && !ignoredKeys.contains(key) {
            r.fields.error("$.\(key)", FieldReader.unknownKeyReason(key, in: "an entry of Topics", allowed: knownKeys))
        }
        let owner = r.fields.string(json, "Account", at: "$") ?? account
        let place = r.fields.string(json, "Region", at: "$") ?? region
        let name = r.fields.string(json, "TopicName", at: "$", required: true)
        let topicName = name ?? ""
        let fifo = r.fields.bool(json, "FifoTopic", at: "$") ?? topicName.hasSuffix(".fifo")
        if name != nil {
            if fifo && !topicName.hasSuffix(".fifo") {
                r.fields.error("$.TopicName", "'TopicName' '\(topicName)' must end with .fifo for a FIFO topic: rename it to '\(topicName).fifo'")
            } else if !fifo && topicName.hasSuffix(".fifo") {
                r.fields.error("$.TopicName", "'TopicName' '\(topicName)' ends with .fifo but FifoTopic is false: set \"FifoTopic\": true or drop the suffix")
            } else if !ARN.isValidTopicName(topicName, fifo: fifo) {
                r.fields.error("$.TopicName", "'TopicName' must be 1 to 256 letters, digits, hyphens or underscores\(fifo ? " before .fifo" : ""), got '\(topicName)'")
            }
        }
        let cbd = r.fields.bool(json, "ContentBasedDeduplication", at: "$") ?? false
        if cbd && !fifo {
            r.fields.error("$.ContentBasedDeduplication", "'ContentBasedDeduplication' is only valid for FIFO topics: remove it or make the topic FIFO (FifoTopic true, name ending .fifo)")
        }
        var configuration = TopicConfiguration(name: topicName, account: owner, region: place, fifo: fifo, contentBasedDeduplication: cbd)
        for (i, entry) in (r.fields.array(json, "Subscription", at: "$", of: "subscriptions") ?? []).enumerated() {
            if let s = r.subscription(entry, index: i, topic: configuration) { configuration.subscriptions.append(s) }
        }
        return (r.fields.hasErrors ? nil : configuration, r.fields.problems)
    }
}
