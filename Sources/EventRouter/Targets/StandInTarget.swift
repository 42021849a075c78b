import Synchronization

/// Where deliveries to targets EventRouter does not run go with `--stand-in-queue NAME`: a
/// standard SQS queue that receives each such delivery's shaped input as the message body, with
/// the String message attributes `TARGET_ARN`, `TARGET_KIND` and `RULE_ARN` saying what it
/// stood in for. The rest of the workspace runs as usual.
///
/// Registered in the ``TargetRegistry`` for each stand-in target ARN exactly (such ARNs may not
/// parse: an SSM document ARN has no account).
public final class StandInTarget: EventTarget {
    /// The stand-in queue's ARN.
    public let queueArn: String
    private let queues: QueueTarget
    private let delivered = Atomic<Int>(0)

    public init(queueArn: String, queues: QueueRegistry) {
        self.queueArn = queueArn
        self.queues = QueueTarget(queues: queues)
    }

    /// Deliveries the stand-in queue accepted.
    public var deliveries: Int { delivered.load(ordering: .relaxed) }

    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome { send(delivery) }

    public func deliverNow(_ delivery: TargetDelivery) -> DeliveryOutcome? { send(delivery) }

    private func send(_ delivery: TargetDelivery) -> DeliveryOutcome {
        var forwarded = delivery
        let original = delivery.targetArn.description
        forwarded.targetArn = ARN(text: queueArn)
        forwarded.messageAttributes.append((name: "TARGET_ARN", value: original))
        if let kind = ForeignTargetKind(targetArn: original) {
            forwarded.messageAttributes.append((name: "TARGET_KIND", value: kind.description))
        }
        if let rule = delivery.ruleArn { forwarded.messageAttributes.append((name: "RULE_ARN", value: rule)) }
        let outcome = queues.deliverNow(forwarded) ?? .nonRetriable(code: DeliveryOutcome.Code.noResource, message: "stand-in queue \(queueArn) did not answer")
        if outcome == .success { delivered.add(1, ordering: .relaxed) }
        return outcome
    }
}
