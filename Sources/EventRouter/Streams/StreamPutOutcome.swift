/// The outcome of writing one event to a stream on behalf of a rule target, for the delivery
/// engine to map onto its own success / retriable / non-retriable outcomes.
public enum StreamPutOutcome: Sendable, Hashable {
    /// The record is in the stream.
    case success(shardId: String, sequenceNumber: String)
    /// The shard was over its write limit (`ProvisionedThroughputExceededException`): retriable —
    /// retry with backoff and the record goes in once the shard's second has passed.
    case throttled(code: String, message: String)
    /// The record can never be written as is (`InvalidArgumentException`: size, partition key),
    /// or the stream does not exist (`ResourceNotFoundException`): not retriable.
    case failed(code: String, message: String)

    /// Whether the delivery engine should retry later.
    public var isRetriable: Bool {
        if case .throttled = self { return true }
        return false
    }

    /// The outcome of a thrown ``StreamError``.
    public init(_ error: StreamError) {
        self = error.isRetriable ? .throttled(code: error.code.name, message: error.message)
            : .failed(code: error.code.name, message: error.message)
    }
}
