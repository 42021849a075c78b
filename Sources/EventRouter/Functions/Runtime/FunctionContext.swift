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
    /// Where the invocation's log is kept when the caller asked for it (`LogType: Tail`).
    public var invocationLog: InvocationLog?

    public init(requestId: String, functionArn: String, functionName: String, deadline: Timestamp, attempt: Int = 1,
                invocationLog: InvocationLog? = nil) {
        self.requestId = requestId
        self.functionArn = functionArn
        self.functionName = functionName
        self.deadline = deadline
        self.attempt = attempt
        self.invocationLog = invocationLog
    }

    /// Writes a line to the invocation's log (returned base64 in `X-Amz-Log-Result` when the
    /// caller asked for `LogType: Tail`; dropped otherwise).
    public func log(_ line: String) { invocationLog?.append(line: line) }

    /// The context as the JSON object a worker process receives.
    public var json: JSONValue {
        [
            "requestId": .string(requestId), "functionArn": .string(functionArn), "functionName": .string(functionName),
            "deadlineMs": .number(JSONNumber(Int(deadline.millisecondsSinceEpoch))), "attempt": .number(JSONNumber(attempt)),
        ]
    }
}
