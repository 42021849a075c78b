import EventRouter

/// SNS's errors on the wire (wire.md §5): the model's codes and statuses inside the query
/// `<ErrorResponse>`, with SNS's wording (`Invalid parameter: NAME Reason: …`) followed by what
/// to change.
enum SNSErrors {
    /// `InvalidParameter` (400): `Invalid parameter: WHAT`.
    static func invalidParameter(_ what: String) -> AWSError {
        AWSError(code: "InvalidParameter", message: "Invalid parameter: \(what)")
    }

    /// `ParameterValueInvalid` (400), botocore's `InvalidParameterValueException`.
    static func parameterValueInvalid(_ message: String) -> AWSError {
        AWSError(code: "ParameterValueInvalid", message: message)
    }

    /// `NotFound` (404).
    static func notFound(_ message: String) -> AWSError {
        AWSError(code: "NotFound", message: message, status: 404)
    }

    /// A batch error (400): `EmptyBatchRequest`, `TooManyEntriesInBatchRequest`,
    /// `BatchEntryIdsNotDistinct`, `InvalidBatchEntryId`.
    static func batch(_ code: String, _ message: String) -> AWSError {
        AWSError(code: code, message: message)
    }

    /// The wire form of an engine ``TopicError``.
    static func error(_ error: TopicError) -> AWSError {
        switch error.code {
        case .notFound: AWSError(code: "NotFound", message: error.message, status: 404)
        case .invalidParameterValue: AWSError(code: "ParameterValueInvalid", message: error.message)
        case .topicAlreadyExists: AWSError(code: "InvalidParameter", message: error.message)
        default: AWSError(code: error.code.name, message: error.message)
        }
    }
}

/// The pieces of SNS's reply XML (wire.md §4.2): lists of `<member>` and maps of `<entry>`.
enum SNSXML {
    /// `<name><member>…</member>…</name>`, each member's inner XML given.
    static func list(_ name: String, _ members: [String]) -> String {
        "<\(name)>" + members.map { "<member>\($0)</member>" }.joined() + "</\(name)>"
    }

    /// `<name><entry><key>k</key><value>v</value></entry>…</name>`, keys sorted.
    static func map(_ name: String, _ entries: [String: String]) -> String {
        "<\(name)>" + entries.keys.sorted().map { key in
            "<entry>" + XMLText.element("key", key) + XMLText.element("value", entries[key] ?? "") + "</entry>"
        }.joined() + "</\(name)>"
    }

    /// `<Tags><member><Key/><Value/></member>…</Tags>`, keys sorted.
    static func tags(_ tags: [String: String]) -> String {
        list("Tags", tags.keys.sorted().map { XMLText.element("Key", $0) + XMLText.element("Value", tags[$0] ?? "") })
    }
}
