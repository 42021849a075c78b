/// An error of a log group operation, carrying CloudWatch Logs' error code.
///
/// ``message`` says what was wrong and what to change; ``code`` is the name CloudWatch Logs
/// uses on the wire, so the HTTP layer passes it through.
public struct LogGroupError: Error, Sendable, Equatable, CustomStringConvertible, AWSErrorConvertible {
    /// A CloudWatch Logs error code.
    public enum Code: String, Sendable, Hashable {
        /// The log group or stream does not exist.
        case resourceNotFound = "ResourceNotFoundException"
        /// A log group or stream of that name exists.
        case resourceAlreadyExists = "ResourceAlreadyExistsException"
        /// A parameter is malformed or out of range.
        case invalidParameter = "InvalidParameterException"
        /// The log files could not be written or read.
        case serviceUnavailable = "ServiceUnavailableException"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
    public var awsCode: String { code.rawValue }
    public var awsMessage: String { message }
    public var httpStatus: Int { code == .serviceUnavailable ? 500 : 400 }

    static func noGroup(_ name: String) -> LogGroupError {
        LogGroupError(.resourceNotFound, "The specified log group does not exist: '\(name)'; create it with CreateLogGroup or declare it under LogGroups in a rule file")
    }

    static func noStream(_ stream: String, group: String) -> LogGroupError {
        LogGroupError(.resourceNotFound, "The specified log stream does not exist: '\(stream)' in log group '\(group)'; create it with CreateLogStream")
    }
}

/// A line of a log stream file that could not be read: the file, the line and why. Reading
/// skips such a line (the file is left as it is) and reports it.
public struct LogFileProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 when the problem is the file (or folder) itself.
    public var line: Int
    public var reason: String

    public init(file: String, line: Int, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    /// `FILE:LINE: reason` (or `FILE: reason`).
    public var description: String { line > 0 ? "\(file):\(line): \(reason)" : "\(file): \(reason)" }
}
