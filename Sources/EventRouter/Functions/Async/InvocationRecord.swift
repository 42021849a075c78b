/// Builds what the destinations of an asynchronous invocation receive.
public enum InvocationRecord {
    /// The `detail-type` of success records sent to an event bus.
    public static let successDetailType = "Lambda Function Invocation Result - Success"
    /// The `detail-type` of failure records sent to an event bus.
    public static let failureDetailType = "Lambda Function Invocation Result - Failure"
    /// The error message of events refused because reserved concurrency is 0.
    public static let zeroConcurrencyMessage = "Function not invoked. The function is configured with zero reserved concurrent executions (ReservedConcurrentExecutions: 0)."

    /// The function ARN carries the qualifier it was invoked with (`:$LATEST` by default), and
    /// `executedVersion` the version that qualifier runs as.
    /// The invocation record Lambda sends to `OnSuccess` / `OnFailure`:
    /// `{"version", "timestamp", "requestContext": {"requestId", "functionArn", "condition",
    /// "approximateInvokeCount"}, "requestPayload", "responseContext": {"statusCode",
    /// "executedVersion", "functionError"?}, "responsePayload"}`.
    public static func make(
        event: AsyncInvocationStateMachine.Event, condition: AsyncInvocationStateMachine.Condition,
        functionArn: String, timestamp: Timestamp, executedVersion: String = "$LATEST"
    ) -> JSONValue {
        var record = JSONObject()
        record["version"] = "1.0"
        record["timestamp"] = .string(timestamp.iso8601Milliseconds)
        record["requestContext"] = [
            "requestId": .string(event.requestId), "functionArn": .string(functionArn + ":" + (event.qualifier ?? "$LATEST")),
            "condition": .string(condition.rawValue), "approximateInvokeCount": .number(JSONNumber(event.invokeCount)),
        ]
        record["requestPayload"] = event.payload
        if let result = event.lastResult {
            var response = JSONObject()
            response["statusCode"] = .number(JSONNumber(statusCode(result)))
            response["executedVersion"] = .string(executedVersion)
            if case .functionError = result { response["functionError"] = "Unhandled" }
            record["responseContext"] = .object(response)
            record["responsePayload"] = result.responsePayload
        }
        return .object(record)
    }

    /// 200 for anything the function ran (success or function error), 429 for throttles.
    static func statusCode(_ result: InvocationResult) -> Int {
        if case .throttled = result { return 429 }
        return 200
    }

    /// The message for `arn`: the record, wrapped with `source`/`detail-type` for a bus.
    public static func message(record: JSONValue, success: Bool, to arn: String, functionArn: String, qualifier: String? = nil) -> DestinationMessage {
        var message = DestinationMessage(kind: .invocationRecord, destinationArn: arn, body: record)
        if message.destinationKind == .bus {
            message.eventSource = "lambda"
            message.detailType = success ? successDetailType : failureDetailType
            message.resources = [functionArn + ":" + (qualifier ?? "$LATEST")]
        }
        return message
    }

    /// The dead-letter message: the original event with `RequestID`, `ErrorCode` (the HTTP
    /// status, a Number) and `ErrorMessage` (at most 1 KB).
    public static func deadLetter(event: AsyncInvocationStateMachine.Event, condition: AsyncInvocationStateMachine.Condition, to arn: String) -> DestinationMessage {
        let code: Int
        var text: String
        switch event.lastResult {
        case .functionError(let e)?:
            code = 200
            text = e.message
        case .throttled?:
            code = 429
            text = "Rate Exceeded. The event was throttled until it was older than MaximumEventAgeInSeconds."
        case .success?, nil:
            code = condition == .zeroReservedConcurrency ? 429 : 200
            text = condition == .zeroReservedConcurrency ? zeroConcurrencyMessage : condition.rawValue
        }
        if text.utf8.count > 1024 { text = String(decoding: Array(text.utf8.prefix(1024)), as: UTF8.self) }
        return DestinationMessage(
            kind: .deadLetter, destinationArn: arn, body: event.payload,
            attributes: [
                "RequestID": .init(dataType: "String", stringValue: event.requestId),
                "ErrorCode": .init(dataType: "Number", stringValue: String(code)),
                "ErrorMessage": .init(dataType: "String", stringValue: text),
            ])
    }
}
