import EventRouter

/// How an ``HTTPServer`` listens, what it accepts, and how long it waits.
public struct HTTPServerConfiguration: Sendable {
    /// The address to bind: an IPv4 or IPv6 literal or a host name. Default loopback only.
    public var host = "127.0.0.1"
    /// The port; 0 picks a free one (read it from ``HTTPServer/port``).
    public var port = 4566
    /// Size limits for requests (16 KB of head, 16 MB of body by default).
    public var limits = HTTPParserLimits()
    /// How long a keep-alive connection may sit with no request before it is closed.
    public var idleTimeout: Duration = .seconds(75)
    /// How long a client may take to send one whole request, from its first byte; then 408.
    public var requestReadTimeout: Duration = .seconds(30)
    /// How long shutdown waits for requests in flight before closing their connections.
    public var shutdownGracePeriod: Duration = .seconds(8)
    /// Connections open at once; one more is answered 503 and closed.
    public var maximumConnections = 8192
    /// Run the handler of the first request of each socket-thread wake-up on the socket thread
    /// itself (as the handler task's executor), so that a request whose handler does not suspend
    /// is answered with no thread hand-off; further requests of the same wake-up run on Swift's
    /// global pool, so that many busy connections still use every core. `false`: every handler
    /// runs on the pool.
    public var handlersOnSocketThread = true
    /// The clock every timeout reads (a manual clock in tests; call ``HTTPServer/wake()`` after advancing it).
    public var clock: any EventClock = SystemClock()
    /// Called once on the socket thread when it starts accepting connections.
    public var onReady: (@Sendable () -> Void)?
    /// Renders a request that could not be parsed; the head is given when it was read.
    public var errorResponder: @Sendable (HTTPParseError, HTTPRequestHead?) -> HTTPResponse = HTTPServerConfiguration.plainError

    public init() {}

    /// The default error answer: a small JSON body with `__type` and `message`.
    public static func plainError(_ error: HTTPParseError, _ head: HTTPRequestHead?) -> HTTPResponse {
        let body = JSONValue.object(JSONObject([.init(key: "__type", value: .string(error.code)), .init(key: "message", value: .string(error.message))]))
        return HTTPResponse(status: error.status, contentType: "application/json", text: body.jsonText)
    }
}
