import EventRouter

/// PutPermission and RemovePermission: the bus policy model of the workspace (``BusPolicy``,
/// ``PermissionGrant``, ``BusAccessControl``), so a policy set over the API is checked and
/// enforced exactly as one written in a rule file.
extension EventBridgeService {
    /// PutPermission: `Action` + `Principal` + `StatementId` (+ `Condition`), or a whole `Policy`.
    func putPermission(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let bus = try busArn(try input.string("EventBusName"), account: account)
        let action = try input.string("Action"), principal = try input.string("Principal"), sid = try input.string("StatementId")
        let condition = try input.structure("Condition")
        if let policyText = try input.string("Policy") {
            guard action == nil, principal == nil, sid == nil, condition == nil else {
                throw .validation("Give either Policy or Action, Principal and StatementId, not both")
            }
            let (policy, problems) = BusPolicy.parse(text: policyText, busArn: bus)
            guard let policy else {
                throw .validation("Parameter Policy is not valid: " + problems.filter { $0.severity == .error }.map { Self.reason($0) }.joined(separator: "; "))
            }
            store.serialized {
                router.access.setPolicy(policy, forBus: bus)
                runtime.journalPolicy(busArn: bus)
            }
            return [:]
        }
        guard let action, let principal, let sid else {
            throw .validation("Give Action, Principal and StatementId (or a whole Policy); missing: \([action == nil ? "Action" : nil, principal == nil ? "Principal" : nil, sid == nil ? "StatementId" : nil].compactMap { $0 }.joined(separator: ", "))")
        }
        var organization: String?
        if let condition {
            let type = try condition.string("Type", required: true), key = try condition.string("Key", required: true)
            let value = try condition.string("Value", required: true)
            guard type == "StringEquals", key == "aws:PrincipalOrgID" else {
                throw .validation("Parameter Condition is not valid: Type must be StringEquals and Key aws:PrincipalOrgID, not \(type ?? "") and \(key ?? "")")
            }
            organization = value
        }
        try store.serialized { () throws(AWSError) in
            do throws(EventRouterError) {
                try router.access.putPermission(PermissionGrant(statementId: sid, principal: principal, action: action, organizationId: organization), busArn: bus)
            } catch {
                throw .events(error)
            }
            runtime.journalPolicy(busArn: bus)
        }
        return [:]
    }

    /// RemovePermission: one statement by id, or `RemoveAllPermissions`.
    func removePermission(_ input: JSONInput, account: String) throws(AWSError) -> JSONValue {
        let bus = try busArn(try input.string("EventBusName"), account: account)
        let sid = try input.string("StatementId")
        let all = try input.boolean("RemoveAllPermissions") ?? false
        try store.serialized { () throws(AWSError) in
            do throws(EventRouterError) {
                try router.access.removePermission(statementId: sid, removeAll: all, busArn: bus)
            } catch {
                throw .events(error)
            }
            runtime.journalPolicy(busArn: bus)
        }
        return [:]
    }
}
