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

    /// Checks every attribute's range and the name rules.
    /// - Parameter maximumMessageSizeLimit: the largest `MaximumMessageSize` allowed.
    /// - Throws: ``QueueError`` `InvalidAttributeValue` naming the attribute and its allowed range.
    public func validate(maximumMessageSizeLimit: Int = QueueConfiguration.defaultMaximumMessageSizeLimit) throws(QueueError) {
        func check(_ attribute: String, _ value: Int, _ range: ClosedRange<Int>, _ unit: String) throws(QueueError) {
            guard range.contains(value) else {
                throw QueueError(.invalidAttributeValue, "Invalid value \(value) for the attribute \(attribute) of queue '\(name)': must be between \(range.lowerBound) and \(range.upperBound) \(unit).")
            }
        }
        try QueueConfiguration.validateName(name, fifo: fifo)
        guard AccountID.isValid(account) else {
            throw QueueError(.invalidParameterValue, "The account of queue '\(name)' is '\(account)': an account id is exactly 12 digits, e.g. 123456789012.")
        }
        try check("VisibilityTimeout", visibilityTimeout, 0...43_200, "seconds")
        try check("DelaySeconds", delaySeconds, 0...900, "seconds")
        try check("MessageRetentionPeriod", messageRetentionPeriod, 60...1_209_600, "seconds")
        try check("MaximumMessageSize", maximumMessageSize, 1024...max(1024, maximumMessageSizeLimit), "bytes")
        try check("ReceiveMessageWaitTimeSeconds", receiveMessageWaitTimeSeconds, 0...20, "seconds")
        if contentBasedDeduplication && !fifo {
            throw QueueError(.invalidAttributeValue, "Queue '\(name)' sets ContentBasedDeduplication but is not a FIFO queue: remove ContentBasedDeduplication or set FifoQueue to true (and end the name in .fifo).")
        }
        if let redrive = redrivePolicy {
            try check("RedrivePolicy.maxReceiveCount", redrive.maxReceiveCount, 1...1000, "receives")
            guard ARN(queue: redrive.deadLetterTargetArn) != nil else {
                throw QueueError(.invalidAttributeValue, "RedrivePolicy.deadLetterTargetArn of queue '\(name)' is '\(redrive.deadLetterTargetArn)', not a queue ARN: use arn:aws:sqs:REGION:ACCOUNT:NAME.")
            }
        }
        if case .byQueue(let arns) = redriveAllowPolicy, arns.isEmpty || arns.count > 10 {
            throw QueueError(.invalidAttributeValue, "RedriveAllowPolicy of queue '\(name)' with redrivePermission byQueue lists \(arns.count) source queue ARNs: list 1 to 10 in sourceQueueArns.")
        }
        guard maximumInFlightMessages >= 1 else {
            throw QueueError(.invalidAttributeValue, "maximumInFlightMessages of queue '\(name)' is \(maximumInFlightMessages): use 1 or more.")
        }
    }

    /// Checks a queue name: 1–80 characters, letters, digits, `-` and `_`, ending in `.fifo` exactly when FIFO.
    static func validateName(_ name: String, fifo: Bool) throws(QueueError) {
        let base = name.hasSuffix(".fifo") ? String(name.dropLast(5)) : name
        guard !name.isEmpty, name.count <= 80,
            !base.isEmpty,
            base.unicodeScalars.allSatisfy({ ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_" })
        else {
            throw QueueError(.invalidParameterValue, "Queue name '\(name)' is invalid: use 1 to 80 characters from letters, digits, '-' and '_' (a FIFO queue adds the suffix .fifo).")
        }
        if fifo && !name.hasSuffix(".fifo") {
            throw QueueError(.invalidParameterValue, "FIFO queue '\(name)' must have a name ending in .fifo: rename it to '\(name).fifo'.")
        }
        if !fifo && name.hasSuffix(".fifo") {
            throw QueueError(.invalidParameterValue, "Queue '\(name)' ends in .fifo but is not a FIFO queue: set FifoQueue to true or drop the suffix.")
        }
    }
}
