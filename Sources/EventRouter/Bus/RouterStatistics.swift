/// Counters of what the router accepted and matched.
public struct RouterStatistics: Sendable, Hashable {
    /// Events accepted onto a bus.
    public var accepted = 0
    /// Entries rejected (per-entry PutEvents errors).
    public var rejected = 0
    /// Accepted events that matched at least one rule.
    public var matchedEvents = 0
    /// (event, rule) matches.
    public var ruleMatches = 0
    /// (event, target) deliveries scheduled.
    public var deliveriesScheduled = 0
    /// Bus targets skipped because the event had already arrived from a bus (one hop only).
    public var forwardsSuppressed = 0

    public init() {}
}
