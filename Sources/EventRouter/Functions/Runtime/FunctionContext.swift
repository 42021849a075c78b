/// What a handler knows about the invocation it serves.
public struct FunctionContext: Sendable, Equatable {
    /// The invocation's request id (stable across retries of one asynchronous event).
    public var requestId: String
    /// `arn:aws:lambda:REGION:ACCOUNT:function:NAME`.
    public var functionArn: String
    /// The function name.
    public var functionName: String
    /// When the invocation times out.
    public var deadline: Timestamp
    /// 1 for the first attempt, 2 and 3 for retries.
    public var attempt: Int

    public init(requestId: String, functionArn: String, functionName: String, deadline: Timestamp, attempt: Int = 1) {
        self.requestId = requestId
        self.functionArn = functionArn
        self.functionName = functionName
        self.deadline = deadline
        self.attempt = attempt
    }

    /// The context as the JSON object a worker process receives.
    public var json: JSONValue {
        [
            "requestId": .string(requestId), "functionArn": .string(functionArn), "functionName": .string(functionName),
            "deadlineMs": .number(JSONNumber(Int(deadline.millisecondsSinceEpoch))), "attempt": .number(JSONNumber(attempt)),
        ]
    }
}
