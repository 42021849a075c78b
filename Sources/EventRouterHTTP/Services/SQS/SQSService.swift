import EventRouter

/// Amazon SQS in both of its protocols on one port: JSON 1.0 (`X-Amz-Target:
/// AmazonSQS.<Operation>`, current SDKs) and query (`Action=…`, older SDKs and CLIs), served
/// from the runtime's queues. Queue URLs point back at this server.
public struct SQSService: AWSService {
    public let name = "sqs"
    public let xmlNamespace = "http://queue.amazonaws.com/doc/2012-11-05/"
    public var queryCompatible: Bool { true }
    /// The runtime whose queues this service reads and changes.
    public let runtime: RouterRuntime

    /// - Parameter runtime: the running router (its clock and queue registry).
    public init(runtime: RouterRuntime) {
        self.runtime = runtime
    }

    public func handle(_ call: AWSCall) async throws(AWSError) -> AWSReply {
        throw .unknownOperation(call.operation, service: name, protocol: call.protocol)
    }
}
