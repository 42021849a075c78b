/// The outcome of one delivery attempt to a subscription endpoint.
///
/// SNS distinguishes *client-side* errors (the endpoint is gone or refuses SNS: not retried,
/// the message goes straight to the subscription's dead-letter queue) from *server-side*
/// errors (the endpoint is unavailable: retried by the delivery policy, then dead-lettered).
public enum DeliveryResult: Sendable, Hashable {
    /// The endpoint accepted the message.
    case delivered
    /// A server-side error: retried per ``DeliveryRetryPolicy``.
    case serverError(code: String, message: String)
    /// A client-side error: not retried.
    case clientError(code: String, message: String)

    /// The error code, if the attempt failed.
    public var errorCode: String? {
        switch self {
        case .delivered: return nil
        case .serverError(let code, _), .clientError(let code, _): return code
        }
    }

    /// The error message, if the attempt failed.
    public var errorMessage: String? {
        switch self {
        case .delivered: return nil
        case .serverError(_, let message), .clientError(_, let message): return message
        }
    }
}
