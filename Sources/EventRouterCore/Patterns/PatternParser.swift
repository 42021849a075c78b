/// Compiles a pattern's JSON into the normal form of ``EventPattern``, validating it the way
/// EventBridge does and reporting each problem with its path inside the pattern.
///
/// Limits: at most ``maximumCombinations`` alternatives after `$or` expansion; a
/// ``WildcardComplexity`` of at most ``maximumWildcardComplexity`` for the wildcards of one field.
public struct PatternParser: Sendable {
    /// Most alternatives a pattern may expand to through `$or` (EventBridge: 1000).
    public static let maximumCombinations = 1000
    /// Most wildcard positions that may be in progress at once over the `wildcard` values (plain
    /// and under `anything-but`) of one field (see ``WildcardComplexity``).
    public static let maximumWildcardComplexity = 20

    /// Field names that cannot be used inside `$or` (operator names and reserved words).
    static let reservedInsideOr: Set<String> = [
        "exactly", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard",
        "numeric", "cidr", "=", "<", "<=", ">", ">=", "regex", "not-wildcard", "not-equals-ignore-case",
        "date-after", "date-on-or-after", "date-before", "date-on-or-before", "in-date-range",
        "ip-address-in-range", "ip-address-not-in-range",
    ]

    public init() {}

    /// One alternative under construction: conditions keyed by dotted path, in insertion order.
    struct Draft {
        var keys: [String] = []
        var conditions: [String: FieldCondition] = [:]

        mutating func set(_ key: String, _ condition: FieldCondition) {
            if conditions.updateValue(condition, forKey: key) == nil { keys.append(key) }
        }
    }

    /// Validates `json` and returns the pattern in normal form.
    /// - Throws: ``PatternError`` with the path inside the pattern and the reason.
    public func parse(_ json: JSONValue) throws(PatternError) -> EventPattern {
        guard case .object(let root) = json else {
            throw PatternError(path: "", reason: "a pattern must be a JSON object, not \(Self.article(json.kindName))")
        }
        var drafts: [Draft] = []
        try parseObject(root, prefix: [], at: "", into: &drafts, insideOr: false)
        var seen = Set<PatternAlternative>()
        var alternatives: [PatternAlternative] = []
        for draft in drafts {
            let sorted = draft.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            let alternative = PatternAlternative(conditions: sorted.compactMap { draft.conditions[$0] })
            if seen.insert(alternative).inserted { alternatives.append(alternative) }
        }
        return EventPattern(alternatives: alternatives)
    }

    private func parseObject(
        _ object: JSONObject, prefix: [String], at location: String, into drafts: inout [Draft], insideOr: Bool
    ) throws(PatternError) {
        guard !object.isEmpty else {
            throw PatternError(path: location, reason: "an empty object is not allowed; give at least one field")
        }
        // A key given twice keeps its last value, as AWS does (rule files and manifests, which
        // are ours, still refuse duplicate keys when they are read).
        var members = object.members
        if object.firstDuplicateKey != nil {
            var seen = Set<String>()
            members = members.reversed().filter { seen.insert($0.key).inserted }.reversed()
        }
        for member in members {
            let here = Self.join(location, member.key)
            if member.key == "$or" {
                try parseOr(member.value, prefix: prefix, at: here, into: &drafts)
                continue
            }
            if insideOr, Self.reservedInsideOr.contains(member.key) {
                throw PatternError(
                    path: here,
                    reason: "\"\(member.key)\" is a reserved operator name and cannot be a field name inside $or")
            }
            let path = prefix + FieldPath.names(member.key)
            switch member.value {
            case .object(let inner):
                try parseObject(inner, prefix: path, at: here, into: &drafts, insideOr: insideOr)
            case .array(let values):
                let matchers = try parseValues(values, at: here)
                let condition = FieldCondition(path: path, matchers: matchers)
                if drafts.isEmpty { drafts.append(Draft()) }
                let key = condition.pathKey
                for i in drafts.indices { drafts[i].set(key, condition) }
            default:
                throw PatternError(
                    path: here,
                    reason: "a field must hold an object or an array of values, not \(Self.article(member.value.kindName)); write [\(member.value.jsonText)]")
            }
        }
    }

    private func parseOr(_ value: JSONValue, prefix: [String], at location: String, into drafts: inout [Draft]) throws(PatternError) {
        guard case .array(let branches) = value else {
            throw PatternError(path: location, reason: "$or must be an array of at least two objects, not \(Self.article(value.kindName))")
        }
        let current = drafts
        var result: [Draft] = []
        for (i, branch) in branches.enumerated() {
            let here = "\(location)[\(i)]"
            guard case .object(let object) = branch else {
                throw PatternError(path: here, reason: "each element of $or must be an object, not \(Self.article(branch.kindName))")
            }
            var expanded = current.isEmpty ? [Draft()] : current
            try parseObject(object, prefix: prefix, at: here, into: &expanded, insideOr: true)
            result.append(contentsOf: expanded)
            if result.count > Self.maximumCombinations {
                throw PatternError(
                    path: location,
                    reason: "the pattern is too complex: $or expands to more than \(Self.maximumCombinations) combinations; use fewer or flatter $or branches")
            }
        }
        guard branches.count >= 2 else {
            throw PatternError(path: location, reason: "$or needs at least two objects, found \(branches.count)")
        }
        drafts = result
    }

    /// Parses the array of values of one field into its matchers (duplicates removed).
    private func parseValues(_ values: [JSONValue], at location: String) throws(PatternError) -> [ValueMatcher] {
        guard !values.isEmpty else {
            throw PatternError(path: location, reason: "an empty array is not allowed; list at least one value")
        }
        var matchers: [ValueMatcher] = []
        var seen = Set<ValueMatcher>()
        var wildcards: [String] = []
        for (i, value) in values.enumerated() {
            let here = "\(location)[\(i)]"
            let matcher: ValueMatcher
            switch value {
            case .string(let s):
                if let address = IPAddressParser.bytes(s) {
                    matcher = .cidr(CIDRBlock(address: address, prefixLength: address.count * 8))
                } else {
                    matcher = .exactString(s)
                }
            case .number(let n): matcher = .exactNumber(n.double == 0 ? 0 : n.double)
            case .bool(let b): matcher = .exactBool(b)
            case .null: matcher = .exactNull
            case .array:
                throw PatternError(
                    path: here,
                    reason: "a nested array is not allowed; a value must be a string, number, boolean, null or an operator object")
            case .object(let object):
                matcher = try parseOperator(object, at: here)
            }
            switch matcher {
            case .wildcard(let w): wildcards.append(w)
            case .anythingBut(.wildcards(let list)): wildcards.append(contentsOf: list)
            default: break
            }
            if seen.insert(matcher).inserted { matchers.append(matcher) }
        }
        let complexity = WildcardComplexity.measure(wildcards, limit: Self.maximumWildcardComplexity)
        if complexity > Self.maximumWildcardComplexity {
            throw PatternError(
                path: location,
                reason: "the pattern is too complex: more than \(Self.maximumWildcardComplexity) wildcard positions of this field can be in progress at once; use fewer wildcard characters or fewer repeating character sequences after a wildcard character")
        }
        return matchers
    }

    static func join(_ location: String, _ key: String) -> String {
        location.isEmpty ? key : location + "." + key
    }

    static func article(_ kind: String) -> String {
        switch kind {
        case "null": return "null"
        case "array", "object": return "an \(kind)"
        default: return "a \(kind)"
        }
    }
}
