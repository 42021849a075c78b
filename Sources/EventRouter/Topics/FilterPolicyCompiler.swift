/// Validates an SNS filter policy with SNS's own rules and rewrites it into an event pattern
/// for ``PatternParser`` (whose matcher semantics agree with SNS's where both define them).
///
/// SNS's rules checked here (error texts follow SNS's `Invalid parameter: FilterPolicy: …`):
/// - a key holds an array of match values, or (``FilterPolicyScope/messageBody`` only) a nested object;
/// - match values are strings, numbers, `true`/`false`/`null` or one of SNS's operators:
///   `prefix`, `suffix`, `equals-ignore-case` (each a string), `anything-but` (a value, a list of
///   strings or numbers, or `{"prefix"|"suffix": …}`), `numeric`, `exists`, `cidr`.
///   EventBridge-only operators (`wildcard`, `exactly`, ignore-case prefixes) are refused;
/// - numbers lie within ±1e9;
/// - at most ``FilterPolicy/maximumKeys`` keys, counted as SNS does: the top-level keys of each
///   `$or` alternative (nested keys of a body policy don't count);
/// - at most ``FilterPolicy/maximumCombinations`` combinations: the product, over every array,
///   of its number of values times its nesting depth (SNS's rule: `{"a":{"b":[1,2,3]}}` counts
///   2 × 3 = 6), summed over `$or` branches.
///
/// A literal string becomes `{"exactly": …}` so that an IP-address literal stays an exact string
/// match, as in SNS (an event pattern would compare it as an address).
struct FilterPolicyCompiler {
    let scope: FilterPolicyScope

    /// Largest and smallest numbers SNS accepts in a policy.
    static let numericLimit = 1e9

    /// The rewritten pattern and the policy's key count and combinations.
    struct Result {
        var pattern: JSONValue
        var keys: Int
        var combinations: Int
    }

    func compile(_ policy: JSONObject) throws(TopicError) -> Result {
        let (pattern, keys, combinations) = try object(policy, depth: 1, at: "")
        return Result(pattern: .object(pattern), keys: keys, combinations: combinations)
    }

    /// Rewrites one object; returns it with its top-level key count (per alternative, the
    /// largest) and its combinations.
    private func object(_ o: JSONObject, depth: Int, at location: String) throws(TopicError) -> (JSONObject, Int, Int) {
        if let key = o.firstDuplicateKey {
            throw TopicError.filterPolicy("Duplicate key \"\(key)\"\(where_(location)): give each key once.")
        }
        if depth > 1 && o.isEmpty {
            throw TopicError.filterPolicy("Empty objects are not allowed\(where_(location)): give at least one key or remove it.")
        }
        var out = JSONObject()
        var keys = 0
        var orKeys = 0
        var combinations = 1
        for member in o.members {
            let here = location.isEmpty ? member.key : location + "." + member.key
            if member.key == "$or", case .array(let branches) = member.value, !branches.isEmpty,
                branches.allSatisfy({ $0.objectValue != nil }) {
                guard branches.count >= 2 else {
                    throw TopicError.filterPolicy("\"$or\" at \(here) needs at least two objects, found 1: add another branch or drop $or.")
                }
                var rewritten: [JSONValue] = []
                var sum = 0
                var widest = 0
                for (i, branch) in branches.enumerated() {
                    let (b, k, c) = try object(branch.objectValue ?? JSONObject(), depth: depth, at: "\(here)[\(i)]")
                    rewritten.append(.object(b))
                    sum += c
                    widest = max(widest, k)
                }
                out[member.key] = .array(rewritten)
                combinations = combinations.multipliedReportingOverflow(by: sum).overflow ? Int.max : combinations * sum
                orKeys = max(orKeys, widest)
                continue
            }
            if member.key == "$or" {
                throw TopicError.filterPolicy("\"$or\" at \(here) must be an array of at least two objects, not \(member.value.jsonText): write \"$or\": [{…}, {…}].")
            }
            switch member.value {
            case .array(let values):
                guard !values.isEmpty else {
                    throw TopicError.filterPolicy("Empty arrays are not allowed (key \"\(here)\"): list at least one value.")
                }
                var rewritten: [JSONValue] = []
                for (i, v) in values.enumerated() { rewritten.append(try matchValue(v, at: "\(here)[\(i)]")) }
                out[member.key] = .array(rewritten)
                let factor = values.count * depth
                combinations = combinations.multipliedReportingOverflow(by: factor).overflow ? Int.max : combinations * factor
                keys += 1
            case .object(let inner):
                guard scope == .messageBody else {
                    throw TopicError.invalidParameter("Filter policy scope MessageAttributes does not support nested filter policy (key \"\(here)\"): give the key an array of values, or set FilterPolicyScope to MessageBody to filter on the JSON body.")
                }
                let (b, _, c) = try object(inner, depth: depth + 1, at: here)
                out[member.key] = .object(b)
                combinations = combinations.multipliedReportingOverflow(by: c).overflow ? Int.max : combinations * c
                keys += 1
            default:
                throw TopicError.filterPolicy("\"\(here)\" must be an object or an array: write \"\(member.key)\": [\(member.value.jsonText)].")
            }
        }
        return (out, keys + orKeys, combinations)
    }

