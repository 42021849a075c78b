/// One topic's counters in a ``ReplaySummary``.
public struct TopicSummary: Sendable, Hashable {
    public var arn: String
    public var name: String
    public var statistics: TopicStatistics

    public init(arn: String, name: String, statistics: TopicStatistics) {
        self.arn = arn
        self.name = name
        self.statistics = statistics
    }

    /// `published 3, delivered 5, filtered 1, retried 0, dead-lettered 0, dropped 0`
    public var text: String {
        let s = statistics
        return "published \(s.published), delivered \(s.delivered), filtered \(s.filtered), retried \(s.retried), dead-lettered \(s.deadLettered), dropped \(s.dropped)"
    }
}
