import Foundation

/// One request a bus policy is asked about: who (`account`, its organization), which action
/// (`events:PutEvents`, `events:PutRule`, …), on which resource (the bus, or a rule on it), and
/// the request's condition values (`events:source`, `events:detail-type`, `events:creatorAccount`).
public struct BusRequest: Sendable, Hashable {
    /// The action, e.g. `events:PutRule`.
    public var action: String
    /// The calling account.
    public var account: String
    /// The calling account's organization (`aws:PrincipalOrgID`), if any.
    public var organizationId: String?
    /// The ARN the action is on: the bus for `PutEvents`, the rule for rule operations.
    public var resource: String
    /// `events:source` (a PutEvents entry's one source; a rule pattern's `source` values; `nil`: absent).
    public var sources: [String]?
    /// `events:detail-type`, as ``sources``.
    public var detailTypes: [String]?
    /// `events:creatorAccount`: the account that created the rule (`nil` for a rule that does not exist yet).
    public var creatorAccount: String?

    public init(action: String, account: String, organizationId: String? = nil, resource: String,
                sources: [String]? = nil, detailTypes: [String]? = nil, creatorAccount: String? = nil) {
        self.action = action
        self.account = account
        self.organizationId = organizationId
        self.resource = resource
        self.sources = sources
        self.detailTypes = detailTypes
        self.creatorAccount = creatorAccount
    }

    /// The request's values for `key` (`nil`: the request has none).
    public func values(for key: BusPolicyStatement.Condition.Key) -> [String]? {
        switch key {
        case .principalAccount: return [account]
        case .principalOrgID: return organizationId.map { [$0] }
        case .creatorAccount: return creatorAccount.map { [$0] }
        case .source: return sources
        case .detailType: return detailTypes
        }
    }

    /// The policy variables IAM fills in a condition value: `${aws:PrincipalAccount}`, `${aws:PrincipalOrgID}`.
    public func substitute(_ value: String) -> String {
        guard value.contains("${") else { return value }
        return value.replacingOccurrences(of: "${aws:PrincipalAccount}", with: account)
            .replacingOccurrences(of: "${aws:PrincipalOrgID}", with: organizationId ?? "")
    }

    /// The `source` and `detail-type` strings a rule pattern names (`nil` when it names none),
    /// the values of `events:source` and `events:detail-type` for `PutRule`.
    public static func patternValues(_ pattern: JSONValue?, field: String) -> [String]? {
        guard case .object(let o)? = pattern, let v = o[field] else { return nil }
        switch v {
        case .array(let items):
            let strings = items.compactMap(\.stringValue)
            return strings.isEmpty ? nil : strings
        case .string(let s): return [s]
        default: return nil
        }
    }
}
