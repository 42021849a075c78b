/// A validated SNS subscription filter policy, compiled to an ``EventPattern``.
///
/// Validation follows SNS (see ``FilterPolicyCompiler``); matching reuses the pattern engine's
/// ``ValueMatcher``s, so the operators behave as in event patterns, with SNS's differences:
///
/// **Attribute scope** (``FilterPolicyScope/messageAttributes``): each policy key names a
/// message attribute.
/// - `String` attributes are strings, `Number` attributes numbers: string matchers (exact
///   string, `prefix`, `suffix`, `equals-ignore-case`, `cidr`, string `anything-but`) never match a
///   `Number` attribute, and `numeric`/number literals never match a `String` attribute.
/// - `String.Array` attributes hold a JSON array; the key matches when any element matches
///   (strings, numbers, `true`/`false`/`null` elements; nested arrays/objects are ignored).
/// - `Binary` attributes are ignored, as if absent.
/// - A key whose attribute is absent matches only `{"exists": false}`; `{"exists": true}` holds
///   whenever the attribute is present (even a `String.Array` of `[]`).
///
/// **Body scope** (``FilterPolicyScope/messageBody``): the body must be JSON; the policy is
/// matched like an event pattern (nesting, arrays searched element by element). A body that
/// is not JSON matches no policy.
///
/// An empty policy `{}` matches every message.
public struct FilterPolicy: Sendable, Hashable {
    /// SNS's limit on keys (see ``FilterPolicyCompiler`` for how they are counted).
    public static let maximumKeys = 5
    /// SNS's limit on value combinations.
    public static let maximumCombinations = 150
    /// SNS's limit on the policy's size in bytes (256 KB).
    public static let maximumSize = 256 * 1024

    /// The policy as written.
    public let json: JSONValue
    /// What the policy is matched against.
    public let scope: FilterPolicyScope
    /// The compiled pattern (`nil` for the empty policy, which matches everything).
    public let pattern: EventPattern?
    /// Keys as SNS counts them.
    public let keyCount: Int
    /// Value combinations as SNS counts them.
    public let combinations: Int

    /// Parses policy text (as `Subscribe`'s `FilterPolicy` attribute carries it).
    /// - Throws: ``TopicError`` `InvalidParameter` naming the key and what to change.
    public init(text: String, scope: FilterPolicyScope = .messageAttributes) throws(TopicError) {
        guard text.utf8.count <= Self.maximumSize else {
            throw TopicError.filterPolicy("Filter policy is too large: \(text.utf8.count) bytes, at most \(Self.maximumSize) (256 KB): shorten it.")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw TopicError.filterPolicy("Filter policy is not valid JSON (\(error)): write a JSON object such as {\"store\": [\"example_corp\"]}.")
        }
        try self.init(json: value, scope: scope)
    }

    /// Validates a policy given as JSON.
    /// - Throws: ``TopicError`` `InvalidParameter` naming the key and what to change.
    public init(json: JSONValue, scope: FilterPolicyScope = .messageAttributes) throws(TopicError) {
        guard case .object(let object) = json else {
            throw TopicError.filterPolicy("Filter policy must be a JSON object, not \(json.kindName): write {\"KEY\": [\"value\"]}.")
        }
        let size = json.jsonText.utf8.count
        guard size <= Self.maximumSize else {
            throw TopicError.filterPolicy("Filter policy is too large: \(size) bytes, at most \(Self.maximumSize) (256 KB): shorten it.")
        }
        let result = try FilterPolicyCompiler(scope: scope).compile(object)
        if result.keys > Self.maximumKeys {
            let names = object.keys.filter { $0 != "$or" }.joined(separator: ", ")
            throw TopicError.filterPolicy("Filter policy can not have more than \(Self.maximumKeys) keys (it has \(result.keys)\(names.isEmpty ? "" : ": " + names)): split it over several subscriptions or move keys into $or branches.")
        }
        if result.combinations > Self.maximumCombinations {
            throw TopicError.filterPolicy("Filter policy is too complex: \(result.combinations) combinations, at most \(Self.maximumCombinations) (the product of the number of values of each key, times its nesting depth, summed over $or branches): list fewer values or use prefix/anything-but/numeric ranges.")
        }
        self.json = json
        self.scope = scope
        self.keyCount = result.keys
        self.combinations = result.combinations
        if object.isEmpty {
            pattern = nil
        } else {
            do {
                pattern = try EventPattern(json: result.pattern)
            } catch {
                let at = error.path.isEmpty ? "" : " (at \(error.path))"
                throw TopicError.filterPolicy("\(error.reason)\(at).")
            }
        }
    }

    /// Whether a message with these attributes passes the policy (attribute scope).
    public func matches(attributes: [String: MessageAttributeValue]) -> Bool {
        matches(attributeLeaves: FilterPolicy.leaves(of: attributes))
    }

    /// Attribute scope on pre-converted attributes (see ``leaves(of:)``), so that one publish
    /// converts its attributes once for all subscriptions.
    public func matches(attributeLeaves leaves: [String: [JSONValue]]) -> Bool {
        guard let pattern else { return true }
        for alternative in pattern.alternatives where holds(alternative, leaves) { return true }
        return false
    }

    /// Whether a body passes the policy (body scope). A body that is not JSON never matches.
    public func matches(body: String) -> Bool {
        guard let pattern else { return true }
        guard let value = try? JSONParser.parse(body) else { return false }
        return pattern.matches(value)
    }

    /// Body scope on an already parsed body (`nil`: the body was not JSON).
    public func matches(bodyJSON: JSONValue?) -> Bool {
        guard let pattern else { return true }
        guard let bodyJSON else { return false }
        return pattern.matches(bodyJSON)
    }

    private func holds(_ alternative: PatternAlternative, _ leaves: [String: [JSONValue]]) -> Bool {
        for condition in alternative.conditions {
            let values = leaves[condition.pathKey]
            var ok = false
            for matcher in condition.matchers {
                if case .exists(let wanted) = matcher {
                    if (values != nil) == wanted { ok = true; break }
                    continue
                }
                guard let values else { continue }
                if values.contains(where: { matcher.matches($0) }) { ok = true; break }
            }
            if !ok { return false }
        }
        return true
    }

    /// The values a policy compares for each attribute: `String` → a string, `Number` → a
    /// number, `String.Array` → its scalar elements; `Binary` (and unparsable values) are left out.
    public static func leaves(of attributes: [String: MessageAttributeValue]) -> [String: [JSONValue]] {
        var out: [String: [JSONValue]] = [:]
        for (name, attribute) in attributes {
            guard let text = attribute.stringValue else { continue }
            switch attribute.dataType {
            case "String.Array":
                guard case .array(let items)? = try? JSONParser.parse(text) else { continue }
                out[name] = items.filter { $0.arrayValue == nil && $0.objectValue == nil }
            default:
                switch attribute.baseType {
                case "String": out[name] = [.string(text)]
                case "Number":
                    if let n = TopicMessage.number(text) { out[name] = [.number(n)] }
                default: continue
                }
            }
        }
        return out
    }
}
