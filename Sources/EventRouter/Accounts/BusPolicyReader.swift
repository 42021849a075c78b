/// Reads policy JSON into a ``BusPolicy`` with the one ``FieldReader``, collecting every problem
/// with its path: a policy in a rule file and one given to `PutPermission` get the same words.
struct BusPolicyReader {
    static let policyKeys = ["Version", "Id", "Statement"]
    static let statementKeys = ["Sid", "Effect", "Principal", "Action", "Resource", "Condition"]

    let busArn: String?
    var fields = FieldReader()
    var problems: [ValidationProblem] { fields.problems }

    init(busArn: String?) { self.busArn = busArn }

    mutating func error(_ path: String, _ message: String) { fields.error(path, message) }
    mutating func warning(_ path: String, _ message: String) { fields.warning(path, message) }

    mutating func unknownKeys(_ object: JSONObject, allowed: [String], what: String, path: String) {
        for key in object.keys where !allowed.contains(key) {
            if ["NotPrincipal", "NotAction", "NotResource"].contains(key) {
                error("\(path).\(key)", "'\(key)' is not supported in bus policies here; write the statement with '\(key.dropFirst(3))'; allowed: \(allowed.joined(separator: ", "))")
            } else {
                error("\(path).\(key)", FieldReader.unknownKeyReason(key, in: what, allowed: allowed))
            }
        }
    }

    mutating func read(_ given: JSONValue) -> BusPolicy? {
        var value = given
        let length: Int
        if case .string(let text) = given {
            length = text.count
            do {
                value = try JSONParser.parse(text, options: .init(rejectDuplicateKeys: true))
            } catch {
                self.error("$", "the policy string is not valid JSON: \(error)")
                return nil
            }
        } else {
            length = given.jsonText.count
        }
        if length > BusPolicy.maximumLength {
            error("$", "the policy is \(length) characters; EventBridge allows at most \(BusPolicy.maximumLength) — split it or use fewer statements")
        }
        guard case .object(let root) = value else {
            error("$", "a policy must be a JSON object with 'Version' and 'Statement', not \(value.kindName)")
            return nil
        }
        unknownKeys(root, allowed: Self.policyKeys, what: "a policy", path: "$")
        var version: String?
        if let v = root["Version"] {
            if let s = v.stringValue, BusPolicy.versions.contains(s) { version = s } else {
                error("$.Version", "Version must be \"2012-10-17\" (or \"2008-10-17\"), not \(v.jsonText)")
            }
        }
        let id = fields.string(root, "Id", at: "$")
        var items: [(JSONValue, String)] = []
        switch root["Statement"] {
        case nil:
            error("$", "missing required key 'Statement' (a statement object or a list of them)")
        case .array(let list)?:
            if list.isEmpty { error("$.Statement", "Statement must hold at least one statement") }
            items = list.enumerated().map { ($1, "$.Statement[\($0)]") }
        case .object?:
            items = [(root["Statement"] ?? .null, "$.Statement")]
        case let other?:
            error("$.Statement", "Statement must be an object or a list of objects, not \(other.kindName)")
        }
        var statements: [BusPolicyStatement] = []
        var sids: [String: String] = [:]
        for (item, path) in items {
            guard let statement = readStatement(item, path: path) else { continue }
            if let sid = statement.sid {
                if let first = sids[sid] { error("\(path).Sid", "duplicate Sid '\(sid)' (first used at \(first)); statement ids must be unique") }
                sids[sid] = path
            }
            statements.append(statement)
        }
        return BusPolicy(version: version, id: id, statements: statements, json: value)
    }

    mutating func readStatement(_ value: JSONValue, path: String) -> BusPolicyStatement? {
        guard case .object(let o) = value else {
            error(path, "a statement must be an object, not \(value.kindName)")
            return nil
        }
        let errorsBefore = fields.errorCount
        unknownKeys(o, allowed: Self.statementKeys, what: "a policy statement", path: path)
        let sid = fields.string(o, "Sid", at: path)
        var effect = BusPolicyStatement.Effect.allow
        switch o["Effect"] {
        case nil: error(path, "missing required key 'Effect' (\"Allow\" or \"Deny\")")
        case .string(let s)? where BusPolicyStatement.Effect(rawValue: s) != nil: effect = BusPolicyStatement.Effect(rawValue: s) ?? .allow
        case let v?: error("\(path).Effect", "Effect must be \"Allow\" or \"Deny\", not \(v.jsonText)")
        }
        let principals = readPrincipal(o["Principal"], path: path)
        let actions = readActions(o["Action"], path: path)
        let resources = readResources(o["Resource"], path: path)
        let conditions = readConditions(o["Condition"], path: "\(path).Condition")
        guard fields.errorCount == errorsBefore else { return nil }
        let statement = BusPolicyStatement(sid: sid, effect: effect, principals: principals, actions: actions, resources: resources, conditions: conditions)
        if !statement.coversPutEvents, !BusAccess.ruleActions.contains(where: statement.covers(action:)) {
            warning("\(path).Action", "this statement covers neither events:PutEvents nor a rule action (\(BusAccess.ruleActions.joined(separator: ", "))), "
                    + "the actions EventRouter evaluates; it has no effect here")
        }
        return statement
    }

