/// A subscription's filter policy: which published messages it receives.
///
/// A policy is compiled by the event-pattern engine (``EventPattern``), which SNS filter
/// policies share their operators with (exact, `prefix`, `anything-but`, `numeric`, `cidr`,
/// `exists`, `$or`); matching uses its reference matcher (a compiled matcher could replace it). The
/// SNS-specific rules live here: at most 5 keys, at most 150 value combinations, no nesting in
/// `MessageAttributes` scope, and attribute types (``TopicMessageAttribute/filterValue``).
public struct SubscriptionFilterPolicy: Sendable, Hashable {
    /// What the policy looks at.
    public enum Scope: String, Sendable, Hashable {
        /// The message attributes, as `{name: value}` (the default).
        case messageAttributes = "MessageAttributes"
        /// The message body, parsed as JSON (nesting allowed).
        case messageBody = "MessageBody"
    }

    /// The policy as written.
    public var json: JSONValue
    /// Attributes or body.
    public var scope: Scope
    /// The compiled pattern.
    public var pattern: EventPattern

    /// SNS's limits.
    public static let maximumKeys = 5
    public static let maximumCombinations = 150

    /// Validates and compiles a policy.
    /// - Throws: `InvalidParameterException` naming the limit or the pattern error.
    public init(json: JSONValue, scope: Scope = .messageAttributes, at: String = "FilterPolicy") throws(TopicError) {
        guard let object = json.objectValue, !object.isEmpty else {
            throw .invalid("\(at): a filter policy must be a non-empty JSON object like {\"color\": [\"red\"]}")
        }
        if scope == .messageAttributes {
            for m in object.members where m.key != "$or" && m.value.objectValue != nil {
                throw .invalid("\(at): filter policy scope MessageAttributes does not support nested filter policy (key '\(m.key)'); flatten it or set FilterPolicyScope to MessageBody")
            }
        }
        var leaves = Set<String>()
        let combinations = Self.combinations(object, prefix: "", leaves: &leaves)
        guard leaves.count <= Self.maximumKeys else {
            throw .invalid("\(at): a filter policy may have at most 5 keys, this one has \(leaves.count) (\(leaves.sorted().joined(separator: ", "))); drop some or split the subscription")
        }
        guard combinations <= Self.maximumCombinations else {
            throw .invalid("\(at): a filter policy may have at most 150 combinations of values, this one has \(combinations); use fewer values or a prefix/numeric range")
        }
        do {
            pattern = try EventPattern(json: scope == .messageAttributes ? Self.escapingDots(json) : json)
        } catch {
            throw .invalid("\(at): \(error)")
        }
        self.json = json
        self.scope = scope
    }

    /// Attribute names are flat and may contain dots (`order.kind`); the pattern engine reads a
    /// dot as nesting, so attribute-scope keys (and the document's names) swap `.` for U+0001.
    private static func escapingDots(_ policy: JSONValue) -> JSONValue {
        guard let object = policy.objectValue else { return policy }
        return .object(JSONObject(object.members.map { m in
            if m.key == "$or", let alternatives = m.value.arrayValue {
                return JSONObject.Member(key: m.key, value: .array(alternatives.map(escapingDots)))
            }
            return JSONObject.Member(key: escapeDots(m.key), value: m.value)
        }))
    }

    private static func escapeDots(_ name: String) -> String {
        name.contains(".") ? String(name.map { $0 == "." ? "\u{1}" : $0 }) : name
    }

    private static func combinations(_ object: JSONObject, prefix: String, leaves: inout Set<String>) -> Int {
        var total = 1
        for m in object.members {
            let path = prefix.isEmpty ? m.key : prefix + "." + m.key
            switch m.value {
            case .array(let values) where m.key == "$or":
                total = total.multipliedReportingOverflow(by: values.reduce(0) { n, alt in
                    n + (alt.objectValue.map { combinations($0, prefix: prefix, leaves: &leaves) } ?? 1)
                }).partialValue
            case .array(let values):
                leaves.insert(path)
                total = total.multipliedReportingOverflow(by: max(values.count, 1)).partialValue
            case .object(let inner):
                total = total.multipliedReportingOverflow(by: combinations(inner, prefix: path, leaves: &leaves)).partialValue
            default:
                leaves.insert(path)
            }
        }
        return total
    }

    /// The document the policy is matched against: `{name: value}` of the attributes
    /// (`String` → string, `Number` → number, `String.Array` → array; `Binary` is not filterable),
    /// or the body parsed as JSON (`nil` when the body is not a JSON object: no match).
    public func document(message: String, attributes: [String: TopicMessageAttribute]) -> JSONValue? {
        switch scope {
        case .messageAttributes:
            let members = attributes.keys.sorted().compactMap { name in
                attributes[name]?.filterValue.map { JSONObject.Member(key: Self.escapeDots(name), value: $0) }
            }
            return .object(JSONObject(members))
        case .messageBody:
            guard let body = try? JSONParser.parse(message), body.objectValue != nil else { return nil }
            return body
        }
    }

    /// Whether a published message passes the policy.
    public func matches(message: String, attributes: [String: TopicMessageAttribute]) -> Bool {
        guard let document = document(message: message, attributes: attributes) else { return false }
        return pattern.matches(document)
    }
}
