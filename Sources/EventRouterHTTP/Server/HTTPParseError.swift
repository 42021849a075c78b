/// Why a request could not be read, with the status it is answered with. The server answers it
/// and closes the connection (what follows the bad bytes cannot be trusted).
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 400, 408, 413, 417, 431, 501 or 505.
    public var status: Int
    /// A short code, e.g. `BadRequest`, used as the error type in the answer.
    public var code: String
    /// What was wrong and what to change.
    public var message: String
    /// The request's `Content-Type` when its header fields were read before the error (so the
    /// answer can be in the request's protocol even without a parsed head).
    public var contentType: String?

    public init(status: Int, code: String, message: String, contentType: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.contentType = contentType
    }

    public var description: String { "\(status) \(code): \(message)" }

    static func badRequest(_ message: String) -> HTTPParseError { HTTPParseError(status: 400, code: "BadRequest", message: message) }
    static func timeout(_ message: String) -> HTTPParseError { HTTPParseError(status: 408, code: "RequestTimeout", message: message) }
    static func tooLarge(_ message: String) -> HTTPParseError { HTTPParseError(status: 413, code: "RequestEntityTooLarge", message: message) }
    static func headersTooLarge(_ message: String) -> HTTPParseError {
        HTTPParseError(status: 431, code: "RequestHeaderFieldsTooLarge", message: message)
    }
}
