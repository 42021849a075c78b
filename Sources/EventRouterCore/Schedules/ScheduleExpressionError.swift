/// Why a `ScheduleExpression` is not valid: the expression and what to change.
public struct ScheduleExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The expression as given.
    public var expression: String
    /// What is wrong and how to write it instead.
    public var reason: String

    public init(_ expression: String, _ reason: String) {
        self.expression = expression
        self.reason = reason
    }

    /// EventBridge's `ValidationException` text followed by the reason.
    public var description: String { "Parameter ScheduleExpression is not valid: \(reason) (in '\(expression)')" }
}
