import EventRouter

/// Amazon Kinesis Data Streams over JSON 1.1: streams, shards and records, served from the
/// engine's streams.
public struct KinesisService: AWSService {
    public let name = "kinesis"
    public let xmlNamespace = ""
    let runtime: RouterRuntime

    /// Serves the streams of `runtime`.
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
