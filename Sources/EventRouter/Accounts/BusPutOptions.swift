/// How an event arrives on a bus, beyond the event itself: through another bus (one hop only),
/// or from an archive replay restricted to some rules.
public struct BusPutOptions: Sendable, Hashable {
    /// The bus that forwarded the event through a rule's bus target. Such an event is matched
    /// by the receiving bus's rules, but never forwarded again to a further bus.
    public var forwardedFrom: String?
    /// Only these rule ARNs may match (an archive replay's `FilterArns`); `nil` = every rule.
    public var ruleFilter: Set<String>?
    /// An accepted delivery put again after a restart (``StateRecovery``): its archives kept
    /// the event when it was first accepted, so they do not keep it again.
    public var redelivery = false

    public init(forwardedFrom: String? = nil, ruleFilter: Set<String>? = nil, redelivery: Bool = false) {
        self.forwardedFrom = forwardedFrom
        self.ruleFilter = ruleFilter
        self.redelivery = redelivery
    }

    /// Whether a target with this ARN may receive the event: bus targets are skipped for an
    /// event that already arrived from a bus (one hop).
    public func allowsTarget(_ targetArn: String) -> Bool {
        forwardedFrom == nil || ARN.kind(of: targetArn) != .eventBus
    }
}
