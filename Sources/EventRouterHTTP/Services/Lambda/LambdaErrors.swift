import EventRouter

/// Lambda's errors on the wire (`x-amzn-ErrorType` plus a JSON body, statuses from the model:
/// wire.md §5), worded to say what to change.
enum LambdaErrors {
    /// The folder layout quoted when the API is asked to create or change a function.
    static let folderLayout = """
        Functions/NAME/function.json (e.g. {"Runtime": "process", "Handler": "handler.py", "Mode": "worker", "Timeout": 3, \
        "Environment": {"Variables": {"KEY": "value"}}} or {"Runtime": "swift", "Handler": "TypeName"}) beside the handler \
        (Functions/NAME/handler.py, or Functions/NAME/TypeName.swift compiled into eventrouter); see Functions/README.md
        """

    /// CreateFunction, UpdateFunctionCode, UpdateFunctionConfiguration and DeleteFunction.
    static func functionsAreFolders(_ operation: LambdaRoute.Operation) -> AWSError {
        let what: String
        switch operation {
        case .createFunction: what = "create a function by adding its folder"
        case .deleteFunction: what = "delete a function by removing its folder"
        default: what = "change a function by editing its folder"
        }
        return AWSError(code: "InvalidParameterValueException",
                        message: "\(operation.rawValue) is not served: in EventRouter functions are folders under Functions/, read when `eventrouter run` starts; \(what) and restart. Layout: \(folderLayout)")
    }

    /// `InvalidParameterValueException` naming `field`.
    static func invalid(_ field: String, _ reason: String) -> AWSError {
        AWSError(code: "InvalidParameterValueException", message: "\(field): \(reason)")
    }

    /// `ResourceNotFoundException` (404).
    static func notFound(_ message: String) -> AWSError {
        AWSError(code: "ResourceNotFoundException", message: message, status: 404)
    }

    /// Runs `body`, answering a body member of the wrong type as `InvalidRequestContentException`
    /// (Lambda's code for a body it cannot read) rather than the JSON protocols' `SerializationException`.
    static func reading<T>(_ body: () throws(AWSError) -> T) throws(AWSError) -> T {
        do { return try body() } catch {
            guard error.code == "SerializationException" else { throw error }
            throw AWSError(code: "InvalidRequestContentException", message: error.message)
        }
    }

    /// An integer member that must lie in `range`, or `nil` when absent.
    static func integer(_ input: JSONInput, _ name: String, _ range: ClosedRange<Int>, required: Bool = false) throws(AWSError) -> Int? {
        guard let value = try reading({ () throws(AWSError) -> Int? in try input.integer(name, required: required) }) else { return nil }
        guard range.contains(value) else {
            throw invalid(name, "\(value) is out of range: it must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    /// The 429 of a synchronous invocation refused for lack of concurrency, with its `Reason`.
    static func throttled(reserved: Bool, requestId: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("x-amzn-ErrorType", "TooManyRequestsException")
        headers.add("Retry-After", "1")
        let reason = reserved ? "ReservedFunctionConcurrentInvocationLimitExceeded" : "ConcurrentInvocationLimitExceeded"
        let message = reserved
            ? "Rate Exceeded. The function's reserved concurrency is in use (ReservedFunctionConcurrentInvocationLimitExceeded); retry later or raise it with PutFunctionConcurrency"
            : "Rate Exceeded. The account's unreserved concurrency is in use (ConcurrentInvocationLimitExceeded); retry later or raise ConcurrentExecutions in the account's Accounts entry"
        let body: JSONValue = ["Type": "User", "message": .string(message), "Reason": .string(reason)]
        return HTTPResponse(status: 429, contentType: "application/json", text: body.jsonText, headers: headers)
    }
}
