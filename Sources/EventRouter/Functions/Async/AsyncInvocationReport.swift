/// The outcome of one asynchronous invocation as `eventrouter invoke --async` prints it:
/// `RequestId`, `Condition`, `ApproximateInvokeCount`, `VirtualSeconds`, `LastResponse`, and
/// either the `Destination` message (kind, ARN, source, detail type, attributes, body) or,
/// with no destination, the invocation `Record` a destination would have received.
public struct AsyncInvocationReport: Sendable, Equatable {
    /// The outcome the report describes.
    public var outcome: AsyncInvocationEngine.Outcome
    /// The virtual time the invocation took (retries included).
    public var elapsed: Duration
    /// The function's ARN (for the record).
    public var functionArn: String

    public init(outcome: AsyncInvocationEngine.Outcome, elapsed: Duration, functionArn: String) {
        self.outcome = outcome
        self.elapsed = elapsed
        self.functionArn = functionArn
    }

    /// Whether the invocation succeeded.
    public var succeeded: Bool { outcome.condition == .success }

    /// The report as one JSON object.
    public var json: JSONValue {
        var o = JSONObject()
        o["RequestId"] = .string(outcome.event.requestId)
        o["Condition"] = .string(outcome.condition.rawValue)
        o["ApproximateInvokeCount"] = .number(JSONNumber(outcome.event.invokeCount))
        o["VirtualSeconds"] = .number(JSONNumber(elapsed.seconds))
        if let result = outcome.event.lastResult { o["LastResponse"] = result.responsePayload }
        if let m = outcome.message {
            o["Destination"] = .object(Self.json(of: m))
        } else {
            o["Destination"] = .null
            o["Record"] = InvocationRecord.make(event: outcome.event, condition: outcome.condition, functionArn: functionArn, timestamp: outcome.finishedAt)
        }
        return .object(o)
    }

    private static func json(of m: DestinationMessage) -> JSONObject {
        var d = JSONObject()
        d["Kind"] = .string(m.kind.rawValue)
        d["DestinationArn"] = .string(m.destinationArn)
        if let source = m.eventSource { d["Source"] = .string(source) }
        if let type = m.detailType { d["DetailType"] = .string(type) }
        if !m.attributes.isEmpty {
            d["MessageAttributes"] = .object(JSONObject(m.attributes.sorted { $0.key < $1.key }.map {
                .init(key: $0.key, value: ["DataType": .string($0.value.dataType), "StringValue": .string($0.value.stringValue)])
            }))
        }
        d["Body"] = m.body
        return d
    }
}

extension FunctionWorkspace {
    /// Invokes function `name` asynchronously (see ``invokeAsync(_:payload:sink:seed:timeoutClock:)``)
    /// and reports the outcome as `eventrouter invoke --async` prints it.
    /// - Throws: ``EventRouterError`` when the function does not exist or the event is refused.
    public func invokeAsyncReport(_ name: String, payload: JSONValue,
                                  timeoutClock: any EventClock = SystemClock()) async throws(EventRouterError) -> AsyncInvocationReport {
        let (outcome, elapsed) = try await invokeAsync(name, payload: payload, timeoutClock: timeoutClock)
        return AsyncInvocationReport(outcome: outcome, elapsed: elapsed, functionArn: try manifest(named: name).arn)
    }
}
