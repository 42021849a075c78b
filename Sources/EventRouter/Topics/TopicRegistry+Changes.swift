/// Topics created and deleted while the router runs (the wire's `CreateTopic`/`DeleteTopic`),
/// and subscriptions found by their ARN.
extension TopicRegistry {
    /// `DeleteTopic`: removes the topic with its subscriptions; its scheduled retries end with it.
    /// - Returns: the removed topic, or `nil` when there is none with that ARN (SNS answers success).
    @discardableResult
    public func deleteTopic(arn: String) -> Topic? {
        state.withLock { s in
            guard let topic = s.byArn.removeValue(forKey: arn) else { return nil }
            s.order.removeAll { $0 == arn }
            journal.submit(.topicDelete) { ["arn": .string(arn)] }
            return topic
        }
    }

    /// The topic holding the subscription `arn` (`TOPIC_ARN:ID`) and the subscription itself.
    public func subscription(arn: String) -> (topic: Topic, subscription: SubscriptionConfiguration)? {
        guard let colon = arn.lastIndex(of: ":"), let topic = topic(arn: String(arn[..<colon])),
              let sub = topic.subscription(arn: arn) else { return nil }
        return (topic, sub)
    }
}
