/// Delivers to SQS queues of a ``QueueRegistry``: the shaped input becomes the message body,
/// a dead-letter message's attributes become String message attributes.
///
/// Register it as the provider for the `sqs` service (``TargetRegistry/registerProvider(forService:_:)``)
/// so every queue of the registry, including queues created later, is a target.
public struct QueueTarget: EventTarget {
    public let queues: QueueRegistry

    public init(queues: QueueRegistry) { self.queues = queues }

    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        guard let queue = queues.queue(arn: delivery.targetArn) else {
            return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: "queue \(delivery.targetArn) does not exist")
        }
        var attributes: [String: MessageAttributeValue] = [:]
        for a in delivery.messageAttributes { attributes[a.name] = .string(a.value) }
        let fifo = queue.configuration.fifo
        do {
            _ = try await queue.sendMessage(
                body: delivery.body, attributes: attributes, groupId: fifo ? delivery.messageGroupId : nil,
                deduplicationId: fifo && !queue.configuration.contentBasedDeduplication ? delivery.event.id : nil)
            return .success
        } catch {
            switch error.code {
            case .queueDoesNotExist: return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: error.message)
            case .overLimit: return .retriable(code: DeliveryOutcome.Code.throttling, message: error.message)
            default: return .nonRetriable(code: error.code.name, message: error.message)
            }
        }
    }
}
