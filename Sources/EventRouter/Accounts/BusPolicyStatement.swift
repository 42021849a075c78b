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

    /// A condition the caller (and, for `PutEvents` and `PutRule`, the request) must meet:
    /// `StringEquals`, `StringNotEquals`, `StringLike`, `StringNotLike` (each optionally
    /// `ForAllValues:`/`ForAnyValue:` and `…IfExists`) or `Null`; the values are alternatives.
    public struct Condition: Sendable, Hashable {
        /// The condition keys EventRouter evaluates.
        public enum Key: String, Sendable, Hashable, CaseIterable {
            case principalOrgID = "aws:PrincipalOrgID"
            case principalAccount = "aws:PrincipalAccount"
            /// The account that created the rule a rule operation names (absent for a new rule).
            case creatorAccount = "events:creatorAccount"
            /// `PutEvents`: the entry's `Source`; `PutRule`: the pattern's `source` values.
            case source = "events:source"
            /// `PutEvents`: the entry's `DetailType`; `PutRule`: the pattern's `detail-type` values.
            case detailType = "events:detail-type"
        }

        /// How a value of the request is compared with the condition's values.
        public enum Operator: String, Sendable, Hashable, CaseIterable {
            case stringEquals = "StringEquals"
            case stringNotEquals = "StringNotEquals"
            case stringLike = "StringLike"
            case stringNotLike = "StringNotLike"
            /// `"true"`: the key is absent; `"false"`: it is present.
            case null = "Null"

            var negated: Bool { self == .stringNotEquals || self == .stringNotLike }
        }

        /// IAM's set operators for keys with several values (a rule pattern's sources).
        public enum SetQualifier: String, Sendable, Hashable {
            case none = ""
            case forAllValues = "ForAllValues:"
            case forAnyValue = "ForAnyValue:"
        }

        public var key: Key
        public var values: [String]
        public var op: Operator
        public var qualifier: SetQualifier
        /// `…IfExists`: the condition holds when the request has no value for the key.
        public var ifExists: Bool

        public init(key: Key, values: [String], op: Operator = .stringEquals, qualifier: SetQualifier = .none, ifExists: Bool = false) {
            self.key = key
            self.values = values
            self.op = op
            self.qualifier = qualifier
            self.ifExists = ifExists
        }

        /// The operator as a policy writes it, e.g. `ForAllValues:StringEquals` or `StringEqualsIfExists`.
        public var operatorName: String { qualifier.rawValue + op.rawValue + (ifExists ? "IfExists" : "") }

        /// Whether the condition holds for `request`.
        public func holds(for request: BusRequest) -> Bool {
            let given = request.values(for: key)
            if op == .null {
                let absent = given == nil || given?.isEmpty == true
                return values.contains { $0.lowercased() == (absent ? "true" : "false") }
            }
            let expected = values.map { request.substitute($0) }
            func matches(_ value: String) -> Bool {
                expected.contains { op == .stringLike || op == .stringNotLike ? IAMGlob.matches($0, value) : $0 == value }
            }
            guard let given, !given.isEmpty else {
                if ifExists { return true }
                switch qualifier {
                case .forAllValues: return true
                case .forAnyValue: return false
                case .none: return op.negated
                }
            }
            switch qualifier {
            case .forAllValues: return given.allSatisfy { op.negated ? !matches($0) : matches($0) }
            case .forAnyValue, .none: return op.negated ? !given.contains(where: matches) : given.contains(where: matches)
            }
        }

        /// The condition in words, for an error message: `events:source StringEquals a or b`.
        public var phrase: String {
            "\(key.rawValue) " + (operatorName == "StringEquals" ? "" : operatorName + " ") + values.joined(separator: " or ")
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
    public var coversPutEvents: Bool { covers(action: "events:PutEvents") }

    /// Whether the statement's actions include `action` (e.g. `events:PutRule`).
    public func covers(action: String) -> Bool {
        actions.contains { IAMGlob.matches($0, action, caseInsensitive: true) }
    }

    /// Whether a resource of the statement matches `busArn`.
    public func names(bus busArn: String) -> Bool {
        resources.contains { IAMGlob.matches($0, busArn) }
    }

    /// Whether a resource of the statement matches `arn` (a bus or a rule ARN).
    public func names(resource arn: String) -> Bool {
        resources.contains { IAMGlob.matches($0, arn) }
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
        conditionsHold(for: BusRequest(action: "events:PutEvents", account: account, organizationId: organizationId, resource: ""))
    }

    /// Whether every condition holds for `request`.
    public func conditionsHold(for request: BusRequest) -> Bool {
        conditions.allSatisfy { $0.holds(for: request) }
    }

    /// Whether the statement applies to `events:PutEvents` by `account` on `busArn`.
    public func applies(toAccount account: String, organizationId: String?, busArn: String) -> Bool {
        applies(to: BusRequest(action: "events:PutEvents", account: account, organizationId: organizationId, resource: busArn))
    }

    /// Whether the statement applies to `request`: its action, resource, principal and every condition.
    public func applies(to request: BusRequest) -> Bool {
        covers(action: request.action) && names(resource: request.resource) && names(account: request.account)
            && conditionsHold(for: request)
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
            var byOperator = JSONObject()
            for c in conditions {
                var keys = byOperator[c.operatorName]?.objectValue ?? JSONObject()
                keys[c.key.rawValue] = c.values.count == 1 ? .string(c.values[0]) : .array(c.values.map { .string($0) })
                byOperator[c.operatorName] = .object(keys)
            }
            o["Condition"] = .object(byOperator)
        }
        return .object(o)
    }
}
