import EventRouter

/// SQS's errors on the wire: the shape name as `__type` (which boto3 maps to its modeled
/// exceptions, e.g. `QueueDoesNotExist`) and the legacy query code as `x-amzn-query-error` and
/// as the query `<Code>` (e.g. `AWS.SimpleQueueService.NonExistentQueue`), with SQS's statuses.
enum SQSErrors {
    /// (legacy query code, HTTP status) of each shape whose query code differs or whose status is not 400.
    static let legacy: [String: (code: String, status: Int)] = [
        "QueueDoesNotExist": ("AWS.SimpleQueueService.NonExistentQueue", 400),
        "QueueNameExists": ("QueueAlreadyExists", 400),
        "QueueDeletedRecently": ("AWS.SimpleQueueService.QueueDeletedRecently", 400),
        "PurgeQueueInProgress": ("AWS.SimpleQueueService.PurgeQueueInProgress", 403),
        "OverLimit": ("OverLimit", 403),
        "MessageNotInflight": ("AWS.SimpleQueueService.MessageNotInflight", 400),
        "EmptyBatchRequest": ("AWS.SimpleQueueService.EmptyBatchRequest", 400),
        "TooManyEntriesInBatchRequest": ("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400),
        "BatchEntryIdsNotDistinct": ("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400),
        "BatchRequestTooLong": ("AWS.SimpleQueueService.BatchRequestTooLong", 400),
        "InvalidBatchEntryId": ("AWS.SimpleQueueService.InvalidBatchEntryId", 400),
        "UnsupportedOperation": ("AWS.SimpleQueueService.UnsupportedOperation", 400),
        "ResourceNotFoundException": ("ResourceNotFoundException", 404),
        "RequestThrottled": ("RequestThrottled", 403),
        "ServiceUnavailable": ("ServiceUnavailable", 503),
    ]

    /// An SQS error with shape `shape`.
    static func error(_ shape: String, _ message: String) -> AWSError {
        let legacy = legacy[shape]
        return AWSError(code: shape, message: message, status: legacy?.status ?? 400, queryCode: legacy?.code ?? shape)
    }

    /// The wire form of a queue engine error.
    static func error(_ error: QueueError) -> AWSError { Self.error(error.code.name, error.message) }

    /// `MissingParameter`: a required member is absent.
    static func missing(_ name: String) -> AWSError {
        error("MissingParameter", "The request must contain the parameter \(name).")
    }

    /// `InvalidParameterValue` in SQS's wording.
    static func invalid(_ name: String, _ value: String, _ reason: String) -> AWSError {
        error("InvalidParameterValue", "Value \(value) for parameter \(name) is invalid. Reason: \(reason)")
    }

    /// Runs `body`, answering a ``QueueError`` as its wire error.
    @discardableResult
    static func mapping<R>(_ body: () throws(QueueError) -> R) throws(AWSError) -> R {
        do { return try body() } catch { throw Self.error(error) }
    }

    /// Runs async `body`, answering a ``QueueError`` as its wire error.
    @discardableResult
    static func mapping<R>(_ body: () async throws(QueueError) -> R) async throws(AWSError) -> R {
        do { return try await body() } catch { throw Self.error(error) }
    }
}
