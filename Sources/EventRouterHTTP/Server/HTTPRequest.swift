/// One parsed HTTP/1.x request with its whole body.
public struct HTTPRequest: Sendable {
    /// The method, e.g. `POST`, exactly as sent (methods are case-sensitive).
    public var method: String
    /// The request target as sent, e.g. `/2015-03-31/functions/f%3Ax?Qualifier=1`.
    public var target: String
    /// The path part of the target, still percent-encoded (split on `/` before decoding).
    public var path: String
    /// The query part of the target without `?`, still percent-encoded; empty when there is none.
    public var query: String
    /// The minor version: 1 for HTTP/1.1, 0 for HTTP/1.0.
    public var minorVersion: Int
    /// The header fields.
    public var headers: HTTPHeaders
    /// The body (de-chunked).
    public var body: [UInt8]

    public init(method: String, target: String, minorVersion: Int = 1, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.minorVersion = minorVersion
        self.headers = headers
        self.body = body
        let parts = HTTPRequest.split(target: target)
        path = parts.path
        query = parts.query
    }

    /// Whether the connection stays open after the response: HTTP/1.1 unless `Connection: close`,
    /// HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool {
        if headers.contains("Connection", token: "close") { return false }
        return minorVersion >= 1 || headers.contains("Connection", token: "keep-alive")
    }

    /// Splits an origin-form or absolute-form target into path and query.
    static func split(target: String) -> (path: String, query: String) {
        if let split = splitASCIIOriginForm(target) { return split }
        var rest = Substring(target)
        for scheme in ["http://", "https://"] where rest.lowercased().hasPrefix(scheme) {
            rest = rest.dropFirst(scheme.count)
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        }
        guard let q = rest.firstIndex(of: "?") else { return (String(rest), "") }
        return (String(rest[..<q]), String(rest[rest.index(after: q)...]))
    }

    /// `split(target:)` for an all-ASCII origin-form target (every client's) by bytes, without
    /// `Character` work; `nil` for any other target. For ASCII text the two agree: every byte is
    /// a `Character` of its own (a target has no CR LF pair) and `/` does not lowercase to a scheme.
    private static func splitASCIIOriginForm(_ target: String) -> (path: String, query: String)? {
        let split = target.utf8.withContiguousStorageIfAvailable { p -> (path: String, query: String)? in
            guard p.first == 0x2F else { return nil }
            var question: Int?
            for i in p.indices {
                let c = p[i]
                if c >= 0x80 { return nil }
                if c == 0x3F && question == nil { question = i }
            }
            guard let q = question else { return (target, "") }
            return (String(decoding: UnsafeBufferPointer(rebasing: p[..<q]), as: UTF8.self),
                    String(decoding: UnsafeBufferPointer(rebasing: p[(q + 1)...]), as: UTF8.self))
        }
        return split ?? nil
    }
}
