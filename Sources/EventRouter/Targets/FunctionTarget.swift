/// Delivers to Lambda-style handler functions of a ``FunctionHost`` the way EventBridge invokes
/// Lambda: asynchronously.
///
/// A delivery succeeds as soon as the function's ``AsyncInvocationEngine`` has accepted the
/// event (Lambda's 202); what happens next — reserved concurrency, throttle backoff, function
/// errors retried 1 and 2 minutes later, the on-success / on-failure destination or the
/// function's dead-letter queue — is Lambda's own asynchronous layer. So there are two failure
/// layers: the rule target's retry policy and dead-letter queue only see *delivery* failures
/// (no such function, input that is not JSON), while function errors go through the function's
/// settings. A function with reserved concurrency 0 still accepts the event; Lambda then sends
/// it to the failure destination without invoking it.
///
/// The target only enqueues: it never waits for the invocation, so the delivery engine can run
/// attempts one at a time on a virtual clock.
public struct FunctionTarget: EventTarget {
    public let functions: FunctionHost

    public init(functions: FunctionHost) { self.functions = functions }

    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        guard let engine = functions.engine(for: delivery.targetArn) else {
            return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: "function \(delivery.targetArn) does not exist; add Functions/NAME/function.json to register it")
        }
        let payload: JSONValue
        do { payload = try JSONParser.parse(delivery.body) } catch {
            return .nonRetriable(code: DeliveryOutcome.Code.invalidInput, message: "a function's payload must be JSON, but the target's input is not (\(error)); use a JSON InputTemplate or Input")
        }
        do {
            try await engine.accept(payload)
        } catch {
            return .nonRetriable(code: DeliveryOutcome.Code.invalidInput, message: "\(error)")
        }
        return .success
    }
}
