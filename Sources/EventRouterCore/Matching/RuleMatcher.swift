/// Many event patterns compiled into one matcher, so that matching an event costs about the
/// same for 10 rules as for 10,000.
///
/// ```swift
/// var matcher = RuleMatcher()
/// matcher.add(try EventPattern(parsing: #"{"source": ["shop"]}"#), id: 7)
/// var ids: [Int] = []
/// try matcher.matches(eventUTF8: Array(#"{"source": "shop"}"#.utf8), into: &ids)   // ids == [7]
/// ```
///
/// Events are matched straight from their UTF-8 JSON text: the reader descends only into the
/// members some rule mentions, validates the rest without building anything, and reuses its
/// buffers from event to event. The result always equals asking each pattern's reference
/// ``EventPattern/matches(_:)`` (array consistency, `exists`, `anything-but` and all).
///
/// `add` and `remove` only record the change; the next match (or ``prepare()``) recompiles
/// the whole rule set, a few milliseconds per thousand rules (10,000 rules: tens of ms). Call
/// ``prepare()`` after a batch of changes to keep that work off the first event.
///
/// Thread safety: a `Sendable` value type. Its mutating methods — matching too, since it
/// reuses internal buffers — need exclusive access: keep one per bus inside the bus's actor,
/// or give each thread its own copy (copies share the compiled rules until one changes).
public struct RuleMatcher: Sendable {
    private var rules: [Int: EventPattern] = [:]
    private var plan: MatchPlan?
    private var scratch = MatchScratch()
    /// Deepest nesting accepted in events (EventBridge: 1100).
    public var maximumDepth = 1100

    /// An empty matcher.
    public init() {}

    /// The number of rules.
    public var count: Int { rules.count }

    /// The ids of all rules, sorted.
    public var ids: [Int] { rules.keys.sorted() }

    /// Adds `pattern` under `id`, replacing the pattern that id had.
    public mutating func add(_ pattern: EventPattern, id: Int) {
        rules[id] = pattern
        plan = nil
    }

    /// Removes the rule `id`; returns whether it existed.
    @discardableResult
    public mutating func remove(id: Int) -> Bool {
        guard rules.removeValue(forKey: id) != nil else { return false }
        plan = nil
        return true
    }

    /// Compiles the rule set now (otherwise the next match does).
    public mutating func prepare() {
        if plan == nil {
            plan = MatchPlan(rules: rules.map { (id: $0.key, pattern: $0.value) })
        }
    }

    /// Replaces `ids` with the sorted ids of the rules matching the event whose JSON text is `event`.
    /// - Throws: ``EventMatchError`` when the event is not valid JSON (nothing is matched).
    public mutating func matches(eventUTF8 event: UnsafeRawBufferPointer, into ids: inout [Int]) throws(EventMatchError) {
        try matches(eventUTF8: event, envelope: false, into: &ids)
    }

    /// ``matches(eventUTF8:into:)``; with `envelope`, `event` is an ``Event/jsonText`` the router
    /// wrote (valid JSON; one object with distinct, plain top-level keys), and reading stops
    /// after the last top-level member a rule reads.
    package mutating func matches(eventUTF8 event: UnsafeRawBufferPointer, envelope: Bool, into ids: inout [Int]) throws(EventMatchError) {
        prepare()
        guard let plan else { return }
        if !isKnownUniquelyReferenced(&scratch) { scratch = MatchScratch() }
        ids.removeAll(keepingCapacity: true)
        let s = scratch
        let tables = plan.tables
        s.begin(paths: tables.paths.count, alternatives: tables.alternatives.count, rules: tables.ruleIDs.count)
        guard let base = event.baseAddress?.assumingMemoryBound(to: UInt8.self), event.count > 0 else {
            throw RuleMatcher.explain(event, offset: 0, maximumDepth: maximumDepth)
        }
        var scanner = EventScanner(base, event.count, plan: plan, scratch: s, maximumDepth: maximumDepth, envelope: envelope)
        do {
            try scanner.run()
        } catch {
            guard error.duplicateKey else {
                throw RuleMatcher.explain(event, offset: error.offset, maximumDepth: maximumDepth)
            }
            // An object repeats a key a rule reads: the last one wins, as in the reference.
            let parsed: JSONValue
            do {
                parsed = try JSONParser.parse(bytes: event.assumingMemoryBound(to: UInt8.self), options: .init(maximumDepth: maximumDepth))
            } catch {
                throw EventMatchError(error)
            }
            var text = Array(JSONSerializer.serialize(RuleMatcher.lastKeysOnly(parsed)).utf8)
            let result: Result<Void, EventMatchError> = text.withUnsafeMutableBytes { raw in
                Result { () throws(EventMatchError) in try matches(eventUTF8: UnsafeRawBufferPointer(raw), into: &ids) }
            }
            return try result.get()
        }
        var run = MatchRun(plan: plan, scratch: s, source: base, arena: UnsafePointer(s.arena.base))
        run.collect(into: &ids)
    }

    /// Replaces `ids` with the sorted ids of the rules matching the event text `event`.
    public mutating func matches(eventUTF8 event: [UInt8], into ids: inout [Int]) throws(EventMatchError) {
        let result: Result<Void, EventMatchError> = event.withUnsafeBytes { raw in
            Result { () throws(EventMatchError) in try matches(eventUTF8: raw, into: &ids) }
        }
        try result.get()
    }

    /// The sorted ids of the rules matching the event text `event`.
    public mutating func matches(eventText event: String) throws(EventMatchError) -> [Int] {
        var ids: [Int] = []
        try matches(eventUTF8: Array(event.utf8), into: &ids)
        return ids
    }

    /// The sorted ids of the rules matching a parsed event (read back from its serialized
    /// text; an event nested deeper than ``maximumDepth`` matches nothing).
    public mutating func matches(_ event: JSONValue) -> [Int] {
        var ids: [Int] = []
        // The serializer writes valid JSON that reads back to the same value.
        try? matches(eventUTF8: Array(JSONSerializer.serialize(event).utf8), into: &ids)
        return ids
    }

    /// `value` with every object keeping only the last member of each key.
    private static func lastKeysOnly(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var last: [String: Int] = [:]
            for (i, m) in object.members.enumerated() { last[m.key] = i }
            return .object(JSONObject(object.members.enumerated().compactMap { i, m in
                last[m.key] == i ? JSONObject.Member(key: m.key, value: lastKeysOnly(m.value)) : nil
            }))
        case .array(let elements): return .array(elements.map(lastKeysOnly))
        default: return value
        }
    }

    /// The parser's description of why `event` is not valid JSON.
    private static func explain(_ event: UnsafeRawBufferPointer, offset: Int, maximumDepth: Int) -> EventMatchError {
        do {
            _ = try JSONParser.parse(bytes: event.assumingMemoryBound(to: UInt8.self), options: .init(maximumDepth: maximumDepth))
        } catch {
            return EventMatchError(error)
        }
        return EventMatchError(JSONParseError(offset: offset, reason: "the event could not be read"))
    }
}

/// An event that could not be matched because it is not valid JSON.
public struct EventMatchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where and why the JSON text is malformed.
    public var parseError: JSONParseError
    public init(_ parseError: JSONParseError) { self.parseError = parseError }
    public var description: String { "the event is not valid JSON: \(parseError)" }
}
