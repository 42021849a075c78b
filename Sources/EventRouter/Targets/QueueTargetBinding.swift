/// A ``QueueTarget`` bound to one queue, found once by its ARN: what a topic keeps per
/// subscription endpoint (``TargetRegistry/bound(to:)``), so that a delivery to an in-memory
/// queue looks up neither the target nor the queue again.
///
/// A subscription's delivery goes straight to the queue, with the outcome ``QueueTarget``
/// gives. Other origins, and any delivery after the queue was deleted, go through the
/// ``QueueTarget`` (which looks the ARN up: a queue created again under it receives).
struct QueueTargetBinding: EventTarget {
    let target: QueueTarget
    let queue: MessageQueue

    func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome { send(delivery) }

    func deliverNow(_ delivery: TargetDelivery) -> DeliveryOutcome? { send(delivery) }

    /// A subscription's delivery given by its parts, straight to the queue; `nil` when the queue
    /// has been deleted (deliver through ``deliverNow(_:)`` then, which looks the ARN up again).
    /// The body may be an envelope's parts shared with the publish's other subscriptions.
    func send(body: QueueMessageBody, attributes: [String: MessageAttributeValue], groupId: String?, dedupId: String?, bodyKnownPlain: Bool) -> DeliveryOutcome? {
        target.send(body: body, attributes: attributes, groupId: groupId, dedupId: dedupId, bodyKnownPlain: bodyKnownPlain, toSubscribed: queue)
    }

    private func send(_ delivery: TargetDelivery) -> DeliveryOutcome {
        if case .subscription = delivery.origin, delivery.targetArn.description == queue.arn,
           let outcome = target.send(delivery, toSubscribed: queue) {
            return outcome
        }
        return target.deliverNow(delivery) ?? .nonRetriable(code: "InternalError", message: "queue target answered no outcome")
    }
}
