/// A response: status, header fields and the whole body. The server adds `Content-Length` and
/// `Connection` itself and writes the response with one `send`.
public struct HTTPResponse: Sendable {
    /// The status code, e.g. 200.
    public var status: Int
    /// Header fields (without `Content-Length`, which the server writes).
    public var headers: HTTPHeaders
    /// The body.
    public var body: [UInt8]
    /// Work the request still has to do once its answer is settled (e.g. SNS deliveries after
    /// `Publish` is answered). A handler running on the server's socket thread has its response
    /// written first and then does this work there, before the thread reads anything else (so a
    /// request sent after the answer sees its effects, unless the work waits for another thread);
    /// on the pool the work is done first and the response written after it. Callers of
    /// ``HTTPHandler/handle(_:)`` other than the server run it themselves.
    public var afterSending: (@Sendable () async -> Void)?
    /// Held back until the request's journal records are stored (``HTTPStoredAnswer``); only
    /// ``HTTPHandler/handleDeferringStorage(_:)`` returns responses with it, and the server then
    /// sends the response (or the not-stored answer) from the journal's completion.
    public var untilStored: HTTPStoredAnswer?

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response whose body is `text` with the given content type.
    public init(status: Int, contentType: String, text: String, headers: HTTPHeaders = HTTPHeaders()) {
        var all = headers
        all.set("Content-Type", contentType)
        self.init(status: status, headers: all, body: Array(text.utf8))
    }

    /// The bytes on the wire: status line, fields, `Content-Length`, `Connection: close` when the
    /// connection ends after it, and the body (left out for `HEAD` and statuses that have none).
    public func serialized(keepAlive: Bool, headRequest: Bool = false) -> [UInt8] {
        let bodyless = status == 204 || status == 304 || (100..<200).contains(status)
        var out: [UInt8] = []
        out.reserveCapacity(128 + headers.fields.count * 48 + (headRequest ? 0 : body.count))
        // Bytes appended, numbers written digit by digit: every answer is serialized before it is sent.
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        Self.appendDecimal(status, to: &out)
        out.append(0x20)
        out.append(contentsOf: HTTPResponse.reason(for: status).utf8)
        out.append(contentsOf: "\r\n".utf8)
        for field in headers.fields where !HTTPHeaders.sameName(field.name, "Content-Length") && !HTTPHeaders.sameName(field.name, "Connection") {
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        if !bodyless {
            out.append(contentsOf: "Content-Length: ".utf8)
            Self.appendDecimal(body.count, to: &out)
            out.append(contentsOf: "\r\n".utf8)
        }
        if !keepAlive { out.append(contentsOf: "Connection: close\r\n".utf8) }
        out.append(contentsOf: "\r\n".utf8)
        if !bodyless && !headRequest { out.append(contentsOf: body) }
        return out
    }

    /// Appends the decimal digits of `value` (not negative).
    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        guard value > 0 else {
            out.append(0x30)
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                      UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[count] = UInt8(truncatingIfNeeded: 0x30 + rest % 10)
                rest /= 10
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[i]) }
        }
    }

    /// The reason phrase of `status`.
    public static func reason(for status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Status \(status)"
        }
    }
}