    /// A string or a non-empty list of strings.
    mutating func strings(_ value: JSONValue, path: String, what: String) -> [(String, String)]? {
        switch value {
        case .string(let s): return [(s, path)]
        case .array(let list):
            if list.isEmpty { error(path, "\(what) must not be an empty list"); return nil }
            var out: [(String, String)] = []
            for (i, item) in list.enumerated() {
                if let s = item.stringValue { out.append((s, "\(path)[\(i)]")) } else {
                    error("\(path)[\(i)]", "each \(what) must be a string, not \(item.kindName)")
                }
            }
            return out
        default:
            error(path, "\(what) must be a string or a list of strings, not \(value.kindName)")
            return nil
        }
    }

    mutating func readPrincipal(_ value: JSONValue?, path: String) -> [BusPolicyStatement.Principal] {
        let p = "\(path).Principal"
        guard let value else {
            error(path, "missing required key 'Principal' (\"*\", {\"AWS\": \"111122223333\"} or {\"AWS\": \"arn:aws:iam::111122223333:root\"})")
            return []
        }
        switch value {
        case .string("*"): return [.anyone]
        case .object(let o):
            var out: [BusPolicyStatement.Principal] = []
            if o.isEmpty { error(p, "Principal must not be empty; write \"*\" or {\"AWS\": \"111122223333\"}") }
            for member in o.members {
                let mp = "\(p).\(member.key)"
                switch member.key {
                case "AWS":
                    for (s, sp) in strings(member.value, path: mp, what: "AWS principal") ?? [] {
                        if s == "*" { out.append(.anyone) } else if let account = AccountID.account(ofPrincipal: s) { out.append(.account(account)) } else {
                            error(sp, "an AWS principal must be \"*\", a 12-digit account id or arn:aws:iam::ACCOUNT:root, not '\(s)'")
                        }
                    }
                case "Service", "Federated", "CanonicalUser":
                    warning(mp, "'\(member.key)' principals never name an account here, so they match no sender")
                    out.append(.other(member.key))
                default:
                    error(mp, "unknown principal type '\(member.key)'; use \"AWS\" (an account id or arn:aws:iam::ACCOUNT:root)")
                }
            }
            return out
        default:
            error(p, "Principal must be \"*\" or an object like {\"AWS\": \"111122223333\"}, not \(value.jsonText.prefix(60))")
            return []
        }
    }

    mutating func readActions(_ value: JSONValue?, path: String) -> [String] {
        guard let value else {
            error(path, "missing required key 'Action' (\"events:PutEvents\")")
            return []
        }
        var out: [String] = []
        for (s, sp) in strings(value, path: "\(path).Action", what: "Action") ?? [] {
            let parts = s.split(separator: ":", maxSplits: 1)
            if s == "*" || (parts.count == 2 && parts[0].lowercased() == "events" && !parts[1].isEmpty) { out.append(s) } else {
                error(sp, "Action must be an EventBridge action such as \"events:PutEvents\" or \"events:*\", not '\(s)'")
            }
        }
        return out
    }

    mutating func readResources(_ value: JSONValue?, path: String) -> [String] {
        guard let value else {
            error(path, "missing required key 'Resource' (the bus ARN\(busArn.map { ", \($0)" } ?? ""))")
            return []
        }
        var out: [(String, String)] = []
        for (s, sp) in strings(value, path: "\(path).Resource", what: "Resource") ?? [] {
            if s == "*" || s.hasPrefix("arn:") && s.split(separator: ":", omittingEmptySubsequences: false).count >= 6 {
                out.append((s, sp))
            } else {
                error(sp, "Resource must be an event bus ARN like arn:aws:events:us-east-1:123456789012:event-bus/NAME, not '\(s)'")
            }
        }
        if let busArn, !out.isEmpty, !out.contains(where: { IAMGlob.matches($0.0, busArn) || Self.namesRules(of: busArn, $0.0) }) {
            let rules = BusReference(arn: busArn).map { ARN.rule("*", bus: $0.name, account: $0.account, region: $0.region).description } ?? ""
            error(out.count == 1 ? out[0].1 : "\(path).Resource",
                  "Resource \(out.map(\.0).joined(separator: ", ")) does not name this bus; write \(busArn) (or \(rules) for its rules)")
        }
        return out.map(\.0)
    }

