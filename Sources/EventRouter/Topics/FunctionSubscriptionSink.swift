/// Delivers `lambda` subscriptions to the functions of a ``FunctionHost``.
///
/// SNS invokes Lambda asynchronously: a delivery succeeds when the function's asynchronous
/// queue accepts the event (`Records[].Sns`); the function's own retries, destinations and
/// dead-letter queue take over from there. An unknown function is a client-side error
/// (`ResourceNotFoundException`), as for a deleted function in SNS.
public struct FunctionSubscriptionSink: SubscriptionSink {
    /// The hosted functions.
    public let host: FunctionHost

    public init(host: FunctionHost) { self.host = host }

    public func deliver(to endpoint: String, body: String, attributes: [String: MessageAttributeValue], groupId: String?, dedupId: String?) async -> DeliveryResult {
        guard let payload = try? JSONParser.parse(body) else {
            return .clientError(code: "InvalidRequestContentException", message: "The Lambda event for \(endpoint) is not JSON.")
        }
        guard await host.invokeAsync(endpoint, payload: payload) != nil else {
            return .clientError(code: "ResourceNotFoundException", message: "Function not found: \(endpoint) (no folder Functions/NAME with that name is loaded).")
        }
        return .delivered
    }
}
