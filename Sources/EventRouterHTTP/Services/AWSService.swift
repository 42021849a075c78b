import EventRouter

/// One call to an AWS API, routed and authenticated.
public struct AWSCall: Sendable {
    /// The credential-scope service name, e.g. `sts`.
    public var service: String
    /// The protocol it arrived in.
    public var `protocol`: AWSProtocol
    /// The operation, e.g. `GetCallerIdentity`.
    public var operation: String
    /// Who sent it.
    public var caller: Caller
    /// The id echoed in `x-amzn-RequestId` / `<RequestId>`.
    public var requestId: String
    /// The HTTP request itself.
    public var request: HTTPRequest
    /// Query-protocol parameters (decoded form body or GET query); empty otherwise.
    public var parameters: [(String, String)]
    /// JSON-protocol body; empty otherwise.
    public var input: JSONInput

    /// The first value of query parameter `name`.
    public func parameter(_ name: String) -> String? { parameters.first { $0.0 == name }?.1 }
}

/// What a service answers.
public enum AWSReply: Sendable {
    /// A JSON-protocol payload object.
    case json(JSONValue)
    /// The inner XML of `<OpResult>`; `nil` for operations without output.
    case query(resultXML: String?)
    /// A response built by the service itself (rest-json status codes, raw payloads).
    case http(HTTPResponse)
    /// `reply`, then `work` once it is answered (``HTTPResponse/afterSending``).
    indirect case then(AWSReply, work: @Sendable () async -> Void)
    /// `reply`, acknowledged only once `ticket`'s journal records are stored; when they are not,
    /// the error `notStored` makes is answered instead (``HTTPResponse/untilStored``). The
    /// service's task need not wait for the `fsync`.
    indirect case whenStored(AWSReply, StateJournalTicket, notStored: @Sendable (StateJournalFailure) -> AWSError)
}

/// An AWS service served over the wire: EventBridge, SQS, STS, … . A new one is one conforming
/// type plus its registration in ``AWSEndpoint``.
public protocol AWSService: Sendable {
    /// The credential-scope name (`events`, `sqs`, `sts`).
    var name: String { get }
    /// The XML namespace of query replies (empty if the service has no query protocol).
    var xmlNamespace: String { get }
    /// Errors over JSON carry `x-amzn-query-error` (SQS, `awsQueryCompatible`).
    var queryCompatible: Bool { get }
    /// Answers one call.
    /// - Throws: ``AWSError``, answered in the call's protocol.
    func handle(_ call: AWSCall) async throws(AWSError) -> AWSReply
    /// Whether ``answerAtOnce(_:)`` may answer `operation` now (asked before the body is decoded,
    /// so that other requests are not decoded twice).
    func answersAtOnce(_ operation: String) -> Bool
    /// The reply to `call` made at once on the server's socket thread, without suspending (no
    /// actor, no I/O), or `nil` to go through ``handle(_:)``. Called only for operations
    /// ``answersAtOnce(_:)`` accepts.
    /// - Throws: ``AWSError``, answered in the call's protocol.
    func answerAtOnce(_ call: AWSCall) throws(AWSError) -> AWSReply?
}

extension AWSService {
    public var queryCompatible: Bool { false }
    public func answersAtOnce(_ operation: String) -> Bool { false }
    public func answerAtOnce(_ call: AWSCall) throws(AWSError) -> AWSReply? { nil }
}
