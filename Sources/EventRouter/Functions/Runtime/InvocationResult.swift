/// How one invocation attempt ended.
public enum InvocationResult: Sendable, Equatable {
    /// The handler returned this JSON.
    case success(JSONValue)
    /// The handler failed, timed out, crashed or printed invalid JSON.
    case functionError(FunctionError)
    /// No concurrency was available (HTTP 429 `TooManyRequestsException`); the handler did not run.
    case throttled

    /// Lambda's response payload: the result, `{"errorType","errorMessage"}`, or the throttle error.
    public var responsePayload: JSONValue {
        switch self {
        case .success(let v): return v
        case .functionError(let e): return e.payload
        case .throttled:
            return ["errorType": "TooManyRequestsException", "errorMessage": "Rate Exceeded.", "Reason": "ReservedFunctionConcurrentInvocationLimitExceeded"]
        }
    }
}
