/// Delivers to SQS queues of a ``QueueRegistry`` (`SendMessage`), the way each AWS service sends
/// to SQS:
/// - a rule (EventBridge): the shaped input is the body, a dead-letter message's attributes are
///   String message attributes, a FIFO queue gets the rule's group and the event id as
///   deduplication id (unless the queue has content-based deduplication); a missing queue is
///   `NO_RESOURCE`, a queue over its limit a retriable `THROTTLING`;
/// - a subscription (SNS): the group and deduplication id pass through; every rejection is a
///   client-side (non-retriable) error with SQS's code (`AWS.SimpleQueueService.NonExistentQueue`);
/// - a Lambda destination: the record is the body; a FIFO queue is refused.
///
/// Register it as the provider for the `sqs` service (``TargetRegistry/registerProvider(forService:_:)``)
/// so every queue of the registry, including queues created later, is a target. Queues never
/// suspend a sender, so every delivery is synchronous (``deliverNow(_:)``).
public struct QueueTarget: EventTarget {
    public let queues: QueueRegistry

    public init(queues: QueueRegistry) { self.queues = queues }

    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome { send(delivery) }

    public func deliverNow(_ delivery: TargetDelivery) -> DeliveryOutcome? { send(delivery) }

    public var deliversBatchesNow: Bool { true }

    /// A run of rule deliveries to one standard queue: sent under one lock
    /// (``MessageQueue/sendNow(batch:)``), with the outcomes ``deliverNow(_:)`` gives one by one.
    /// Other origins and FIFO queues go one by one.
    public func deliverNow(batch deliveries: [TargetDelivery]) -> [DeliveryOutcome]? {
        guard !deliveries.isEmpty else { return [] }
        // By index: `for d in deliveries` copied every delivery (a retain per field).
        let arn = deliveries[0].targetArn
        for i in deliveries.indices {
            guard case .rule = deliveries[i].origin, deliveries[i].targetArn == arn else { return deliveries.map(send) }
        }
        guard let queue = queues.queue(arn: arn.description), !queue.fifo else { return deliveries.map(sendForRule) }
        return queue.sendNow(batch: deliveries.map { (body: $0.body, attributes: $0.allAttributes, event: $0.journaledRuleRequest) }).map { result in
            switch result {
            case .success: return .success
            case .failure(let error): return Self.ruleOutcome(error)
            }
        }
    }

    private func send(_ delivery: TargetDelivery) -> DeliveryOutcome {
        switch delivery.origin {
        case .rule, .ruleDeadLetter: return sendForRule(delivery)
        case .subscription: return sendForSubscription(delivery)
        case .destination: return sendForDestination(delivery)
        }
    }

    private func sendForRule(_ delivery: TargetDelivery) -> DeliveryOutcome {
        guard let queue = queues.queue(arn: delivery.targetArn.description) else {
            return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: "queue \(delivery.targetArn) does not exist")
        }
        let fifo = queue.fifo
        if !fifo, let request = delivery.journaledRuleRequest {  // journaled as a reference to the event's text
            switch queue.sendNow(batch: [(body: delivery.body, attributes: delivery.allAttributes, event: request)])[0] {
            case .success: return .success
            case .failure(let error): return Self.ruleOutcome(error)
            }
        }
        do {
            _ = try queue.sendNow(
                body: delivery.body, attributes: delivery.allAttributes, groupId: fifo ? delivery.messageGroupId : nil,
                deduplicationId: fifo && !queue.configuration.contentBasedDeduplication ? delivery.event?.id : nil)
            return .success
        } catch {
            return Self.ruleOutcome(error)
        }
    }

    /// A rule delivery's outcome for a refused send.
    private static func ruleOutcome(_ error: QueueError) -> DeliveryOutcome {
        switch error.code {
        case .queueDoesNotExist: return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: error.message)
        case .overLimit: return .retriable(code: DeliveryOutcome.Code.throttling, message: error.message)
        default: return .nonRetriable(code: error.code.name, message: error.message)
        }
    }

    private func sendForSubscription(_ delivery: TargetDelivery) -> DeliveryOutcome {
        guard let queue = queues.queue(arn: delivery.targetArn.description) else {
            return .nonRetriable(code: Self.nonExistent, message: "The specified queue does not exist or you do not have access to it. (\(delivery.targetArn))")
        }
        return send(delivery, toSubscribed: queue) ?? .nonRetriable(code: Self.nonExistent, message: queue.doesNotExist().message)
    }

    private static let nonExistent = "AWS.SimpleQueueService.NonExistentQueue"

    /// A subscription's delivery to `queue` (found by its ARN); `nil` when `queue` has been
    /// deleted meanwhile (a ``QueueTargetBinding`` then looks the ARN up again).
    func send(_ delivery: TargetDelivery, toSubscribed queue: MessageQueue) -> DeliveryOutcome? {
        send(body: QueueMessageBody(delivery.body), attributes: delivery.allAttributes, groupId: delivery.messageGroupId, dedupId: delivery.deduplicationId,
             bodyKnownPlain: delivery.bodyKnownPlain, toSubscribed: queue)
    }

    /// ``send(_:toSubscribed:)`` of a delivery given by its parts (a topic's first attempt, which
    /// makes no ``TargetDelivery`` for a queue it has bound); the body may be an envelope's shared parts.
    func send(body: QueueMessageBody, attributes: [String: MessageAttributeValue], groupId: String?, dedupId: String?, bodyKnownPlain: Bool,
              toSubscribed queue: MessageQueue) -> DeliveryOutcome? {
        let fifo = queue.fifo
        do {
            _ = try queue.sendNow(body: body, attributes: attributes, groupId: fifo ? groupId : nil,
                                  deduplicationId: fifo ? dedupId : nil, bodyKnownPlain: bodyKnownPlain)
            return .success
        } catch {
            if error.code == .queueDoesNotExist { return nil }
            return .nonRetriable(code: error.code.name, message: error.message)
        }
    }

    /// This target bound to the queue `arn` names now, if it exists (``TargetRegistry/bound(to:)``).
    func bound(to arn: ARN) -> (any EventTarget)? {
        guard let queue = queues.queue(arn: arn.description) else { return nil }
        return QueueTargetBinding(target: self, queue: queue)
    }

    private func sendForDestination(_ delivery: TargetDelivery) -> DeliveryOutcome {
        guard let queue = queues.queue(arn: delivery.targetArn.description) else {
            return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: "queue \(delivery.targetArn) does not exist")
        }
        if queue.fifo {
            return .nonRetriable(code: DeliveryOutcome.Code.invalidInput,
                                 message: "queue \(delivery.targetArn) is a FIFO queue; Lambda destinations must be standard queues")
        }
        do {
            _ = try queue.sendNow(body: delivery.body, attributes: delivery.allAttributes)
            return .success
        } catch {
            return .nonRetriable(code: error.code.name, message: "\(error.code.name): \(error.message)")
        }
    }
}

extension TargetDelivery {
    /// The pending delivery a rule's message names instead of its body (the event's own text),
    /// when ``journaledRequest`` says it may.
    fileprivate var journaledRuleRequest: DeliveryRequest? {
        guard case .rule = origin else { return nil }
        return journaledRequest
    }
}
