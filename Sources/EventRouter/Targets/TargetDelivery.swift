/// One delivery attempt as a target sees it, whoever makes it: a rule (or its dead-letter
/// queue), a topic subscription (or its dead-letter queue), or a Lambda destination.
public struct TargetDelivery: Sendable {
    /// Who delivers, which decides the service rules a target applies (error codes, FIFO
    /// deduplication, what a destination message becomes).
    public enum Origin: Sendable, Equatable {
        /// A rule's target (EventBridge).
        case rule
        /// A rule target's dead-letter queue (the original event with `RULE_ARN`, `TARGET_ARN`, … attributes).
        case ruleDeadLetter
        /// A topic subscription or a subscription's dead-letter queue (SNS).
        case subscription
        /// A Lambda destination: an invocation record or a function's dead-letter message.
        case destination(DestinationMessage)
    }

    /// The resource to deliver to (parsed once: a rule's target when the rule was added).
    public var targetArn: ARN
    /// The shaped input (a dead-letter message: the original event JSON; a subscription: the
    /// SNS envelope or raw message; a destination: the record's JSON).
    public var body: String
    /// Who delivers.
    public var origin: Origin
    /// The event being delivered (rule deliveries only).
    public var event: Event?
    /// The rule that matched it (rule deliveries only).
    public var ruleArn: String?
    /// `SqsParameters.MessageGroupId` of a rule target, or the FIFO group of a subscription.
    public var messageGroupId: String?
    /// The FIFO deduplication id a subscription passes on.
    public var deduplicationId: String?
    /// `KinesisParameters.PartitionKeyPath` (stream targets).
    public var partitionKeyPath: String?
    /// String attributes in order (set on a rule's dead-letter messages: `RULE_ARN`, `TARGET_ARN`, …).
    public var messageAttributes: [(name: String, value: String)]
    /// Typed message attributes passed on (subscriptions, destinations).
    public var attributes: [String: MessageAttributeValue]
    /// 1 for the first attempt, 2 for the first retry, …
    public var attempt: Int
    /// `HttpParameters` of a rule target (API destinations).
    public var httpParameters: HttpParameters?
    /// The rule's delivery when the body is the event's own text and the delivery is pending in
    /// the deliveries' journal (its `event.accepted` record holds that text): a queue then
    /// journals the message as a reference to it (`message.put.event`), not the text again.
    package var journaledRequest: DeliveryRequest?
    /// Whether the sender has checked that ``body`` holds only characters SQS accepts in a body
    /// (a topic checks an envelope's parts once per message): a queue then skips that check.
    var bodyKnownPlain = false

    /// Whether this is a rule's dead-letter message rather than a rule's delivery.
    public var isDeadLetter: Bool { origin == .ruleDeadLetter }

    /// A rule's delivery (or, with `isDeadLetter`, its dead-letter message).
    public init(targetArn: ARN, body: String, event: Event, ruleArn: String, messageGroupId: String? = nil,
                partitionKeyPath: String? = nil, messageAttributes: [(name: String, value: String)] = [], attempt: Int = 1,
                isDeadLetter: Bool = false) {
        self.targetArn = targetArn
        self.body = body
        self.origin = isDeadLetter ? .ruleDeadLetter : .rule
        self.event = event
        self.ruleArn = ruleArn
        self.messageGroupId = messageGroupId
        self.partitionKeyPath = partitionKeyPath
        self.messageAttributes = messageAttributes
        self.attributes = [:]
        self.attempt = attempt
    }

    /// A rule's delivery to the ARN text `targetArn` (kept as written: see ``ARN/init(text:)``).
    public init(targetArn: String, body: String, event: Event, ruleArn: String, messageGroupId: String? = nil,
                partitionKeyPath: String? = nil, messageAttributes: [(name: String, value: String)] = [], attempt: Int = 1,
                isDeadLetter: Bool = false) {
        self.init(targetArn: ARN(text: targetArn), body: body, event: event, ruleArn: ruleArn, messageGroupId: messageGroupId,
                  partitionKeyPath: partitionKeyPath, messageAttributes: messageAttributes, attempt: attempt, isDeadLetter: isDeadLetter)
    }

    /// A topic's delivery to a subscription endpoint or a subscription's dead-letter queue.
    public init(subscriptionTo endpoint: String, body: String, attributes: [String: MessageAttributeValue], groupId: String?, dedupId: String?) {
        self.init(subscriptionTo: ARN(text: endpoint), body: body, attributes: attributes, groupId: groupId, dedupId: dedupId)
    }

    /// A topic's delivery to an endpoint whose ARN was read before (``ARN/init(text:)``; a topic
    /// reads each subscription's endpoint once, not per message).
    public init(subscriptionTo endpoint: ARN, body: String, attributes: [String: MessageAttributeValue], groupId: String?, dedupId: String?) {
        self.targetArn = endpoint
        self.body = body
        self.origin = .subscription
        self.messageGroupId = groupId
        self.deduplicationId = dedupId
        self.messageAttributes = []
        self.attributes = attributes
        self.attempt = 1
    }

    /// A function's invocation record or dead-letter message bound for its destination.
    public init(destination message: DestinationMessage) {
        self.targetArn = ARN(text: message.destinationArn)
        self.body = message.body.jsonText
        self.origin = .destination(message)
        self.messageAttributes = []
        var attributes: [String: MessageAttributeValue] = [:]
        for (name, a) in message.attributes { attributes[name] = MessageAttributeValue(dataType: a.dataType, stringValue: a.stringValue) }
        self.attributes = attributes
        self.attempt = 1
    }

    /// The destination message, for a Lambda destination delivery.
    public var destination: DestinationMessage? {
        if case .destination(let message) = origin { return message }
        return nil
    }

    /// The typed attributes followed by the string ``messageAttributes`` (which win on a clash).
    var allAttributes: [String: MessageAttributeValue] {
        if messageAttributes.isEmpty { return attributes }
        var all = attributes
        for a in messageAttributes { all[a.name] = .string(a.value) }
        return all
    }
}
