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

/// Evaluates bus resource policies as EventBridge does: the bus's own account may always act
/// on it; otherwise an explicit `Deny` wins, and without a matching `Allow` the request is refused.
public enum BusAccess {
    /// The actions another account may be granted on a bus and its rules.
    public static let ruleActions = ["events:PutRule", "events:PutTargets", "events:DeleteRule", "events:RemoveTargets",
                                     "events:DescribeRule", "events:EnableRule", "events:DisableRule", "events:ListRules",
                                     "events:ListTargetsByRule"]

    /// Decides whether `account` (a member of `organizationId`, if any) may put events on the bus
    /// `busArn` owned by `busAccount`, under `policy` (`nil`: the bus has none).
    public static func evaluate(policy: BusPolicy?, account: String, organizationId: String?, busArn: String, busAccount: String) -> BusAccessDecision {
        evaluate(policy: policy, request: BusRequest(action: "events:PutEvents", account: account, organizationId: organizationId, resource: busArn),
                 busArn: busArn, busAccount: busAccount)
    }

    /// Decides `request` on the bus `busArn` owned by `busAccount`, under `policy` (`nil`: the bus has none).
    public static func evaluate(policy: BusPolicy?, request: BusRequest, busArn: String, busAccount: String) -> BusAccessDecision {
        let account = request.account
        if account == busAccount {
            return BusAccessDecision(allowed: true, reason: "account \(account) owns \(busArn)")
        }
        let who = "account \(account)" + (request.organizationId.map { " (organization \($0))" } ?? "")
        let isPut = request.action == "events:PutEvents"
        let what = isPut ? "put events on \(busArn)" : "call \(request.action.dropFirst(7)) on \(request.resource)"
        guard let policy else {
            return BusAccessDecision(allowed: false, reason:
                "\(who) is not allowed to \(what): the bus has no resource policy; add a statement allowing \(request.action) for \(account)")
        }
        func label(_ s: BusPolicyStatement, _ i: Int) -> String { s.sid.map { "'\($0)'" } ?? "#\(i + 1)" }
        for (i, s) in policy.statements.enumerated() where s.effect == .deny && s.applies(to: request) {
            return BusAccessDecision(allowed: false, reason: "\(who) is not allowed to \(what): statement \(label(s, i)) of the bus policy denies it", statementId: s.sid)
        }
        for (i, s) in policy.statements.enumerated() where s.effect == .allow && s.applies(to: request) {
            return BusAccessDecision(allowed: true, reason: "statement \(label(s, i)) of the bus policy of \(busArn) allows \(who)", statementId: s.sid)
        }
        var reason = "\(who) is not allowed to \(what): no statement of the bus policy allows \(request.action) for it"
        // Point at an Allow that names the account but whose condition fails: the usual mistake.
        if let (i, s) = policy.statements.enumerated().first(where: { _, s in
            s.effect == .allow && s.covers(action: request.action) && s.names(resource: request.resource) && s.names(account: account)
        }) {
            let failing = s.conditions.filter { !$0.holds(for: request) }
            let needs = failing.map(\.phrase).joined(separator: " and ")
            reason += " (statement \(label(s, i)) requires \(needs)"
            let given = failing.filter { $0.key != .principalOrgID && $0.key != .principalAccount }.map { c in "\(c.key.rawValue) is " + (request.values(for: c.key).map { $0.joined(separator: ", ") } ?? "absent") }
            reason += (given.isEmpty ? "" : "; here " + given.joined(separator: ", ")) + ")"
        }
        return BusAccessDecision(allowed: false, reason: reason)
    }
}
