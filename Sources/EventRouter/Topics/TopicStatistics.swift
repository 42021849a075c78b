/// Counters of one topic (or, summed, of a registry).
public struct TopicStatistics: Sendable, Hashable {
    /// Messages accepted by `Publish` (duplicates excluded).
    public var published = 0
    /// FIFO publishes recognised as duplicates within the 5-minute window (not fanned out).
    public var deduplicated = 0
    /// Subscription deliveries skipped because the filter policy did not match.
    public var filtered = 0
    /// Deliveries accepted by their endpoint.
    public var delivered = 0
    /// Retry attempts made after server-side errors.
    public var retried = 0
    /// Deliveries given up and sent to the subscription's dead-letter queue.
    public var deadLettered = 0
    /// Deliveries given up with no dead-letter queue, or whose dead-letter send failed
    /// (each one is also listed in ``Topic/undelivered``).
    public var dropped = 0

    public init() {}

    /// Adds another topic's counters.
    public static func + (a: TopicStatistics, b: TopicStatistics) -> TopicStatistics {
        var s = a
        s.published += b.published
        s.deduplicated += b.deduplicated
        s.filtered += b.filtered
        s.delivered += b.delivered
        s.retried += b.retried
        s.deadLettered += b.deadLettered
        s.dropped += b.dropped
        return s
    }

    /// `{"published", "deduplicated", "filtered", "delivered", "retried", "deadLettered", "dropped"}`.
    public var json: JSONValue {
        ["published": .number(JSONNumber(published)), "deduplicated": .number(JSONNumber(deduplicated)),
         "filtered": .number(JSONNumber(filtered)), "delivered": .number(JSONNumber(delivered)),
         "retried": .number(JSONNumber(retried)), "deadLettered": .number(JSONNumber(deadLettered)),
         "dropped": .number(JSONNumber(dropped))]
    }
}
