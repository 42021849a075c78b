/// Delivers to SNS topics of a ``TopicRegistry``: the body is published as the message, which
/// the topic fans out to its subscriptions (queues, functions) by their filter policies, with
/// SNS's own retries and subscription dead-letter queues.
///
/// From a rule: for a FIFO topic the target's `SqsParameters.MessageGroupId` is the group and the
/// event id the deduplication id (unless the topic has `ContentBasedDeduplication`); a publish
/// the topic refuses (a message too large, a FIFO topic without a group) fails without retries.
/// From a Lambda destination: the record is the message; a FIFO topic is refused.
///
/// Register it as the provider for the `sns` service.
public struct TopicTarget: EventTarget {
    public let topics: TopicRegistry

    public init(topics: TopicRegistry) { self.topics = topics }

    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        guard let topic = topics.topic(arn: delivery.targetArn.description) else {
            return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: "topic \(delivery.targetArn) does not exist")
        }
        let fifo = topic.configuration.fifo
        let forDestination = delivery.destination != nil
        if forDestination, fifo {
            return .nonRetriable(code: DeliveryOutcome.Code.invalidInput,
                                 message: "topic \(delivery.targetArn) is a FIFO topic; Lambda destinations must be standard topics")
        }
        let groupId = fifo ? delivery.messageGroupId : nil
        let dedupId = fifo && !topic.configuration.contentBasedDeduplication ? (delivery.event?.id ?? delivery.deduplicationId) : nil
        do {
            _ = try await topic.publish(message: delivery.body, messageAttributes: delivery.allAttributes, messageGroupId: groupId,
                                        messageDeduplicationId: dedupId)
            return .success
        } catch {
            if forDestination { return .nonRetriable(code: error.code.name, message: "\(error.code.name): \(error.message)") }
            let code = error.code == .notFound ? DeliveryOutcome.Code.noResource : error.code.name
            return .nonRetriable(code: code, message: error.message)
        }
    }
}
