/// Where a topic hands one delivery: the seam between topics and the endpoints' runtimes.
///
/// ``QueueSubscriptionSink`` delivers to SQS queues; the function runtime plugs in for `lambda`
/// endpoints (until then ``UnavailableSubscriptionSink`` reports a client-side error, so the
/// message is dead-lettered or counted as dropped, never lost silently).
public protocol SubscriptionSink: Sendable {
    /// Delivers one message to `endpoint`.
    /// - Parameters:
    ///   - endpoint: the queue or function ARN.
    ///   - body: the SNS envelope, the raw message, or the Lambda event JSON.
    ///   - attributes: message attributes to pass on (raw delivery, dead-letter attributes).
    ///   - groupId, dedupId: FIFO `MessageGroupId` and `MessageDeduplicationId`.
    func deliver(to endpoint: String, body: String, attributes: [String: MessageAttributeValue], groupId: String?, dedupId: String?) async -> DeliveryResult

    /// The same delivery made synchronously, for sinks that never suspend (in-memory queues),
    /// so that a topic does not leave its actor for every delivery; `nil` (the default) means
    /// "call ``deliver(to:body:attributes:groupId:dedupId:)``".
    func deliverNow(to endpoint: String, body: String, attributes: [String: MessageAttributeValue], groupId: String?, dedupId: String?) -> DeliveryResult?
}

extension SubscriptionSink {
    /// No synchronous path: a topic calls ``deliver(to:body:attributes:groupId:dedupId:)``.
    public func deliverNow(to endpoint: String, body: String, attributes: [String: MessageAttributeValue], groupId: String?, dedupId: String?) -> DeliveryResult? {
        nil
    }
}

/// A ``SubscriptionSink`` from a closure (test doubles, adapters).
public struct ClosureSubscriptionSink: SubscriptionSink {
    let body: @Sendable (String, String, [String: MessageAttributeValue], String?, String?) async -> DeliveryResult

    public init(_ body: @escaping @Sendable (_ endpoint: String, _ body: String, _ attributes: [String: MessageAttributeValue], _ groupId: String?, _ dedupId: String?) async -> DeliveryResult) {
        self.body = body
    }

    public func deliver(to endpoint: String, body: String, attributes: [String: MessageAttributeValue], groupId: String?, dedupId: String?) async -> DeliveryResult {
        await self.body(endpoint, body, attributes, groupId, dedupId)
    }
}
