/// What every delivery to one rule target shares, fixed when the rule is added to its bus: the
/// rule's ARN and the target's settings, with the target and dead-letter ARNs parsed once.
///
/// A ``DeliveryRequest`` points at its route, so matching an event makes one small object per
/// (event, target) pair and copies none of these fields.
public final class DeliveryRoute: Sendable {
    public let ruleArn: String
    public let targetId: String
    /// The resource deliveries go to.
    public let targetArn: ARN
    /// How the target's input is made from the event.
    public let input: TargetInput
    public let policy: RetryPolicy
    public let deadLetterArn: ARN?
    public let messageGroupId: String?
    public let partitionKeyPath: String?
    /// `HttpParameters` (API destination targets).
    public let httpParameters: HttpParameters?

    public init(ruleArn: String, targetId: String, targetArn: ARN, input: TargetInput = .event, policy: RetryPolicy = RetryPolicy(),
                deadLetterArn: ARN? = nil, messageGroupId: String? = nil, partitionKeyPath: String? = nil, httpParameters: HttpParameters? = nil) {
        self.ruleArn = ruleArn
        self.targetId = targetId
        self.targetArn = targetArn
        self.input = input
        self.policy = policy
        self.deadLetterArn = deadLetterArn
        self.messageGroupId = messageGroupId
        self.partitionKeyPath = partitionKeyPath
        self.httpParameters = httpParameters
    }

    /// The route of `target` of the rule `ruleArn` (its ARN texts are kept as written: see ``ARN/init(text:)``).
    public convenience init(ruleArn: String, target: TargetDefinition) {
        self.init(ruleArn: ruleArn, targetId: target.id, targetArn: ARN(text: target.arn), input: target.input, policy: target.retryPolicy,
                  deadLetterArn: target.deadLetterArn.map(ARN.init(text:)), messageGroupId: target.messageGroupId,
                  partitionKeyPath: target.partitionKeyPath, httpParameters: target.httpParameters)
    }
}
