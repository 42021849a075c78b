/// Delivers to SNS topics of a ``TopicRegistry``: the shaped input is published as the
/// message, which the topic fans out to its subscriptions (queues, functions) by their filter
/// policies, with SNS's own retries and subscription dead-letter queues.
///
/// For a FIFO topic the target's `SqsParameters.MessageGroupId` is the group and the event id
/// the deduplication id (unless the topic has `ContentBasedDeduplication`). A publish the topic
/// refuses (a message too large, a FIFO topic without a group) fails without retries.
///
/// Register it as the provider for the `sns` service.
public struct TopicTarget: EventTarget {
    public let topics: TopicRegistry

    public init(topics: TopicRegistry) { self.topics = topics }

    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        guard let topic = topics.topic(arn: delivery.targetArn) else {
            return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: "topic \(delivery.targetArn) does not exist")
        }
        let fifo = topic.configuration.fifo
        var attributes: [String: MessageAttributeValue] = [:]
        for a in delivery.messageAttributes { attributes[a.name] = .string(a.value) }
        do {
            _ = try await topic.publish(
                message: delivery.body, messageAttributes: attributes, messageGroupId: fifo ? delivery.messageGroupId : nil,
                messageDeduplicationId: fifo && !topic.configuration.contentBasedDeduplication ? delivery.event.id : nil)
            return .success
        } catch {
            let code = error.code == .notFound ? DeliveryOutcome.Code.noResource : error.code.name
            return .nonRetriable(code: code, message: error.message)
        }
    }
}
