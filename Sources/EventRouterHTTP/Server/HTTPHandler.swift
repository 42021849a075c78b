/// Answers one request. The server calls it in a task of its own, one request at a time per
/// connection, so a handler may suspend for as long as it needs (a 20-second long poll holds no
/// thread). The task runs on the server's socket thread (``HTTPServerConfiguration/handlersOnSocketThread``)
/// or on Swift's global pool: a handler must never block its thread (no blocking I/O, no long
/// locks), since on the socket thread every other connection waits meanwhile. Handlers must return
/// soon after their task is cancelled: the server cancels those still running when its shutdown
/// grace period ends.
public protocol HTTPHandler: Sendable {
    /// The response to `request`.
    func handle(_ request: HTTPRequest) async -> HTTPResponse
    /// The response to `request`, which may come before the request's journal records are stored
    /// with ``HTTPResponse/untilStored`` set: the server then holds it back until they are (the
    /// handler's task need not wait). The server calls this; the default is ``handle(_:)``.
    func handleDeferringStorage(_ request: HTTPRequest) async -> HTTPResponse
    /// The response to `request` made at once, without suspending, or `nil` to go through
    /// ``handleDeferringStorage(_:)``. The server calls it on its socket thread before it starts a
    /// task for the request, so it must be quick and must never block; it should decline (cheaply)
    /// anything that needs to wait. A response's ``HTTPResponse/afterSending`` work runs in a task
    /// of the server once the response is written. The default declines everything.
    func answerAtOnce(_ request: HTTPRequest) -> HTTPResponse?
}

extension HTTPHandler {
    public func handleDeferringStorage(_ request: HTTPRequest) async -> HTTPResponse { await handle(request) }
    public func answerAtOnce(_ request: HTTPRequest) -> HTTPResponse? { nil }
}

/// An ``HTTPHandler`` made of a closure.
public struct ClosureHTTPHandler: HTTPHandler {
    private let body: @Sendable (HTTPRequest) async -> HTTPResponse
    public init(_ body: @escaping @Sendable (HTTPRequest) async -> HTTPResponse) { self.body = body }
    public func handle(_ request: HTTPRequest) async -> HTTPResponse { await body(request) }
}
