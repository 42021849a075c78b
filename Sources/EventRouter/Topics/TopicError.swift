/// An error of a topic operation (configuration, filter policy, publish), carrying Amazon SNS's
/// error code.
///
/// The ``message`` follows SNS's wording where SNS has one and then says what to change, e.g.
/// `InvalidParameter: Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys
/// (it has 6: a, b, c, d, e, f); split it over several subscriptions or use $or.`
public struct TopicError: Error, Sendable, Hashable, CustomStringConvertible {
    /// SNS's error code, compared by name (extensible).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The code as SNS writes it, e.g. `InvalidParameter`.
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A request or configuration parameter is invalid (SNS's most common code).
        public static let invalidParameter = Code("InvalidParameter")
        /// A parameter value is invalid (message attributes, message size).
        public static let invalidParameterValue = Code("InvalidParameterValue")
        /// The topic (or a resource it names) does not exist.
        public static let notFound = Code("NotFound")
        /// A topic with the same name but different attributes exists.
        public static let topicAlreadyExists = Code("TopicAlreadyExists")
    }

    /// The SNS error code.
    public var code: Code
    /// What is wrong and what to change.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `CODE: MESSAGE`.
    public var description: String { "\(code): \(message)" }

    /// `InvalidParameter: Invalid parameter: WHAT` — SNS's wording.
    static func invalidParameter(_ what: String) -> TopicError {
        TopicError(.invalidParameter, "Invalid parameter: \(what)")
    }

    /// `InvalidParameter: Invalid parameter: FilterPolicy: WHAT`.
    static func filterPolicy(_ what: String) -> TopicError {
        TopicError(.invalidParameter, "Invalid parameter: FilterPolicy: \(what)")
    }
}
