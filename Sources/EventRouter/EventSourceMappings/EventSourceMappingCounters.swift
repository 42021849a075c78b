/// What one event source mapping has done so far.
public struct EventSourceMappingCounters: Sendable, Equatable {
    /// Invocations (batches handed to the function, retries and bisected halves included).
    public var batches = 0
    /// Records received from the source (SQS: messages received, redeliveries included; Kinesis: records read).
    public var records = 0
    /// Invocations that did not fully succeed (function error, timeout, throttle, reported item failures).
    public var failures = 0
    /// Records that returned to the source or were retried after a failed invocation.
    public var failedRecords = 0
    /// Invocations rejected by the function's reserved concurrency.
    public var throttles = 0
    /// SQS: messages deleted after success.
    public var deleted = 0
    /// Kinesis: checkpoints taken (each moves a shard's position forward).
    public var checkpoints = 0
    /// Kinesis: records discarded after `MaximumRetryAttempts` or `MaximumRecordAgeInSeconds`.
    public var discarded = 0
    /// Kinesis: records sent to `DestinationConfig.OnFailure` (one per discarded batch).
    public var onFailureRecords = 0
    /// Source errors (a receive, delete or read that failed), retried later.
    public var sourceErrors = 0

    public init() {}

    /// The counters as a JSON object.
    public var json: JSONValue {
        [
            "batches": .number(JSONNumber(batches)), "records": .number(JSONNumber(records)),
            "failures": .number(JSONNumber(failures)), "failedRecords": .number(JSONNumber(failedRecords)),
            "throttles": .number(JSONNumber(throttles)), "deleted": .number(JSONNumber(deleted)),
            "checkpoints": .number(JSONNumber(checkpoints)), "discarded": .number(JSONNumber(discarded)),
            "onFailureRecords": .number(JSONNumber(onFailureRecords)), "sourceErrors": .number(JSONNumber(sourceErrors)),
        ]
    }
}
