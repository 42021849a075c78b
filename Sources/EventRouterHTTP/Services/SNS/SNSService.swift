import EventRouter

/// Amazon SNS over the query protocol (form in, XML out): topics, subscriptions and publishing,
/// delivered through the engine's topics.
public struct SNSService: AWSService {
    public let name = "sns"
    public let xmlNamespace = "http://sns.amazonaws.com/doc/2010-03-31/"
    let runtime: RouterRuntime

    /// Serves the topics of `runtime`.
    public init(runtime: RouterRuntime) {
        self.runtime = runtime
    }

    public func handle(_ call: AWSCall) async throws(AWSError) -> AWSReply {
        switch call.operation {
        default:
            throw .unknownOperation(call.operation, service: name, protocol: call.protocol)
        }
    }
}
