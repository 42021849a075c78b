import Synchronization

/// One (event, rule, target) pair to deliver: the event, the target's ``DeliveryRoute`` and the
/// shaped input, fixed when the event is matched. Shared by every retry of the pair.
public final class DeliveryRequest: Sendable {
    public let event: Event
    /// The rule target, shared by every event the rule matches.
    public let route: DeliveryRoute
    /// The shaped input, or why shaping failed (then the delivery fails without retries).
    public let body: Result<String, EventRouterError>
    /// When the router accepted the event; the event's age is measured from here.
    public let acceptedAt: Timestamp
    /// Where the pair stands in the deliveries' journal (``DeliveryJournal``): 0 not journaled,
    /// 1 pending (its `event.accepted` record, or the snapshot, holds the event's text until it
    /// settles), 2 settled by the `message.put.event` record of the message it sent.
    private let journaled = Atomic<UInt8>(0)

    /// Whether the pair is pending in the deliveries' journal: then a queue journals a message
    /// whose body is the event's text as a reference to it (`message.put.event`).
    var isJournaled: Bool { journaled.load(ordering: .relaxed) == 1 }

    /// Marks the pair pending in the deliveries' journal (``isJournaled``).
    func markJournaled() { journaled.store(1, ordering: .relaxed) }

    /// Whether the `message.put.event` record of the message this pair sent settles it (no
    /// `delivery.done` needed).
    var isSettledByMessage: Bool { journaled.load(ordering: .relaxed) == 2 }

    /// Notes that the record of the message this pair sent settles it (``isSettledByMessage``).
    func markSettledByMessage() { journaled.store(2, ordering: .relaxed) }

    public var ruleArn: String { route.ruleArn }
    public var targetId: String { route.targetId }
    public var targetArn: ARN { route.targetArn }
    public var policy: RetryPolicy { route.policy }
    public var deadLetterArn: ARN? { route.deadLetterArn }
    public var messageGroupId: String? { route.messageGroupId }
    public var partitionKeyPath: String? { route.partitionKeyPath }

    public init(event: Event, route: DeliveryRoute, body: Result<String, EventRouterError>, acceptedAt: Timestamp) {
        self.event = event
        self.route = route
        self.body = body
        self.acceptedAt = acceptedAt
    }

    /// A request with a route of its own (tests, one-off deliveries).
    public convenience init(event: Event, ruleArn: String, targetId: String, targetArn: ARN, body: Result<String, EventRouterError>,
                            policy: RetryPolicy = RetryPolicy(), deadLetterArn: ARN? = nil, messageGroupId: String? = nil,
                            partitionKeyPath: String? = nil, acceptedAt: Timestamp) {
        self.init(event: event, route: DeliveryRoute(ruleArn: ruleArn, targetId: targetId, targetArn: targetArn, policy: policy,
                                                     deadLetterArn: deadLetterArn, messageGroupId: messageGroupId, partitionKeyPath: partitionKeyPath),
                  body: body, acceptedAt: acceptedAt)
    }

    /// ``init(event:ruleArn:targetId:targetArn:body:policy:deadLetterArn:messageGroupId:partitionKeyPath:acceptedAt:)``
    /// with ARN texts (kept as written: see ``ARN/init(text:)``).
    public convenience init(event: Event, ruleArn: String, targetId: String, targetArn: String, body: Result<String, EventRouterError>,
                            policy: RetryPolicy = RetryPolicy(), deadLetterArn: String? = nil, messageGroupId: String? = nil,
                            partitionKeyPath: String? = nil, acceptedAt: Timestamp) {
        self.init(event: event, ruleArn: ruleArn, targetId: targetId, targetArn: ARN(text: targetArn), body: body, policy: policy,
                  deadLetterArn: deadLetterArn.map(ARN.init(text:)), messageGroupId: messageGroupId, partitionKeyPath: partitionKeyPath,
                  acceptedAt: acceptedAt)
    }

    /// The message attributes of this pair's dead-letter message.
    public func deadLetterAttributes(_ failure: DeliveryStateMachine.Failure) -> [(name: String, value: String)] {
        var attributes: [(name: String, value: String)] = [
            ("RULE_ARN", ruleArn), ("TARGET_ARN", targetArn.description), ("ERROR_CODE", failure.code), ("ERROR_MESSAGE", failure.message),
        ]
        if let exhausted = failure.exhausted { attributes.append(("EXHAUSTED_RETRY_CONDITION", exhausted.rawValue)) }
        attributes.append(("RETRY_ATTEMPTS", String(failure.retryAttempts)))
        return attributes
    }
}
