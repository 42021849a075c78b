/// One (event, rule, target) pair to deliver: everything the scheduler needs, fixed when the
/// event is matched. Shared by every retry of the pair.
public final class DeliveryRequest: Sendable {
    public let event: Event
    public let ruleArn: String
    public let targetId: String
    public let targetArn: String
    /// The shaped input, or why shaping failed (then the delivery fails without retries).
    public let body: Result<String, EventRouterError>
    public let policy: RetryPolicy
    public let deadLetterArn: String?
    public let messageGroupId: String?
    public let partitionKeyPath: String?
    /// When the router accepted the event; the event's age is measured from here.
    public let acceptedAt: Timestamp

    public init(event: Event, ruleArn: String, targetId: String, targetArn: String, body: Result<String, EventRouterError>,
                policy: RetryPolicy = RetryPolicy(), deadLetterArn: String? = nil, messageGroupId: String? = nil,
                partitionKeyPath: String? = nil, acceptedAt: Timestamp) {
        self.event = event
        self.ruleArn = ruleArn
        self.targetId = targetId
        self.targetArn = targetArn
        self.body = body
        self.policy = policy
        self.deadLetterArn = deadLetterArn
        self.messageGroupId = messageGroupId
        self.partitionKeyPath = partitionKeyPath
        self.acceptedAt = acceptedAt
    }

    /// The message attributes of this pair's dead-letter message.
    public func deadLetterAttributes(_ failure: DeliveryStateMachine.Failure) -> [(name: String, value: String)] {
        var attributes: [(name: String, value: String)] = [
            ("RULE_ARN", ruleArn), ("TARGET_ARN", targetArn), ("ERROR_CODE", failure.code), ("ERROR_MESSAGE", failure.message),
        ]
        if let exhausted = failure.exhausted { attributes.append(("EXHAUSTED_RETRY_CONDITION", exhausted.rawValue)) }
        attributes.append(("RETRY_ATTEMPTS", String(failure.retryAttempts)))
        return attributes
    }
}
