/// One entry of `SendMessageBatch`.
public struct SendMessageBatchEntry: Sendable, Hashable {
    /// The entry's id, unique in the batch (1–80 of letters, digits, `-`, `_`).
    public var id: String
    public var body: String
    public var messageAttributes: [String: MessageAttributeValue]
    public var delaySeconds: Int?
    public var messageGroupId: String?
    public var messageDeduplicationId: String?

    public init(id: String, body: String, messageAttributes: [String: MessageAttributeValue] = [:], delaySeconds: Int? = nil, messageGroupId: String? = nil, messageDeduplicationId: String? = nil) {
        self.id = id
        self.body = body
        self.messageAttributes = messageAttributes
        self.delaySeconds = delaySeconds
        self.messageGroupId = messageGroupId
        self.messageDeduplicationId = messageDeduplicationId
    }
}

/// One entry of `ChangeMessageVisibilityBatch`.
public struct ChangeVisibilityBatchEntry: Sendable, Hashable {
    public var id: String
    public var receiptHandle: String
    public var visibilityTimeout: Int
    public init(id: String, receiptHandle: String, visibilityTimeout: Int) {
        self.id = id
        self.receiptHandle = receiptHandle
        self.visibilityTimeout = visibilityTimeout
    }
}

/// A failed entry of a batch call, as SQS reports it.
public struct BatchResultErrorEntry: Sendable, Hashable {
    public var id: String
    /// The SQS error code, e.g. `InvalidParameterValue`.
    public var code: String
    public var message: String
    /// Whether the caller's input caused it (always true here).
    public var senderFault: Bool
    public init(id: String, error: QueueError) {
        self.id = id
        self.code = error.code.name
        self.message = error.message
        self.senderFault = true
    }
}

/// The answer to a batch call: per-entry successes and failures, in request order.
public struct BatchResult<Success: Sendable & Hashable>: Sendable, Hashable {
    public var successful: [(id: String, result: Success)] { successfulEntries.map { ($0.id, $0.result) } }
    public var failed: [BatchResultErrorEntry]
    var successfulEntries: [Entry]

    struct Entry: Sendable, Hashable {
        var id: String
        var result: Success
    }

    init() {
        failed = []
        successfulEntries = []
    }

    mutating func succeed(_ id: String, _ result: Success) { successfulEntries.append(Entry(id: id, result: result)) }
    mutating func fail(_ id: String, _ error: QueueError) { failed.append(BatchResultErrorEntry(id: id, error: error)) }

    /// Ids of the successful entries.
    public var successfulIds: [String] { successfulEntries.map(\.id) }
}

/// An empty success, for `DeleteMessageBatch` and `ChangeMessageVisibilityBatch`.
public struct BatchAcknowledgement: Sendable, Hashable {
    public init() {}
}

/// The checks of a batch call as a whole, before any entry runs.
public enum BatchValidation {
    /// Checks the batch as a whole: 1–10 entries, valid and distinct ids.
    /// - Throws: ``QueueError`` `EmptyBatchRequest`, `TooManyEntriesInBatchRequest`,
    ///   `InvalidBatchEntryId` or `BatchEntryIdsNotDistinct`.
    public static func check(ids: [String]) throws(QueueError) {
        if ids.isEmpty {
            throw QueueError(.emptyBatchRequest, "The batch request doesn't contain any entries: send 1 to 10 entries.")
        }
        if ids.count > 10 {
            throw QueueError(.tooManyEntriesInBatchRequest, "The batch request contains \(ids.count) entries: send at most 10 entries per batch.")
        }
        var seen = Set<String>()
        for id in ids {
            guard !id.isEmpty, id.utf8.count <= 80,
                id.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") })
            else {
                throw QueueError(.invalidBatchEntryId, "The batch entry id '\(id)' is invalid: use 1 to 80 characters from letters, digits, '-' and '_'.")
            }
            if !seen.insert(id).inserted {
                throw QueueError(.batchEntryIdsNotDistinct, "Two or more batch entries have the id '\(id)': give every entry a distinct Id.")
            }
        }
    }
}
