/// A validated EventBridge event pattern, in disjunctive normal form.
///
/// `$or` is expanded at compile time, so a pattern is a list of ``PatternAlternative``s and
/// matches an event when any one alternative does. Each alternative is a conjunction of
/// ``FieldCondition``s on leaf paths (nested objects and dotted keys are both flattened to a
/// path of segments), each condition a disjunction of ``ValueMatcher``s.
///
/// STUB: the full parser/validator replaces the body of `init(json:)`; the shape of the
/// types below is the contract the compiled matcher (`Matching/`) builds on.
public struct EventPattern: Sendable, Hashable {
    /// The alternatives; at least one. A pattern without `$or` has exactly one.
    public var alternatives: [PatternAlternative]

    public init(alternatives: [PatternAlternative]) { self.alternatives = alternatives }

    /// Parses and validates pattern text (duplicate keys are an error).
    /// - Throws: ``PatternError`` naming the path inside the pattern and the reason.
    public init(parsing text: String) throws(PatternError) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(text, options: .init(rejectDuplicateKeys: true))
        } catch {
            throw PatternError(path: "", reason: "pattern is not valid JSON: \(error)")
        }
        try self.init(json: json)
    }

    /// Validates a pattern given as a JSON value.
    /// - Throws: ``PatternError`` naming the path inside the pattern and the reason.
    public init(json: JSONValue) throws(PatternError) {
        guard case .object(let root) = json else {
            throw PatternError(path: "", reason: "a pattern must be a JSON object")
        }
        var conditions: [FieldCondition] = []
        func walk(_ object: JSONObject, _ prefix: [String]) throws(PatternError) {
            for m in object.members {
                let path = prefix + m.key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                switch m.value {
                case .object(let inner): try walk(inner, path)
                case .array(let values):
                    var matchers: [ValueMatcher] = []
                    for v in values {
                        switch v {
                        case .string(let s): matchers.append(.exactString(s))
                        case .number(let n): matchers.append(.exactNumber(n.double))
                        case .bool(let b): matchers.append(.exactBool(b))
                        case .null: matchers.append(.exactNull)
                        default: throw PatternError(path: path.joined(separator: "."), reason: "unsupported matcher (stub)")
                        }
                    }
                    conditions.append(FieldCondition(path: path, matchers: matchers))
                default:
                    throw PatternError(path: path.joined(separator: "."), reason: "a leaf must be an array")
                }
            }
        }
        try walk(root, [])
        self.alternatives = [PatternAlternative(conditions: conditions)]
    }

    /// Reference matcher: evaluates this pattern against a parsed event, honouring array
    /// consistency (fields of objects inside one array element never combine with fields of
    /// another element). The compiled ``RuleMatcher`` must agree with it on every input.
    public func matches(_ event: JSONValue) -> Bool {
        alternatives.contains { alt in
            alt.conditions.allSatisfy { cond in
                var values: [JSONValue] = [event]
                for seg in cond.path {
                    values = values.flatMap { v -> [JSONValue] in
                        guard let next = v[seg] else { return [] }
                        if case .array(let a) = next { return a }
                        return [next]
                    }
                }
                return values.contains { v in cond.matchers.contains { $0.matches(v) } }
            }
        }
    }
}

/// One conjunction of field conditions: matches when every condition holds.
public struct PatternAlternative: Sendable, Hashable {
    /// Conditions, sorted by path.
    public var conditions: [FieldCondition]
    public init(conditions: [FieldCondition]) { self.conditions = conditions }
}

/// A condition on one leaf path: holds when any of its matchers accepts the field's value
/// (or, for an array, any element of it).
public struct FieldCondition: Sendable, Hashable {
    /// Path segments from the event root, e.g. `["detail", "status"]`.
    public var path: [String]
    /// Alternatives for the value; at least one.
    public var matchers: [ValueMatcher]
    public init(path: [String], matchers: [ValueMatcher]) {
        self.path = path
        self.matchers = matchers
    }
}

/// A test on one leaf value of an event (string, number, boolean or null; arrays are
/// searched element by element by the caller).
public enum ValueMatcher: Sendable, Hashable {
    /// `"x"`: the value is the string x.
    case exactString(String)
    /// `300`: the value is a number equal to this one (`300.0` matches `300`).
    case exactNumber(Double)
    /// `true` / `false`.
    case exactBool(Bool)
    /// `null`.
    case exactNull
    /// `{"prefix": "x"}`.
    case prefix(String)
    /// `{"prefix": {"equals-ignore-case": "x"}}`.
    case prefixIgnoreCase(String)
    /// `{"suffix": "x"}`.
    case suffix(String)
    /// `{"suffix": {"equals-ignore-case": "x"}}`.
    case suffixIgnoreCase(String)
    /// `{"equals-ignore-case": "x"}`.
    case equalsIgnoreCase(String)
    /// `{"wildcard": "a*b"}`.
    case wildcard(String)
    /// `{"numeric": [">", 0, "<=", 5]}` or `{"numeric": ["=", 3]}`.
    case numeric(NumericRange)
    /// `{"exists": true|false}` (decided by the caller from presence of the path).
    case exists(Bool)
    /// `{"cidr": "10.0.0.0/24"}`.
    case cidr(CIDRBlock)
    /// `{"anything-but": …}`.
    case anythingBut(AnythingBut)

    /// Whether this matcher accepts the leaf `value`. (Stub: exact values only.)
    public func matches(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.exactString(let s), .string(let v)): return s == v
        case (.exactNumber(let n), .number(let v)): return n == v.double
        case (.exactBool(let b), .bool(let v)): return b == v
        case (.exactNull, .null): return true
        default: return false
        }
    }
}

/// A numeric interval; `nil` bounds are open-ended. `["=", x]` is `[x, x]`, both inclusive.
public struct NumericRange: Sendable, Hashable {
    public var lower: Double?
    public var lowerInclusive: Bool
    public var upper: Double?
    public var upperInclusive: Bool
    public init(lower: Double?, lowerInclusive: Bool, upper: Double?, upperInclusive: Bool) {
        self.lower = lower
        self.lowerInclusive = lowerInclusive
        self.upper = upper
        self.upperInclusive = upperInclusive
    }
}

/// An IPv4 or IPv6 network: the address bytes (4 or 16) and the prefix length.
public struct CIDRBlock: Sendable, Hashable {
    public var address: [UInt8]
    public var prefixLength: Int
    public init(address: [UInt8], prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }
}

/// The forms of `anything-but`: the value must be present and match none of these.
public enum AnythingBut: Sendable, Hashable {
    /// `{"anything-but": ["a", 1]}` or a single value.
    case values(strings: [String], numbers: [Double])
    /// `{"anything-but": {"prefix": "x"}}` (one or more prefixes).
    case prefixes([String])
    /// `{"anything-but": {"suffix": "x"}}`.
    case suffixes([String])
    /// `{"anything-but": {"wildcard": "x*"}}` or a list.
    case wildcards([String])
    /// `{"anything-but": {"equals-ignore-case": "x"}}` or a list.
    case equalsIgnoreCase([String])
}

/// An invalid event pattern, as EventBridge's `InvalidEventPatternException` reports it.
public struct PatternError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Dotted path inside the pattern where the problem is (empty for the root).
    public var path: String
    /// What is wrong and what to change.
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String {
        path.isEmpty ? "InvalidEventPatternException: \(reason)" : "InvalidEventPatternException: at \(path): \(reason)"
    }
}
