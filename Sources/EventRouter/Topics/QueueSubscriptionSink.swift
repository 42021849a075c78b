/// Delivers to the SQS queues of a ``QueueRegistry`` (`SendMessage`).
///
/// Every SQS rejection is a client-side error, as in SNS: a missing queue is
/// `AWS.SimpleQueueService.NonExistentQueue`; an invalid message (too large, too many
/// attributes, a FIFO queue without group id) carries SQS's code.
public struct QueueSubscriptionSink: SubscriptionSink {
    /// The queues delivered to.
    public let queues: QueueRegistry

    public init(queues: QueueRegistry) { self.queues = queues }

    public func deliver(to endpoint: String, body: String, attributes: [String: MessageAttributeValue], groupId: String?, dedupId: String?) async -> DeliveryResult {
        send(to: endpoint, body: body, attributes: attributes, groupId: groupId, dedupId: dedupId)
    }

    /// Sends synchronously (the queues never suspend a sender).
    public func deliverNow(to endpoint: String, body: String, attributes: [String: MessageAttributeValue], groupId: String?, dedupId: String?) -> DeliveryResult? {
        send(to: endpoint, body: body, attributes: attributes, groupId: groupId, dedupId: dedupId)
    }

    private func send(to endpoint: String, body: String, attributes: [String: MessageAttributeValue], groupId: String?, dedupId: String?) -> DeliveryResult {
        guard let queue = queues.queue(arn: endpoint) else {
            return .clientError(code: "AWS.SimpleQueueService.NonExistentQueue", message: "The specified queue does not exist or you do not have access to it. (\(endpoint))")
        }
        do {
            _ = try queue.sendNow(body: body, attributes: attributes, groupId: queue.configuration.fifo ? groupId : nil, deduplicationId: queue.configuration.fifo ? dedupId : nil)
            return .delivered
        } catch {
            if error.code == .queueDoesNotExist {
                return .clientError(code: "AWS.SimpleQueueService.NonExistentQueue", message: error.message)
            }
            return .clientError(code: error.code.name, message: error.message)
        }
    }
}
