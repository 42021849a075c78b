/// The attributes of one queue, with Amazon SQS's names and defaults.
///
/// Build it in code, or from a `Queues` entry of a rule file with
/// ``init(json:account:region:maximumMessageSizeLimit:)``.
public struct QueueConfiguration: Sendable, Hashable {
    /// Where a queue sends messages that were received `maxReceiveCount` times without being deleted.
    public struct RedrivePolicy: Sendable, Hashable {
        /// The dead-letter queue's ARN; it must be a queue of the same type (standard or FIFO).
        public var deadLetterTargetArn: String
        /// Receives after which the next receive moves the message to the dead-letter queue (1–1000).
        public var maxReceiveCount: Int
        public init(deadLetterTargetArn: String, maxReceiveCount: Int) {
            self.deadLetterTargetArn = deadLetterTargetArn
            self.maxReceiveCount = maxReceiveCount
        }
    }

    /// Which source queues may use this queue as their dead-letter queue.
    public enum RedriveAllowPolicy: Sendable, Hashable {
        /// Any queue of the same account and region (the default).
        case allowAll
        /// No queue.
        case denyAll
        /// Only the listed source queue ARNs (1–10).
        case byQueue([String])

        /// Whether a queue with `sourceArn` may redrive into this queue.
        public func allows(_ sourceArn: String) -> Bool {
            switch self {
            case .allowAll: return true
            case .denyAll: return false
            case .byQueue(let arns): return arns.contains(sourceArn)
            }
        }
    }

    /// The queue's name (`QueueName`); FIFO queue names end in `.fifo`.
    public var name: String
    /// The account that owns the queue (12 digits).
    public var account: String
    /// The queue's region.
    public var region: String
    /// `FifoQueue`: exactly-once processing, ordered per message group.
    public var fifo: Bool
    /// `ContentBasedDeduplication`: FIFO only; the SHA-256 of the body is the deduplication id.
    public var contentBasedDeduplication: Bool
    /// `VisibilityTimeout` in seconds (0–43200, default 30).
    public var visibilityTimeout: Int
    /// `DelaySeconds` (0–900, default 0).
    public var delaySeconds: Int
    /// `MessageRetentionPeriod` in seconds (60–1209600, default 345600 = 4 days).
    public var messageRetentionPeriod: Int
    /// `MaximumMessageSize` in bytes (1024–limit, default 262144).
    public var maximumMessageSize: Int
    /// `ReceiveMessageWaitTimeSeconds`: the default long-poll wait (0–20, default 0).
    public var receiveMessageWaitTimeSeconds: Int
    /// `RedrivePolicy`, if the queue has a dead-letter queue.
    public var redrivePolicy: RedrivePolicy?
    /// `RedriveAllowPolicy` (default ``RedriveAllowPolicy/allowAll``).
    public var redriveAllowPolicy: RedriveAllowPolicy
    /// Messages that may be in flight at once before `ReceiveMessage` fails with `OverLimit`
    /// (120,000 standard, 20,000 FIFO). Not an SQS attribute; a local limit.
    public var maximumInFlightMessages: Int
    /// `Policy`: the queue's access policy document, kept and returned as written (EventRouter
    /// does not evaluate it: deliveries from the workspace need no queue policy).
    public var policy: String?
    /// Attributes SQS keeps and returns that have no local effect (`KmsMasterKeyId`,
    /// `KmsDataKeyReusePeriodSeconds`, `SqsManagedSseEnabled`, `DeduplicationScope`,
    /// `FifoThroughputLimit`), by name, as strings.
    public var storedAttributes: [String: String] = [:]

    /// A queue named `name` with SQS's defaults. `fifo` defaults to whether the name ends in `.fifo`.
    public init(
        name: String,
        account: String = "123456789012",
        region: String = "us-east-1",
        fifo: Bool? = nil,
        contentBasedDeduplication: Bool = false,
        visibilityTimeout: Int = 30,
        delaySeconds: Int = 0,
        messageRetentionPeriod: Int = 345_600,
        maximumMessageSize: Int = 262_144,
        receiveMessageWaitTimeSeconds: Int = 0,
        redrivePolicy: RedrivePolicy? = nil,
        redriveAllowPolicy: RedriveAllowPolicy = .allowAll,
        maximumInFlightMessages: Int? = nil
    ) {
        let isFifo = fifo ?? name.hasSuffix(".fifo")
        self.name = name
        self.account = account
        self.region = region
        self.fifo = isFifo
        self.contentBasedDeduplication = contentBasedDeduplication
        self.visibilityTimeout = visibilityTimeout
        self.delaySeconds = delaySeconds
        self.messageRetentionPeriod = messageRetentionPeriod
        self.maximumMessageSize = maximumMessageSize
        self.receiveMessageWaitTimeSeconds = receiveMessageWaitTimeSeconds
        self.redrivePolicy = redrivePolicy
        self.redriveAllowPolicy = redriveAllowPolicy
        self.maximumInFlightMessages = maximumInFlightMessages ?? (isFifo ? 20_000 : 120_000)
    }

    /// `arn:aws:sqs:REGION:ACCOUNT:NAME`.
    public var arn: String { "arn:aws:sqs:\(region):\(account):\(name)" }

    /// The default message size limit (256 KiB).
    public static let defaultMaximumMessageSizeLimit = 262_144

    /// Checks every attribute with the one queue reader
    /// (``read(_:at:account:region:maximumMessageSizeLimit:fields:)``), so a configuration built
    /// in code meets exactly the rules of a rule file and of `CreateQueue`.
    /// - Parameter maximumMessageSizeLimit: the largest `MaximumMessageSize` allowed.
    /// - Throws: ``QueueError`` as ``init(json:account:region:maximumMessageSizeLimit:)`` does.
    public func validate(maximumMessageSizeLimit: Int = QueueConfiguration.defaultMaximumMessageSizeLimit) throws(QueueError) {
        var json = JSONObject()
        json["QueueName"] = .string(name)
        json["Account"] = .string(account)
        json["Region"] = .string(region)
        json["FifoQueue"] = .bool(fifo)
        if contentBasedDeduplication { json["ContentBasedDeduplication"] = true }
        for (key, value) in sqsAttributes where Self.settableAttributeNames.contains(key) && json[key] == nil { json[key] = .string(value) }
        _ = try QueueConfiguration(json: json, account: account, region: region, maximumMessageSizeLimit: maximumMessageSizeLimit)
        guard maximumInFlightMessages >= 1 else {
            throw QueueError(.invalidAttributeValue, "maximumInFlightMessages of queue '\(name)' is \(maximumInFlightMessages): use 1 or more.")
        }
    }
}
