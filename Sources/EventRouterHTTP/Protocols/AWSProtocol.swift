/// The AWS wire protocols a request can arrive in.
public enum AWSProtocol: String, Sendable, Equatable {
    /// `application/x-amz-json-1.0` with `X-Amz-Target` (SQS).
    case json10
    /// `application/x-amz-json-1.1` with `X-Amz-Target` (EventBridge, Kinesis).
    case json11
    /// Form body with `Action=` and XML replies (STS, SNS, SQS from older clients).
    case query
    /// Method and path, JSON bodies (Lambda).
    case restJSON
    /// `application/x-amz-cbor-1.1` with `X-Amz-Target` (Kinesis from the Java SDKs): the JSON 1.1
    /// operations with CBOR bodies, errors included.
    case cbor11

    /// The `Content-Type` of replies.
    public var contentType: String {
        switch self {
        case .json10: "application/x-amz-json-1.0"
        case .json11: "application/x-amz-json-1.1"
        case .query: "text/xml"
        case .restJSON: "application/json"
        case .cbor11: "application/x-amz-cbor-1.1"
        }
    }

    /// Whether errors are `__type` JSON bodies.
    public var isJSON: Bool { self == .json10 || self == .json11 }
}
