/// Counters of the delivery engine (the `deliveries` key of the state JSON, and more).
public struct DeliveryStatistics: Sendable, Hashable {
    /// Delivery attempts made to targets (first attempts and retries).
    public var attempts = 0
    /// (event, target) pairs delivered.
    public var succeeded = 0
    /// Retries scheduled after retriable failures.
    public var retried = 0
    /// Pairs whose event reached the dead-letter queue.
    public var deadLettered = 0
    /// Pairs given up without a dead-letter queue.
    public var dropped = 0
    /// Dead-letter messages that could not be delivered (`InvocationsFailedToBeSentToDLQ`);
    /// each one is also a warning record of the runtime's ``LogSink`` (``DeliveryTraceEvent/logRecord``).
    public var deadLetterFailures = 0

    public init() {}

    /// `{"succeeded", "retried", "deadLettered", "dropped"}` (plus `deadLetterFailures`).
    public var json: JSONValue {
        .object(JSONObject([
            .init(key: "succeeded", value: .number(JSONNumber(succeeded))),
            .init(key: "retried", value: .number(JSONNumber(retried))),
            .init(key: "deadLettered", value: .number(JSONNumber(deadLettered))),
            .init(key: "dropped", value: .number(JSONNumber(dropped))),
            .init(key: "deadLetterFailures", value: .number(JSONNumber(deadLetterFailures))),
        ]))
    }
}
