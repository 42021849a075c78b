/// One delivery attempt as a target sees it.
public struct TargetDelivery: Sendable {
    /// The resource to deliver to.
    public var targetArn: String
    /// The shaped input (for a dead-letter message: the original event JSON).
    public var body: String
    /// The event being delivered.
    public var event: Event
    /// The rule that matched it.
    public var ruleArn: String
    /// `SqsParameters.MessageGroupId` (FIFO queue targets).
    public var messageGroupId: String?
    /// `KinesisParameters.PartitionKeyPath` (stream targets).
    public var partitionKeyPath: String?
    /// Message attributes to attach (set on dead-letter messages: `RULE_ARN`, `TARGET_ARN`, …).
    public var messageAttributes: [(name: String, value: String)]
    /// 1 for the first attempt, 2 for the first retry, …
    public var attempt: Int
    /// Whether this is a dead-letter message rather than a rule's delivery.
    public var isDeadLetter: Bool

    public init(targetArn: String, body: String, event: Event, ruleArn: String, messageGroupId: String? = nil,
                partitionKeyPath: String? = nil, messageAttributes: [(name: String, value: String)] = [], attempt: Int = 1,
                isDeadLetter: Bool = false) {
        self.targetArn = targetArn
        self.body = body
        self.event = event
        self.ruleArn = ruleArn
        self.messageGroupId = messageGroupId
        self.partitionKeyPath = partitionKeyPath
        self.messageAttributes = messageAttributes
        self.attempt = attempt
        self.isDeadLetter = isDeadLetter
    }
}
