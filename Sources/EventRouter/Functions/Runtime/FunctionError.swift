/// A function error: what a handler throws or a process reports, as Lambda's
/// `{"errorType", "errorMessage"}` response payload.
public struct FunctionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// E.g. `Unhandled`, `Runtime.ExitError`, `Sandbox.Timedout`, or the handler's own type.
    public var type: String
    /// What went wrong.
    public var message: String
    /// The error document a Lambda runtime posted (`{"errorMessage", "errorType", "stackTrace"}`,
    /// or Node.js's `trace`), reported as the response payload when present.
    public var document: JSONValue?

    public init(type: String, message: String) {
        self.type = type
        self.message = message
    }

    /// The error type of invocations that ran out of time.
    public static let timeoutType = "Sandbox.Timedout"

    /// A timeout after `seconds`, worded as Lambda words it.
    public static func timeout(seconds: Int) -> FunctionError {
        FunctionError(type: timeoutType, message: "Task timed out after \(seconds).00 seconds")
    }

    /// Whether this is a timeout.
    public var isTimeout: Bool { type == Self.timeoutType }

    /// `{"errorType": …, "errorMessage": …}`.
    public var payload: JSONValue {
        if let document, document.objectValue != nil { return document }
        return ["errorType": .string(type), "errorMessage": .string(message)]
    }

    public var description: String { "\(type): \(message)" }
}
