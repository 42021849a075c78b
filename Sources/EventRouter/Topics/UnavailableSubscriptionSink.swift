/// A sink for endpoints with no runtime wired (the default for `lambda`): every delivery is a
/// client-side error naming the missing runtime.
public struct UnavailableSubscriptionSink: SubscriptionSink {
    /// The error code reported.
    public let code: String
    /// The reason reported.
    public let reason: String

    public init(code: String = "EndpointUnavailable", reason: String = "no function runtime is connected to this topic: pass a FunctionSubscriptionSink as the TopicRegistry's lambdaSink") {
        self.code = code
        self.reason = reason
    }

    public func deliver(to endpoint: String, body: String, attributes: [String: MessageAttributeValue], groupId: String?, dedupId: String?) async -> DeliveryResult {
        .clientError(code: code, message: "Cannot deliver to \(endpoint): \(reason).")
    }
}
