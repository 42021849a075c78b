/// The error type of the router's own operations (loading, routing, delivery).
///
/// Modules with a wire contract of their own (event patterns, queues, streams) have their
/// own error types that carry AWS's error codes; this one carries an extensible ``Code``,
/// a message that says what to change, and context such as the file, rule or target.
public struct EventRouterError: Error, Sendable, CustomStringConvertible {
    /// An extensible error code, compared by name.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        public static let invalidInput = Code("InvalidInput")
        public static let notFound = Code("NotFound")
        public static let validation = Code("ValidationException")
        public static let io = Code("IOError")
        public static let internalFailure = Code("InternalFailure")
    }

    public var code: Code
    public var message: String
    /// Where it happened, e.g. `["file": "Rules/orders.json", "path": "$.Rules[0]"]`.
    public var context: [String: String]
    /// The error that caused this one (e.g. the ``QueueError`` a queue could not be created
    /// with), kept so its AWS code and status survive the boundary (``AWSErrorConvertible``).
    public var underlying: (any Error)?

    /// - Parameter underlying: the cause, kept (not flattened into the message).
    public init(_ code: Code, _ message: String, context: [String: String] = [:], underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.context = context
        self.underlying = underlying
    }

    public var description: String {
        if context.isEmpty { return "\(code): \(message)" }
        let where_ = context.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return "\(code): \(message) (\(where_))"
    }
}
