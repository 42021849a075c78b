/// How an event arrives on a bus, beyond the event itself: through another bus (one hop only),
/// or from an archive replay restricted to some rules.
public struct BusPutOptions: Sendable, Hashable {
    /// The bus that forwarded the event through a rule's bus target. Such an event is matched
    /// by the receiving bus's rules, but never forwarded again to a further bus.
    public var forwardedFrom: String?
    /// Only these rule ARNs may match (an archive replay's `FilterArns`); `nil` = every rule.
    public var ruleFilter: Set<String>?

    public init(forwardedFrom: String? = nil, ruleFilter: Set<String>? = nil) {
        self.forwardedFrom = forwardedFrom
        self.ruleFilter = ruleFilter
    }

    /// Whether a target with this ARN may receive the event: bus targets are skipped for an
    /// event that already arrived from a bus (one hop).
    public func allowsTarget(_ targetArn: String) -> Bool {
        forwardedFrom == nil || ARN.kind(of: targetArn) != .eventBus
    }
}
