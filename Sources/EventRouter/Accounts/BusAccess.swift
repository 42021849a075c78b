/// Whether an account may put events on a bus, and why.
public struct BusAccessDecision: Sendable, Hashable {
    /// Whether the put is allowed.
    public var allowed: Bool
    /// Why, in a sentence fit for an error message.
    public var reason: String
    /// The statement that decided, if one did.
    public var statementId: String?

    public init(allowed: Bool, reason: String, statementId: String? = nil) {
        self.allowed = allowed
        self.reason = reason
        self.statementId = statementId
    }
}

/// Evaluates bus resource policies for `events:PutEvents`, as EventBridge does:
/// the bus's own account may always put; otherwise an explicit `Deny` wins, and without a
/// matching `Allow` the put is refused.
public enum BusAccess {
    /// Decides whether `account` (a member of `organizationId`, if any) may put events on the bus
    /// `busArn` owned by `busAccount`, under `policy` (`nil`: the bus has none).
    public static func evaluate(policy: BusPolicy?, account: String, organizationId: String?, busArn: String, busAccount: String) -> BusAccessDecision {
        if account == busAccount {
            return BusAccessDecision(allowed: true, reason: "account \(account) owns \(busArn)")
        }
        let who = "account \(account)" + (organizationId.map { " (organization \($0))" } ?? "")
        guard let policy else {
            return BusAccessDecision(allowed: false, reason:
                "\(who) is not allowed to put events on \(busArn): the bus has no resource policy; add a statement allowing events:PutEvents for \(account)")
        }
        func label(_ s: BusPolicyStatement, _ i: Int) -> String { s.sid.map { "'\($0)'" } ?? "#\(i + 1)" }
        for (i, s) in policy.statements.enumerated() where s.effect == .deny && s.applies(toAccount: account, organizationId: organizationId, busArn: busArn) {
            return BusAccessDecision(allowed: false, reason: "\(who) is not allowed to put events on \(busArn): statement \(label(s, i)) of the bus policy denies it", statementId: s.sid)
        }
        for (i, s) in policy.statements.enumerated() where s.effect == .allow && s.applies(toAccount: account, organizationId: organizationId, busArn: busArn) {
            return BusAccessDecision(allowed: true, reason: "statement \(label(s, i)) of the bus policy of \(busArn) allows \(who)", statementId: s.sid)
        }
        var reason = "\(who) is not allowed to put events on \(busArn): no statement of the bus policy allows events:PutEvents for it"
        // Point at an Allow that names the account but whose condition fails: the usual mistake.
        if let (i, s) = policy.statements.enumerated().first(where: { _, s in
            s.effect == .allow && s.coversPutEvents && s.names(bus: busArn) && s.names(account: account)
        }) {
            let needs = s.conditions.map { "\($0.key.rawValue) \($0.values.joined(separator: " or "))" }.joined(separator: " and ")
            reason += " (statement \(label(s, i)) requires \(needs))"
        }
        return BusAccessDecision(allowed: false, reason: reason)
    }
}
