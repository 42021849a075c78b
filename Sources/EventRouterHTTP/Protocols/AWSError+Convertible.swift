import EventRouter

extension AWSError: AWSErrorConvertible {
    public var awsCode: String { code }
    public var httpStatus: Int { status }
    public var awsMessage: String { message }

    /// The answer to any library error: its code and status (an ``EventRouterError`` reports
    /// those of its cause) and its message.
    public init(_ error: any AWSErrorConvertible) {
        self.init(code: error.awsCode, message: error.awsMessage, status: error.httpStatus, senderFault: error.httpStatus < 500)
    }
}
