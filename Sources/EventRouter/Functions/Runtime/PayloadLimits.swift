/// Lambda's invocation payload quotas, in bytes (Lambda's documented quotas: 6 MB for a
/// synchronous request and for a response, 1 MB for an asynchronous request).
public enum PayloadLimits {
    /// The largest synchronous request payload: 6,291,456 bytes.
    public static let synchronousRequest = 6_291_456
    /// The largest asynchronous request payload: 1,048,576 bytes.
    public static let asynchronousRequest = 1_048_576
    /// The largest response payload: 6,291,456 bytes.
    public static let response = 6_291_456
}

extension FunctionError {
    /// A handler's response over ``PayloadLimits/response``, as Lambda reports it.
    public static var responseTooLarge: FunctionError {
        FunctionError(type: "Function.ResponseSizeTooLarge",
                      message: "Response payload size exceeded maximum allowed payload size (\(PayloadLimits.response) bytes).")
    }

    /// A request payload of `size` bytes over `limit`, as Lambda's `Invoke` refuses it (HTTP 413).
    public static func requestTooLarge(size: Int, limit: Int) -> FunctionError {
        FunctionError(type: "RequestEntityTooLargeException",
                      message: "Request must be smaller than \(limit) bytes for the InvokeFunction operation (the payload has \(size) bytes)")
    }
}
