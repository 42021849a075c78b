/// An error of a topic operation, carrying SNS's error code and a message that says what to change.
public struct TopicError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An SNS error code, compared by name.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The wire name, e.g. `InvalidParameterException`.
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A parameter is missing, malformed or not allowed here.
        public static let invalidParameter = Code("InvalidParameterException")
        /// The topic does not exist.
        public static let notFound = Code("NotFoundException")
        /// A topic with that name exists with other settings.
        public static let alreadyExists = Code("ResourceInUseException")
    }

    /// The SNS error code.
    public var code: Code
    /// What was wrong and what to change.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    static func invalid(_ message: String) -> TopicError { TopicError(.invalidParameter, message) }
}
