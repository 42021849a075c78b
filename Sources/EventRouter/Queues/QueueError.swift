/// An error of a queue operation, carrying Amazon SQS's error code.
///
/// The ``message`` says what was wrong and what to change, e.g.
/// `InvalidParameterValue: Value 901 for parameter DelaySeconds is invalid. Reason: must be between 0 and 900 seconds.`
public struct QueueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// SQS's error code, compared by name (extensible).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The code as SQS writes it, e.g. `ReceiptHandleIsInvalid`.
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        public static let invalidParameterValue = Code("InvalidParameterValue")
        public static let invalidAttributeValue = Code("InvalidAttributeValue")
        public static let invalidAttributeName = Code("InvalidAttributeName")
        public static let missingParameter = Code("MissingParameter")
        public static let receiptHandleIsInvalid = Code("ReceiptHandleIsInvalid")
        public static let messageNotInflight = Code("MessageNotInflight")
        public static let queueDoesNotExist = Code("QueueDoesNotExist")
        public static let queueNameExists = Code("QueueNameExists")
        public static let batchEntryIdsNotDistinct = Code("BatchEntryIdsNotDistinct")
        public static let tooManyEntriesInBatchRequest = Code("TooManyEntriesInBatchRequest")
        public static let emptyBatchRequest = Code("EmptyBatchRequest")
        public static let invalidBatchEntryId = Code("InvalidBatchEntryId")
        public static let batchRequestTooLong = Code("BatchRequestTooLong")
        public static let overLimit = Code("OverLimit")
        public static let purgeQueueInProgress = Code("PurgeQueueInProgress")
        public static let invalidMessageContents = Code("InvalidMessageContents")
        public static let resourceNotFound = Code("ResourceNotFoundException")
        /// The data directory could not store the request (e.g. ENOSPC); nothing was acknowledged.
        public static let serviceUnavailable = Code("ServiceUnavailable")
    }

    /// The SQS error code.
    public var code: Code
    /// What is wrong and what to change.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    /// `Value V for parameter P is invalid. Reason: R` — SQS's wording for a bad parameter.
    static func invalidValue(_ parameter: String, _ value: String, _ reason: String) -> QueueError {
        QueueError(.invalidParameterValue, "Value \(value) for parameter \(parameter) is invalid. Reason: \(reason)")
    }
}
