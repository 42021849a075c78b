/// `PutPermission` and `RemovePermission` on a bus policy: each takes the current policy JSON
/// (or `nil`) and returns the new one, so the caller can store or print it.
public enum BusPermissionEditor {
    /// Adds the statement for `grant` to `policy`, replacing a statement with the same id in place.
    /// - Parameters:
    ///   - policy: the bus's current policy (object or JSON string), `nil` if it has none.
    ///   - busArn: the bus the policy belongs to.
    /// - Returns: the new policy JSON.
    /// - Throws: ``EventRouterError`` (`ValidationException`) for a bad grant, a broken current
    ///   policy, or a result over 10,240 characters.
    public static func putPermission(_ grant: PermissionGrant, to policy: JSONValue?, busArn: String) throws(EventRouterError) -> JSONValue {
        try grant.validate()
        var (root, statements) = try open(policy, busArn: busArn)
        let new = grant.statement(busArn: busArn).json
        if let i = statements.firstIndex(where: { $0["Sid"]?.stringValue == grant.statementId }) {
            statements[i] = new
        } else {
            statements.append(new)
        }
        root["Statement"] = .array(statements)
        let result = JSONValue.object(root)
        try check(result, busArn: busArn)
        return result
    }

    /// Removes the statement `statementId` (or, with `removeAll`, every statement).
    /// - Returns: the new policy, or `nil` when no statement is left (the bus has no policy).
    /// - Throws: ``EventRouterError`` (`NotFound`) when no statement has that id, or
    ///   (`ValidationException`) when neither or both of `statementId` and `removeAll` are given.
    public static func removePermission(statementId: String?, removeAll: Bool = false, from policy: JSONValue?, busArn: String) throws(EventRouterError) -> JSONValue? {
        switch (statementId, removeAll) {
        case (nil, false): throw EventRouterError(.validation, "give a StatementId to remove, or remove all permissions")
        case (_?, true): throw EventRouterError(.validation, "give either a StatementId or remove all permissions, not both")
        default: break
        }
        if removeAll { return nil }
        guard let policy else {
            throw EventRouterError(.notFound, "\(busArn) has no policy, so it has no statement '\(statementId ?? "")'")
        }
        var (root, statements) = try open(policy, busArn: busArn)
        guard let i = statements.firstIndex(where: { $0["Sid"]?.stringValue == statementId }) else {
            let ids = statements.compactMap { $0["Sid"]?.stringValue }
            var message = "the policy of \(busArn) has no statement with id '\(statementId ?? "")'"
            message += ids.isEmpty ? " (its statements have no ids)" : "; its statement ids: \(ids.joined(separator: ", "))"
            throw EventRouterError(.notFound, message)
        }
        statements.remove(at: i)
        if statements.isEmpty { return nil }
        root["Statement"] = .array(statements)
        return .object(root)
    }

    /// The policy's object (Version set) and its statements as a list.
    private static func open(_ policy: JSONValue?, busArn: String) throws(EventRouterError) -> (JSONObject, [JSONValue]) {
        guard let policy else {
            return (JSONObject([.init(key: "Version", value: "2012-10-17")]), [])
        }
        let (parsed, problems) = BusPolicy.parse(policy, busArn: busArn)
        guard let parsed else {
            let errors = problems.filter { $0.severity == .error }.map(\.description).joined(separator: "; ")
            throw EventRouterError(.validation, "the current policy of \(busArn) is not valid, fix it first: \(errors)")
        }
        guard case .object(var root) = parsed.json else { return (JSONObject(), []) }
        if root["Version"] == nil { root["Version"] = "2012-10-17" }
        switch root["Statement"] {
        case .array(let list)?: return (root, list)
        case let single?: return (root, [single])
        case nil: return (root, [])
        }
    }

    private static func check(_ policy: JSONValue, busArn: String) throws(EventRouterError) {
        let (parsed, problems) = BusPolicy.parse(policy, busArn: busArn)
        if parsed == nil {
            let errors = problems.filter { $0.severity == .error }.map(\.description).joined(separator: "; ")
            throw EventRouterError(.validation, "the new policy would not be valid: \(errors)")
        }
    }
}
