/// A `PutPermission` request: let an account (or everyone) put events on a bus.
public struct PermissionGrant: Sendable, Hashable {
    /// The statement id (1–64 letters, digits, `-` or `_`), which `RemovePermission` names later.
    public var statementId: String
    /// A 12-digit account id, or `"*"` for every account (then usually with ``organizationId``).
    public var principal: String
    /// Only `events:PutEvents` is accepted, as in EventBridge.
    public var action: String
    /// Restricts the grant to senders of this organization (`aws:PrincipalOrgID`).
    public var organizationId: String?

    public init(statementId: String, principal: String, action: String = "events:PutEvents", organizationId: String? = nil) {
        self.statementId = statementId
        self.principal = principal
        self.action = action
        self.organizationId = organizationId
    }

    /// Checks the fields as `PutPermission` does.
    /// - Throws: ``EventRouterError`` (`ValidationException`) naming the field.
    public func validate() throws(EventRouterError) {
        let idOK = (1...64).contains(statementId.utf8.count)
            && statementId.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
        guard idOK else {
            throw EventRouterError(.validation, "StatementId must be 1 to 64 letters, digits, '-' or '_', not '\(statementId)'")
        }
        guard principal == "*" || AccountID.isValid(principal) else {
            throw EventRouterError(.validation, "Principal must be a 12-digit account id or \"*\", not '\(principal)'")
        }
        guard action == "events:PutEvents" else {
            throw EventRouterError(.validation, "Action must be events:PutEvents, not '\(action)'")
        }
        if let organizationId, !AccountID.isOrganizationID(organizationId) {
            throw EventRouterError(.validation, "the organization id must look like o-a1b2c3d4e5, not '\(organizationId)'")
        }
    }

    /// The statement `PutPermission` adds for this grant on `busArn`.
    public func statement(busArn: String) -> BusPolicyStatement {
        BusPolicyStatement(
            sid: statementId, effect: .allow, principals: [principal == "*" ? .anyone : .account(principal)], actions: [action],
            resources: [busArn], conditions: organizationId.map { [.init(key: .principalOrgID, values: [$0])] } ?? [])
    }
}
