// The engine's error types in AWS's words (the protocol and the core errors' conformances are in
// EventRouterCore's Errors/AWSErrorConvertible.swift).

extension QueueError: AWSErrorConvertible {
    public var awsCode: String { code.name }
    public var awsMessage: String { message }
}

extension TopicError: AWSErrorConvertible {
    public var awsCode: String { code.name }
    public var awsMessage: String { message }
}

extension StreamError: AWSErrorConvertible {
    public var awsCode: String { code.name }
    public var awsMessage: String { message }
}

extension FunctionError: AWSErrorConvertible {
    /// `RequestEntityTooLargeException` for an oversized request (Lambda refuses it, 413);
    /// otherwise the function's own error type: Lambda answers a function error with status
    /// 200 and the `X-Amz-Function-Error` header.
    public var awsCode: String { type }
    public var httpStatus: Int { type == "RequestEntityTooLargeException" ? 413 : 200 }
    public var awsMessage: String { message }
}

extension EventSourceMappingError: AWSErrorConvertible {
    public var awsCode: String { "InvalidParameterValueException" }
    public var awsMessage: String { description }
}

extension FunctionManifestError: AWSErrorConvertible {
    public var awsCode: String { "InvalidParameterValueException" }
    public var awsMessage: String { description }
}
