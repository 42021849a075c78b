/// A validated EventBridge event pattern, in disjunctive normal form.
///
/// `$or` is expanded at compile time, so a pattern is a list of ``PatternAlternative``s and
/// matches an event when any one alternative does. Each alternative is a conjunction of
/// ``FieldCondition``s on leaf paths (nested objects and dotted keys are both flattened to a
/// path of segments), each condition a disjunction of ``ValueMatcher``s.
///
/// Normal form (what ``PatternParser`` guarantees, and what a compiled matcher may rely on):
/// - at least one alternative, at most ``PatternParser/maximumCombinations``, no two equal;
/// - every alternative has at least one condition, at most one condition per path, sorted by
///   ``FieldCondition/pathKey`` (the dotted path compared by UTF-8 bytes);
/// - every condition has at least one matcher; the matchers are in pattern order, exact
///   duplicates removed;
/// - path segments never contain `.`: a pattern key `"a.b"` and nested `{"a": {"b": …}}` give the
///   same path `["a", "b"]`; when two keys give the same path in one alternative the later one
///   wins (as in event-ruler), e.g. a `$or` branch overriding a field given outside it;
/// - the normal form of each ``ValueMatcher`` case is documented on the case.
public struct EventPattern: Sendable, Hashable {
    /// The alternatives; at least one. A pattern without `$or` has exactly one.
    public var alternatives: [PatternAlternative]

    /// Wraps alternatives that are already in normal form (no validation).
    public init(alternatives: [PatternAlternative]) { self.alternatives = alternatives }

    /// Parses and validates pattern text (a key given twice in an object keeps its last value, as in AWS).
    /// - Throws: ``PatternError`` naming the path inside the pattern and the reason.
    public init(parsing text: String) throws(PatternError) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            throw PatternError(path: "", reason: "the pattern is not valid JSON: \(error)")
        }
        try self.init(json: json)
    }

    /// Validates a pattern given as a JSON value (an object holding the same key twice keeps the last value).
    /// - Throws: ``PatternError`` naming the path inside the pattern and the reason.
    public init(json: JSONValue) throws(PatternError) {
        self = try PatternParser().parse(json)
    }

    /// Reference matcher: whether this pattern matches the parsed `event`.
    ///
    /// Clear rather than fast; the compiled matcher must agree with it on every input. The rules:
    /// - The event is flattened into leaves: every string, number, boolean or `null` with its
    ///   dotted path (object keys joined by `.`, so an event key `"a.b"` and nested `a`→`b` are the
    ///   same path). Arrays add no path segment: each element is searched ("any element").
    ///   Objects and arrays themselves are not leaves; an empty array or object yields no leaf.
    ///   When an object holds the same key twice, the last one wins.
    /// - A condition holds when a leaf at its path is accepted by one of its matchers
    ///   (``ValueMatcher/matches(_:)``); `{"exists": true}` accepts any leaf, including `null`.
    /// - `{"exists": false}` holds when no leaf is at the path. A path that leads to an object or
    ///   to an empty array has no leaf, so `exists: true` is false there and `exists: false` true;
    ///   `[null]` matches a `null` leaf but not an empty array.
    /// - `anything-but` needs a leaf: it never matches an absent field or an empty array, and it
    ///   matches `null`, booleans and values of the other type (a number under a string list).
    /// - Array consistency: the leaves chosen for the conditions of one alternative must agree on
    ///   every array they share: two leaves below the same array must come from the same element.
    ///   So fields of objects inside one array element never combine with fields of another.
    /// - Conditions are taken in path order; `exists: false` is judged against the array elements
    ///   already chosen by the conditions before it (a leaf in another element of a shared array
    ///   does not count as present), as event-ruler does.
    public func matches(_ event: JSONValue) -> Bool {
        ReferenceMatcher(event: event).matches(self)
    }

    /// The indices of the `patterns` that match `event`, by the reference matcher (the event is
    /// flattened once for all of them): what differential tests compare the compiled matcher with.
    public static func referenceMatches(_ patterns: [EventPattern], _ event: JSONValue) -> [Int] {
        let reference = ReferenceMatcher(event: event)
        return patterns.indices.filter { reference.matches(patterns[$0]) }
    }
}

/// One conjunction of field conditions: matches when every condition holds.
public struct PatternAlternative: Sendable, Hashable {
    /// Conditions, one per path, sorted by ``FieldCondition/pathKey`` (UTF-8 byte order).
    public var conditions: [FieldCondition]
    /// Wraps conditions already in normal form.
    public init(conditions: [FieldCondition]) { self.conditions = conditions }
}

/// A condition on one leaf path: holds when any of its matchers accepts the field's value
/// (or, for an array, any element of it).
public struct FieldCondition: Sendable, Hashable {
    /// Path segments from the event root, e.g. `["detail", "status"]`; no segment contains `.`.
    public var path: [String]
    /// Alternatives for the value; at least one.
    public var matchers: [ValueMatcher]
    /// A condition on `path` holding when any of `matchers` accepts the value.
    public init(path: [String], matchers: [ValueMatcher]) {
        self.path = path
        self.matchers = matchers
    }

    /// The path joined with `.` (`"detail.status"`), the key conditions are sorted by.
    public var pathKey: String { path.joined(separator: ".") }
}
