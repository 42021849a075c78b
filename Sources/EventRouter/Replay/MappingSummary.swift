/// One event source mapping's counters in a ``ReplaySummary``.
public struct MappingSummary: Sendable, Equatable {
    /// `SOURCE → FUNCTION`.
    public var name: String
    public var counters: EventSourceMappingCounters

    public init(name: String, counters: EventSourceMappingCounters) {
        self.name = name
        self.counters = counters
    }

    /// `batches 2, records 7, failures 0, throttles 0, deleted 7, checkpoints 0, discarded 0, on-failure records 0`
    public var text: String {
        let c = counters
        return "batches \(c.batches), records \(c.records), failures \(c.failures), throttles \(c.throttles), deleted \(c.deleted), "
            + "checkpoints \(c.checkpoints), discarded \(c.discarded), on-failure records \(c.onFailureRecords)"
    }
}
