/// One statement of a bus resource policy, as ``BusPolicy/parse(_:busArn:)`` reads it.
public struct BusPolicyStatement: Sendable, Hashable {
    /// `Allow` or `Deny`.
    public enum Effect: String, Sendable, Hashable {
        case allow = "Allow"
        case deny = "Deny"
    }

    /// Who the statement is about.
    public enum Principal: Sendable, Hashable {
        /// `"*"` or `{"AWS": "*"}`: every account.
        case anyone
        /// `{"AWS": "123456789012"}` or `{"AWS": "arn:aws:iam::123456789012:root"}`.
        case account(String)
        /// A principal kind that never names an account here (e.g. `{"Service": …}`).
        case other(String)
    }

    /// A condition the sender must meet (`StringEquals`; the values are alternatives).
    public struct Condition: Sendable, Hashable {
        /// The condition keys EventRouter evaluates.
        public enum Key: String, Sendable, Hashable, CaseIterable {
            case principalOrgID = "aws:PrincipalOrgID"
            case principalAccount = "aws:PrincipalAccount"
        }

        public var key: Key
        public var values: [String]

        public init(key: Key, values: [String]) {
            self.key = key
            self.values = values
        }
    }

    /// The statement id (`Sid`), which `RemovePermission` names.
    public var sid: String?
    public var effect: Effect
    public var principals: [Principal]
    /// The actions as written (`events:PutEvents`, `events:*`, …).
    public var actions: [String]
    /// The resources as written (bus ARNs, possibly with IAM wildcards).
    public var resources: [String]
    /// Every condition must hold; none means unconditional.
    public var conditions: [Condition]

    public init(sid: String? = nil, effect: Effect, principals: [Principal], actions: [String] = ["events:PutEvents"],
                resources: [String], conditions: [Condition] = []) {
        self.sid = sid
        self.effect = effect
        self.principals = principals
        self.actions = actions
        self.resources = resources
        self.conditions = conditions
    }

    /// Whether the statement's actions include `events:PutEvents`.
    public var coversPutEvents: Bool {
        actions.contains { IAMGlob.matches($0, "events:PutEvents", caseInsensitive: true) }
    }

    /// Whether a resource of the statement matches `busArn`.
    public func names(bus busArn: String) -> Bool {
        resources.contains { IAMGlob.matches($0, busArn) }
    }

    /// Whether a principal of the statement is `account` (or anyone).
    public func names(account: String) -> Bool {
        principals.contains { p in
            switch p {
            case .anyone: return true
            case .account(let a): return a == account
            case .other: return false
            }
        }
    }

    /// Whether every condition holds for a sender in `account` and organization `organizationId`.
    public func conditionsHold(account: String, organizationId: String?) -> Bool {
        conditions.allSatisfy { c in
            switch c.key {
            case .principalOrgID: return organizationId.map { c.values.contains($0) } ?? false
            case .principalAccount: return c.values.contains(account)
            }
        }
    }

    /// Whether the statement applies to `events:PutEvents` by `account` on `busArn`.
    public func applies(toAccount account: String, organizationId: String?, busArn: String) -> Bool {
        coversPutEvents && names(bus: busArn) && names(account: account)
            && conditionsHold(account: account, organizationId: organizationId)
    }

    /// The statement as policy JSON, in the shape `PutPermission` writes.
    public var json: JSONValue {
        var o = JSONObject()
        if let sid { o["Sid"] = .string(sid) }
        o["Effect"] = .string(effect.rawValue)
        let aws: [JSONValue] = principals.compactMap {
            switch $0 {
            case .anyone: return nil
            case .account(let a): return .string("arn:aws:iam::\(a):root")
            case .other: return nil
            }
        }
        if principals.contains(.anyone) || aws.isEmpty {
            o["Principal"] = "*"
        } else {
            o["Principal"] = .object(JSONObject([.init(key: "AWS", value: aws.count == 1 ? aws[0] : .array(aws))]))
        }
        o["Action"] = actions.count == 1 ? .string(actions[0]) : .array(actions.map { .string($0) })
        o["Resource"] = resources.count == 1 ? .string(resources[0]) : .array(resources.map { .string($0) })
        if !conditions.isEmpty {
            let members = conditions.map { c in
                JSONObject.Member(key: c.key.rawValue, value: c.values.count == 1 ? .string(c.values[0]) : .array(c.values.map { .string($0) }))
            }
            o["Condition"] = .object(JSONObject([.init(key: "StringEquals", value: .object(JSONObject(members)))]))
        }
        return .object(o)
    }
}
