import EventRouter

/// Amazon EventBridge over JSON 1.1 (`X-Amz-Target: AWSEvents.<Operation>`), served from the
/// runtime's router: what a put over the wire does is exactly what `replay` does with an entry.
public struct EventBridgeService: AWSService {
    public let name = "events"
    public let xmlNamespace = ""
    /// The runtime whose buses, rules and archives this service reads and changes.
    public let runtime: RouterRuntime

    /// - Parameter runtime: the running router (its clock, buses, targets and archives).
    public init(runtime: RouterRuntime) {
        self.runtime = runtime
    }

    public func handle(_ call: AWSCall) async throws(AWSError) -> AWSReply {
        throw .unknownOperation(call.operation, service: name, protocol: call.protocol)
    }
}