    /// Whether `resource` names rules of the bus `busArn` (`…:rule/BUS/NAME`, `rule/NAME` on a default bus).
    static func namesRules(of busArn: String, _ resource: String) -> Bool {
        guard let bus = BusReference(arn: busArn) else { return false }
        let prefix = String(ARN.rule("", bus: bus.name, account: bus.account, region: bus.region).description)
        return resource.hasPrefix(prefix) || IAMGlob.matches(resource, prefix + "x")
    }

    mutating func readConditions(_ value: JSONValue?, path: String) -> [BusPolicyStatement.Condition] {
        guard let value else { return [] }
        guard case .object(let o) = value else {
            error(path, "Condition must be an object like {\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-a1b2c3d4e5\"}}, not \(value.kindName)")
            return []
        }
        var out: [BusPolicyStatement.Condition] = []
        let keyNames = BusPolicyStatement.Condition.Key.allCases.map(\.rawValue).joined(separator: ", ")
        for op in o.members {
            let opPath = "\(path).\(op.key)"
            guard let (op0, qualifier, ifExists) = Self.conditionOperator(op.key) else {
                error(opPath, "condition operator '\(op.key)' is not supported; EventRouter evaluates StringEquals, StringNotEquals, StringLike, "
                      + "StringNotLike (each also with ForAllValues:/ForAnyValue: and IfExists) and Null")
                continue
            }
            guard case .object(let keys) = op.value else {
                error(opPath, "\(op.key) must be an object like {\"aws:PrincipalOrgID\": \"o-a1b2c3d4e5\"}, not \(op.value.kindName)")
                continue
            }
            for k in keys.members {
                let kp = "\(opPath).\(k.key)"
                guard let key = BusPolicyStatement.Condition.Key.allCases.first(where: { $0.rawValue.lowercased() == k.key.lowercased() }) else {
                    error(kp, "condition key '\(k.key)' is not supported; use one of \(keyNames)")
                    continue
                }
                var values: [String] = []
                for (s, sp) in strings(k.value, path: kp, what: "\(key.rawValue) value") ?? [] {
                    let variable = s.contains("${")
                    let pattern = op0 == .stringLike || op0 == .stringNotLike
                    if op0 == .null, !["true", "false"].contains(s.lowercased()) {
                        error(sp, "a Null condition takes \"true\" (the key is absent) or \"false\" (it is present), not '\(s)'")
                        continue
                    }
                    if variable, !["${aws:PrincipalAccount}", "${aws:PrincipalOrgID}"].contains(where: s.contains) {
                        error(sp, "'\(s)' uses a policy variable EventRouter does not fill; use ${aws:PrincipalAccount} or ${aws:PrincipalOrgID}")
                        continue
                    }
                    switch key {
                    case .principalOrgID where op0 != .null && !variable && !pattern && !AccountID.isOrganizationID(s):
                        error(sp, "aws:PrincipalOrgID must be an organization id like o-a1b2c3d4e5, not '\(s)'")
                    case .principalAccount where op0 != .null && !variable && !pattern && !AccountID.isValid(s),
                         .creatorAccount where op0 != .null && !variable && !pattern && !AccountID.isValid(s):
                        error(sp, "\(key.rawValue) must be a 12-digit account id (or ${aws:PrincipalAccount}), not '\(s)'")
                    default: values.append(s)
                    }
                }
                if !values.isEmpty { out.append(.init(key: key, values: values, op: op0, qualifier: qualifier, ifExists: ifExists)) }
            }
        }
        return out
    }

    /// `ForAllValues:StringEqualsIfExists` → (.stringEquals, .forAllValues, true); `nil` when not supported.
    static func conditionOperator(_ name: String) -> (BusPolicyStatement.Condition.Operator, BusPolicyStatement.Condition.SetQualifier, Bool)? {
        var rest = Substring(name)
        var qualifier = BusPolicyStatement.Condition.SetQualifier.none
        for q in [BusPolicyStatement.Condition.SetQualifier.forAllValues, .forAnyValue] where rest.hasPrefix(q.rawValue) {
            qualifier = q
            rest = rest.dropFirst(q.rawValue.count)
        }
        var ifExists = false
        if rest.hasSuffix("IfExists") {
            ifExists = true
            rest = rest.dropLast(8)
        }
        guard let op = BusPolicyStatement.Condition.Operator(rawValue: String(rest)) else { return nil }
        if op == .null, qualifier != .none || ifExists { return nil }
        return (op, qualifier, ifExists)
    }
}
