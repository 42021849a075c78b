import Synchronization

/// The bus resource policies and account organizations of a router: who may put events on
/// which bus. ``Router`` asks it at `PutEvents` and when a rule forwards to a bus.
public final class BusAccessControl: Sendable {
    private struct State {
        var policies: [String: BusPolicy] = [:]
        var organizations: [String: String] = [:]
    }

    private let state: Mutex<State>

    /// - Parameters:
    ///   - policies: bus ARN → policy.
    ///   - organizations: account id → organization id.
    public init(policies: [String: BusPolicy] = [:], organizations: [String: String] = [:]) {
        state = Mutex(State(policies: policies, organizations: organizations))
    }

    /// The policies of the workspace's buses and the organizations of its `Accounts`.
    public convenience init(workspace: Workspace) {
        var policies: [String: BusPolicy] = [:]
        for bus in workspace.buses {
            // The validator has already checked every policy; one that does not parse grants nothing.
            if let json = bus.policy, let policy = BusPolicy.parse(json, busArn: bus.arn).policy { policies[bus.arn] = policy }
        }
        var organizations: [String: String] = [:]
        for account in workspace.accountDefinitions { organizations[account.id] = account.organizationId }
        self.init(policies: policies, organizations: organizations)
    }

    /// The organization of `account`, if it belongs to one.
    public func organization(of account: String) -> String? { state.withLock { $0.organizations[account] } }

    /// Sets (or clears) the organization of `account`.
    public func setOrganization(_ organizationId: String?, for account: String) {
        state.withLock { $0.organizations[account] = organizationId }
    }

    /// The policy of the bus `busArn`, if it has one.
    public func policy(forBus busArn: String) -> BusPolicy? { state.withLock { $0.policies[busArn] } }

    /// Replaces (or removes) the policy of the bus `busArn`.
    public func setPolicy(_ policy: BusPolicy?, forBus busArn: String) {
        state.withLock { $0.policies[busArn] = policy }
    }

    /// Whether `account` may put events on `busArn` (the bus's own account always may).
    public func decide(account: String, busArn: String) -> BusAccessDecision {
        decide(account: account, busArn: busArn, busAccount: BusReference(arn: busArn)?.account ?? "")
    }

    /// ``decide(account:busArn:)`` for a bus whose account is known (the router keeps it per bus).
    func decide(account: String, busArn: String, busAccount: String) -> BusAccessDecision {
        let (policy, organization) = state.withLock { ($0.policies[busArn], $0.organizations[account]) }
        return BusAccess.evaluate(policy: policy, account: account, organizationId: organization, busArn: busArn, busAccount: busAccount)
    }

    /// Whether `request` (its account's organization filled in from the table) is allowed on the
    /// bus `busArn`: `PutEvents` with the entry's source and detail type, or a rule operation.
    public func decide(_ request: BusRequest, busArn: String) -> BusAccessDecision {
        let busAccount = BusReference(arn: busArn)?.account ?? ""
        if request.account == busAccount { return BusAccessDecision(allowed: true, reason: "account \(request.account) owns \(busArn)") }
        var request = request
        let policy = state.withLock { s in
            if request.organizationId == nil { request.organizationId = s.organizations[request.account] }
            return s.policies[busArn]
        }
        return BusAccess.evaluate(policy: policy, request: request, busArn: busArn, busAccount: busAccount)
    }

    /// ``decide(_:busArn:)`` for `PutEvents` of one entry on a bus whose account is known.
    func decidePut(account: String, busArn: String, busAccount: String, source: String, detailType: String) -> BusAccessDecision {
        let (policy, organization) = state.withLock { ($0.policies[busArn], $0.organizations[account]) }
        let request = BusRequest(action: "events:PutEvents", account: account, organizationId: organization, resource: busArn,
                                 sources: [source], detailTypes: [detailType])
        return BusAccess.evaluate(policy: policy, request: request, busArn: busArn, busAccount: busAccount)
    }

    /// `PutPermission` on a running router.
    /// - Returns: the bus's new policy JSON.
    /// - Throws: ``EventRouterError`` as ``BusPermissionEditor/putPermission(_:to:busArn:)`` does.
    @discardableResult
    public func putPermission(_ grant: PermissionGrant, busArn: String) throws(EventRouterError) -> JSONValue {
        let json = try BusPermissionEditor.putPermission(grant, to: policy(forBus: busArn)?.json, busArn: busArn)
        setPolicy(BusPolicy.parse(json, busArn: busArn).policy, forBus: busArn)
        return json
    }

    /// `RemovePermission` on a running router.
    /// - Returns: the bus's new policy JSON, `nil` when none is left.
    @discardableResult
    public func removePermission(statementId: String?, removeAll: Bool = false, busArn: String) throws(EventRouterError) -> JSONValue? {
        let json = try BusPermissionEditor.removePermission(statementId: statementId, removeAll: removeAll, from: policy(forBus: busArn)?.json, busArn: busArn)
        setPolicy(json.flatMap { BusPolicy.parse($0, busArn: busArn).policy }, forBus: busArn)
        return json
    }
}