    /// Checks one match value and rewrites literal strings to `{"exactly": …}`.
    private func matchValue(_ v: JSONValue, at location: String) throws(TopicError) -> JSONValue {
        switch v {
        case .string(let s):
            return ["exactly": .string(s)]
        case .number(let n):
            try checkNumber(n, at: location)
            return v
        case .bool, .null:
            return v
        case .array:
            throw TopicError.filterPolicy("Match value must be String, number, true, false, or null (at \(location) there is an array): flatten it into the key's list.")
        case .object(let o):
            try checkOperator(o, at: location)
            return v
        }
    }

    private func checkNumber(_ n: JSONNumber, at location: String) throws(TopicError) {
        guard abs(n.double) <= Self.numericLimit else {
            throw TopicError.filterPolicy("Numeric value \(n.text) at \(location) is out of range: SNS compares numbers from -1000000000 to 1000000000.")
        }
    }

    static let operators = ["prefix", "suffix", "equals-ignore-case", "anything-but", "numeric", "exists", "cidr"]

    /// SNS's operator set and operand types; the pattern parser checks the rest (numeric ranges, CIDR syntax).
    private func checkOperator(_ o: JSONObject, at location: String) throws(TopicError) {
        guard o.count == 1, let member = o.members.first else {
            throw TopicError.filterPolicy("Only one key allowed in match expression (at \(location) there are \(o.count)): write one {\"operator\": value} object per value.")
        }
        let here = "\(location).\(member.key)"
        switch member.key {
        case "prefix", "suffix", "equals-ignore-case", "cidr":
            guard case .string = member.value else {
                throw TopicError.filterPolicy("\(member.key) match pattern must be a string (at \(here)): write {\"\(member.key)\": \"…\"}.")
            }
        case "exists":
            guard case .bool = member.value else {
                throw TopicError.filterPolicy("exists match pattern must be either true or false (at \(here)).")
            }
        case "numeric":
            guard case .array(let terms) = member.value else {
                throw TopicError.filterPolicy("Value of numeric must be an array (at \(here)): write {\"numeric\": [\">\", 0, \"<=\", 5]}.")
            }
            for case .number(let n) in terms { try checkNumber(n, at: here) }
        case "anything-but":
            switch member.value {
            case .object(let inner):
                guard inner.count == 1, let k = inner.keys.first, k == "prefix" || k == "suffix" else {
                    let name = inner.keys.first ?? ""
                    throw TopicError.filterPolicy("Unsupported anything-but pattern: \(name) (at \(here)): SNS takes {\"anything-but\": {\"prefix\": \"…\"}} or {\"anything-but\": {\"suffix\": \"…\"}}.")
                }
            case .array(let list):
                for (i, item) in list.enumerated() {
                    switch item {
                    case .string: break
                    case .number(let n): try checkNumber(n, at: "\(here)[\(i)]")
                    default:
                        throw TopicError.filterPolicy("anything-but list values must be strings or numbers (at \(here)[\(i)] there is \(item.jsonText)).")
                    }
                }
            case .number(let n):
                try checkNumber(n, at: here)
            default:
                break
            }
        default:
            if let known = DidYouMean.suggestion(for: member.key, among: Self.operators) {
                throw TopicError.filterPolicy("Unrecognized match type \(member.key) (at \(location)): did you mean \"\(known)\"?")
            }
            throw TopicError.filterPolicy("Unrecognized match type \(member.key) (at \(location)): SNS supports \(Self.operators.joined(separator: ", ")).")
        }
    }

    private func where_(_ location: String) -> String { location.isEmpty ? "" : " at \(location)" }
}
