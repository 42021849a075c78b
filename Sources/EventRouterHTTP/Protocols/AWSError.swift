/// An error answered the way AWS answers it: a code (`__type` in JSON, `<Code>` in XML, the
/// `x-amzn-ErrorType` header in rest-json), a message and an HTTP status.
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The error shape name, e.g. `ValidationException`.
    public var code: String
    /// What is wrong and what to change.
    public var message: String
    /// The HTTP status.
    public var status: Int
    /// The legacy query code when it differs from ``code`` (SQS: sent as `x-amzn-query-error`
    /// in JSON and as `<Code>` in XML).
    public var queryCode: String?
    /// Whether the caller is at fault (`Sender`) rather than the server (`Receiver`).
    public var senderFault: Bool

    public init(code: String, message: String, status: Int = 400, queryCode: String? = nil, senderFault: Bool = true) {
        self.code = code
        self.message = message
        self.status = status
        self.queryCode = queryCode
        self.senderFault = senderFault
    }

    public var description: String { "\(code) (\(status)): \(message)" }

    /// The body is not JSON, not UTF-8, not an object, or a member has the wrong type.
    public static func serialization(_ message: String) -> AWSError { AWSError(code: "SerializationException", message: message) }
    /// A required member is missing or a value breaks a constraint.
    public static func validation(_ message: String) -> AWSError { AWSError(code: "ValidationException", message: message) }

    /// An operation the service does not have, in the protocol's own words.
    public static func unknownOperation(_ operation: String, service: String, protocol: AWSProtocol) -> AWSError {
        switch `protocol` {
        case .query:
            AWSError(code: "InvalidAction", message: "The action \(operation) is not valid for this web service (\(service)).")
        case .restJSON:
            AWSError(code: "UnknownOperationException", message: "no \(service) operation is served at this method and path", status: 404)
        case .json10, .json11, .cbor11:
            AWSError(code: "UnknownOperationException", message: "\(service) has no operation \(operation)")
        }
    }

    /// A signature that does not match the secret key.
    public static func signatureMismatch(_ message: String, protocol: AWSProtocol) -> AWSError {
        AWSError(code: `protocol` == .query ? "SignatureDoesNotMatch" : "InvalidSignatureException", message: message, status: 403)
    }

    /// An access key that maps to no account (under strict authentication).
    public static func unrecognizedClient(_ accessKeyId: String, protocol: AWSProtocol) -> AWSError {
        AWSError(code: `protocol` == .query ? "InvalidClientTokenId" : "UnrecognizedClientException",
                 message: "The security token included in the request is invalid: access key '\(accessKeyId)' is not configured for any account.",
                 status: 403)
    }

    /// An unsigned request (under strict authentication).
    public static func missingAuthentication(protocol: AWSProtocol) -> AWSError {
        AWSError(code: `protocol` == .query ? "MissingAuthenticationToken" : "MissingAuthenticationTokenException",
                 message: "Request is missing Authentication Token: sign it with SigV4 (strict authentication is on)", status: 403)
    }

    /// A malformed `Authorization` header (under strict authentication).
    public static func incompleteSignature(_ message: String, protocol: AWSProtocol) -> AWSError {
        AWSError(code: `protocol` == .query ? "IncompleteSignature" : "IncompleteSignatureException", message: message)
    }
}
