/// Where a request goes, decided from its headers, path and body (wire.md §2).
public enum Route: Sendable, Equatable {
    /// `/_eventrouter/…`: the router's own endpoints.
    case admin(path: String)
    /// A JSON-protocol call from `X-Amz-Target: PREFIX.Operation`.
    case json(service: String, operation: String, protocol: AWSProtocol)
    /// A query-protocol call (`Action=` in a form body or a GET query); the service may be empty
    /// until the credential scope names it.
    case query(service: String, operation: String)
    /// A rest-json path (Lambda): the service is known, the operation not yet.
    case rest(service: String)
    /// Recognised but not served: answer `error` in `protocol`.
    case unsupported(AWSError, protocol: AWSProtocol)
}
