/// Answers one request. The server calls it on Swift's cooperative pool (never on its socket
/// thread), one request at a time per connection, so a handler may suspend for as long as it
/// needs (a 20-second long poll holds no thread). Handlers must return soon after their task is
/// cancelled: the server cancels those still running when its shutdown grace period ends.
public protocol HTTPHandler: Sendable {
    /// The response to `request`.
    func handle(_ request: HTTPRequest) async -> HTTPResponse
}

/// An ``HTTPHandler`` made of a closure.
public struct ClosureHTTPHandler: HTTPHandler {
    private let body: @Sendable (HTTPRequest) async -> HTTPResponse
    public init(_ body: @escaping @Sendable (HTTPRequest) async -> HTTPResponse) { self.body = body }
    public func handle(_ request: HTTPRequest) async -> HTTPResponse { await body(request) }
}
