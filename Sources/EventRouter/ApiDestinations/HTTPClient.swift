/// One HTTP request an API destination makes (an invocation or an OAuth token request).
public struct HTTPClientRequest: Sendable, Hashable {
    public var method: String
    /// The absolute URL, query string included.
    public var url: String
    /// Headers in order.
    public var headers: [HTTPParameter]
    public var body: [UInt8]

    public init(method: String, url: String, headers: [HTTPParameter] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
}

/// What the endpoint answered.
public struct HTTPClientResponse: Sendable, Hashable {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        var lowered: [String: String] = [:]
        for (k, v) in headers { lowered[k.lowercased()] = v }
        self.headers = lowered
        self.body = body
    }
}

/// Why no answer came.
public enum HTTPClientFailure: Error, Sendable, Hashable {
    /// No answer within the timeout.
    case timeout
    /// The connection could not be made or broke (refused, reset, DNS).
    case connection(String)
    /// The URL could not be used.
    case badURL(String)
}

/// The seam between API destinations and the network: ``URLSessionHTTPClient`` in production,
/// a fake (or a local recording server) in tests. An implementation must not block the
/// cooperative pool.
public protocol HTTPClient: Sendable {
    /// Sends `request`, giving up after `timeout`.
    func send(_ request: HTTPClientRequest, timeout: Duration) async -> Result<HTTPClientResponse, HTTPClientFailure>
}
