/// How Lambda reads a function's answer to an SQS batch (event source mapping).
///
/// Without `ReportBatchItemFailures` a function error fails the whole batch and success
/// deletes it. With it, the function returns `{"batchItemFailures": [{"itemIdentifier": id}]}`:
/// - success: a null or empty response, an empty object, a null or empty `batchItemFailures`;
/// - the listed messages fail (the rest are deleted);
/// - the whole batch fails on a function error, an invalid response (invalid JSON, not an
///   object, `batchItemFailures` not a list, an entry that is not an object), an empty, null
///   or missing `itemIdentifier`, or an `itemIdentifier` that is not in the batch;
/// - FIFO queues: processing stops at the first failure, so the first failed message and
///   every message after it in the batch fail (their order is kept).
public enum SQSBatchResponse {
    /// What happens to the batch.
    public enum Outcome: Sendable, Equatable {
        /// Delete every message.
        case allSucceeded
        /// These message ids (in batch order) become visible again; delete the others.
        case partialFailure([String])
        /// Every message becomes visible again.
        case batchFailed(reason: String)

        /// The message ids that return to the queue.
        public func failedIds(in batch: [String]) -> [String] {
            switch self {
            case .allSucceeded: return []
            case .partialFailure(let ids): return ids
            case .batchFailed: return batch
            }
        }
    }

    /// Evaluates `result` for a batch of `messageIds` (in delivery order).
    public static func evaluate(
        messageIds: [String], result: InvocationResult, reportBatchItemFailures: Bool, fifo: Bool = false
    ) -> Outcome {
        let response: JSONValue
        switch result {
        case .throttled: return .batchFailed(reason: "the function was throttled")
        case .functionError(let e): return .batchFailed(reason: "function error: \(e)")
        case .success(let v): response = v
        }
        guard reportBatchItemFailures else { return .allSucceeded }
        if response.isNull { return .allSucceeded }
        guard let object = response.objectValue else {
            return .batchFailed(reason: "invalid response: expected an object with batchItemFailures, got \(response.kindName)")
        }
        guard let failures = object["batchItemFailures"], !failures.isNull else { return .allSucceeded }
        guard let list = failures.arrayValue else {
            return .batchFailed(reason: "invalid response: batchItemFailures must be a list, got \(failures.kindName)")
        }
        if list.isEmpty { return .allSucceeded }
        var failedIndexes = Set<Int>()
        for (i, item) in list.enumerated() {
            guard let entry = item.objectValue else {
                return .batchFailed(reason: "invalid response: batchItemFailures[\(i)] must be an object, got \(item.kindName)")
            }
            guard let idValue = entry["itemIdentifier"], !idValue.isNull else {
                return .batchFailed(reason: "batchItemFailures[\(i)] has no itemIdentifier")
            }
            guard let id = idValue.stringValue, !id.isEmpty else {
                return .batchFailed(reason: "batchItemFailures[\(i)].itemIdentifier is empty or not a string")
            }
            guard let index = messageIds.firstIndex(of: id) else {
                return .batchFailed(reason: "batchItemFailures[\(i)].itemIdentifier '\(id)' is not a message of this batch")
            }
            failedIndexes.insert(index)
        }
        if fifo, let first = failedIndexes.min() {
            return .partialFailure(Array(messageIds[first...]))
        }
        return .partialFailure(failedIndexes.sorted().map { messageIds[$0] })
    }
}
