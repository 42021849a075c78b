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
/// attempts one at a time on a virtual clock. Topic subscriptions (SNS invokes Lambda
/// asynchronously too) and function destinations (an invocation record queued to another
/// function) come through the same type.
public struct FunctionTarget: EventTarget {
    public let functions: FunctionHost

    public init(functions: FunctionHost) { self.functions = functions }

    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        switch delivery.origin {
        case .rule, .ruleDeadLetter: return await deliverForRule(delivery)
        case .subscription: return await deliverForSubscription(delivery)
        case .destination(let message):
            // Lambda's function destinations: the record is queued to the function's engine.
            guard let engine = functions.engine(for: delivery.targetArn.description) else {
                return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: "function \(delivery.targetArn) does not exist")
            }
            await engine.enqueue(message.body)
            return .success
        }
    }

    private func deliverForRule(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        guard let engine = functions.engine(for: delivery.targetArn.description) else {
            return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: "function \(delivery.targetArn) does not exist; add Functions/NAME/function.json to register it")
        }
        // A qualified ARN (alias, version, $LATEST) runs the same function; the record carries it.
        let qualifier = FunctionManifest.splitQualifier(delivery.targetArn.description).qualifier
        if let problem = engine.runtime.manifest.qualifierProblem(qualifier) {
            return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: problem)
        }
        let payload: JSONValue
        do { payload = try JSONParser.parse(delivery.body) } catch {
            return .nonRetriable(code: DeliveryOutcome.Code.invalidInput, message: "a function's payload must be JSON, but the target's input is not (\(error)); use a JSON InputTemplate or Input")
        }
        do {
            try await engine.accept(payload, qualifier: qualifier == "$LATEST" ? nil : qualifier)
        } catch {
            return .nonRetriable(code: DeliveryOutcome.Code.invalidInput, message: "\(error)")
        }
        return .success
    }

    /// SNS invokes Lambda asynchronously: a delivery succeeds when the function's asynchronous
    /// queue accepts the event (`Records[].Sns`); an unknown function is a client-side error
    /// (`ResourceNotFoundException`), as for a deleted function in SNS.
    private func deliverForSubscription(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        let endpoint = delivery.targetArn.description
        guard let payload = try? JSONParser.parse(delivery.body) else {
            return .nonRetriable(code: "InvalidRequestContentException", message: "The Lambda event for \(endpoint) is not JSON.")
        }
        guard await functions.invokeAsync(endpoint, payload: payload) != nil else {
            return .nonRetriable(code: "ResourceNotFoundException", message: "Function not found: \(endpoint) (no folder Functions/NAME with that name is loaded).")
        }
        return .success
    }
}
