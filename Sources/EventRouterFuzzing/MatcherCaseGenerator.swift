import EventRouter

/// Random event patterns and events for the differential test of the compiled matcher: value
/// matchers of every kind over a small vocabulary (so that many pairs match), and field names
/// of every awkward shape — empty, dotted, non-ASCII and canonically equivalent, escaped,
/// every length around the 8-byte word, deep nesting, arrays of objects.
public struct MatcherCaseGenerator: Sendable {
    /// Field names as written in JSON text (escapes allowed).
    public var keys: [String]
    /// Extra keys events use (fields no pattern names, padding after a key).
    public var eventOnlyKeys: [String]
    /// Deepest object nesting of patterns and of events.
    public var patternDepth: Int
    public var eventDepth: Int

    /// The vocabulary of the original differential test: few keys, so that most pairs interact.
    public static let classic = MatcherCaseGenerator(
        keys: ["a", "b", "c", "a.b", "b.c", "\\u0061"], eventOnlyKeys: ["z"], patternDepth: 2, eventDepth: 3)

    /// Every key shape of issue 10 item 1.
    public static let keyShapes = MatcherCaseGenerator(
        keys: ["a", "b", "", "a.b", ".", "a.", ".b", "é", "e\\u0301", "\\u00e9", "ä", "a.ä", "ä.b", "\u{212A}", "K",
               "a.\u{301}b", "\\u0061", "\\u002e", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghijklmno", "abcdefghijklmnop",
               "abcdefghijklmnopq", "abcdef\u{E9}", "abcdefg\u{E9}", "abcdefgh.b", "a.abcdefgh", "a\\\"b", "k\\n"],
        eventOnlyKeys: ["z", "padding", "xxxxxxxxxxxxxxxx", "pad.x", "ö"], patternDepth: 4, eventDepth: 4)

    public init(keys: [String], eventOnlyKeys: [String], patternDepth: Int, eventDepth: Int) {
        self.keys = keys
        self.eventOnlyKeys = eventOnlyKeys
        self.patternDepth = patternDepth
        self.eventDepth = eventDepth
    }

    /// The same generator over `count` of its keys chosen at random (fewer keys: more of the
    /// random patterns and events meet).
    public func narrowed(to count: Int, _ g: inout SeededGenerator) -> MatcherCaseGenerator {
        var pool = keys
        var chosen: [String] = []
        while chosen.count < count && !pool.isEmpty { chosen.append(pool.remove(at: Int(g.next() % UInt64(pool.count)))) }
        var copy = self
        copy.keys = chosen
        return copy
    }

    static let strings = ["x", "y", "xy", "Xy", "ab", "aB", "xay", "", "é", "É", "e\\u0301", "10.1.2.3", "x\\u0079", "abcdefghi"]
    static let numbers = ["0", "1", "1.5", "-3", "300", "3e2", "2.0000001", "5000000001", "-0"]

    static func pick<T>(_ list: [T], _ g: inout SeededGenerator) -> T { list[Int(g.next() % UInt64(list.count))] }
    static func chance(_ percent: UInt64, _ g: inout SeededGenerator) -> Bool { g.next() % 100 < percent }

    /// The text of one value matcher.
    public func matcherText(_ g: inout SeededGenerator) -> String {
        let s = Self.pick(Self.strings, &g)
        let n = Self.pick(Self.numbers, &g)
        switch g.next() % 17 {
        case 0: return "\"\(s)\""
        case 1: return n
        case 2: return Self.pick(["true", "false", "null"], &g)
        case 3: return #"{"prefix": "\#(Self.pick(["x", "a", "", "é"], &g))"}"#
        case 4: return #"{"suffix": "\#(Self.pick(["y", "B", "É"], &g))"}"#
        case 5: return #"{"equals-ignore-case": "\#(Self.pick(["XY", "ab", "é"], &g))"}"#
        case 6: return #"{"prefix": {"equals-ignore-case": "\#(Self.pick(["X", "A", "É"], &g))"}}"#
        case 7: return #"{"suffix": {"equals-ignore-case": "\#(Self.pick(["Y", "b"], &g))"}}"#
        case 8: return #"{"wildcard": "\#(Self.pick(["x*y", "*a*", "x*", "a*B", "*\\\\**"], &g))"}"#
        case 9: return #"{"numeric": \#(Self.pick([#"[">", 0, "<=", 2]"#, #"["=", 300]"#, #"["<", 0]"#, #"[">=", 1.5]"#], &g))}"#
        case 10, 11: return #"{"exists": \#(Self.chance(50, &g))}"#
        case 12: return #"{"anything-but": \#(Self.pick([#"["x"]"#, #"[1, 300]"#, #""xy""#, "0"], &g))}"#
        case 13: return #"{"anything-but": {"prefix": "\#(Self.pick(["x", "a"], &g))"}}"#
        case 14: return #"{"anything-but": {"equals-ignore-case": ["XY", "é"]}}"#
        case 15: return #"{"cidr": "10.0.0.0/8"}"#
        default: return #"{"anything-but": {"wildcard": "x*"}}"#
        }
    }

    /// The members of a pattern object (without braces).
    public func patternFields(_ g: inout SeededGenerator, depth: Int) -> String {
        var parts: [String] = []
        var used = Set<String>()
        for _ in 0..<(1 + Int(g.next() % 2)) {
            let key = Self.pick(keys, &g)
            guard used.insert(key).inserted else { continue }
            if depth < patternDepth, Self.chance(40, &g) {
                parts.append("\"\(key)\": {\(patternFields(&g, depth: depth + 1))}")
            } else {
                var ms: [String] = [matcherText(&g)]
                if Self.chance(25, &g) { ms.append(matcherText(&g)) }
                parts.append("\"\(key)\": [\(ms.joined(separator: ", "))]")
            }
        }
        if depth == 0, Self.chance(10, &g) {
            parts.append(#""$or": [{\#(patternFields(&g, depth: 1))}, {\#(patternFields(&g, depth: 1))}]"#)
        }
        return parts.joined(separator: ", ")
    }

    /// `count` valid patterns (texts that do not compile, e.g. with a repeated key, are skipped).
    public func patterns(_ count: Int, _ g: inout SeededGenerator) -> [(text: String, pattern: EventPattern)] {
        var result: [(text: String, pattern: EventPattern)] = []
        while result.count < count {
            let text = "{\(patternFields(&g, depth: 0))}"
            if let p = try? EventPattern(parsing: text) { result.append((text, p)) }
        }
        return result
    }

    /// One event value at `depth`.
    public func eventValue(_ g: inout SeededGenerator, depth: Int) -> String {
        switch g.next() % (depth >= eventDepth ? 5 : 9) {
        case 0, 1: return "\"\(Self.pick(Self.strings, &g))\""
        case 2: return Self.pick(Self.numbers, &g)
        case 3: return Self.pick(["true", "false", "null"], &g)
        case 4: return Self.pick(["[]", "{}", "\"\"", "0"], &g)
        case 5: return event(&g, depth: depth + 1)
        case 6:  // an array of objects: where array consistency matters
            let n = Int(g.next() % 3) + 1
            return "[" + (0..<n).map { _ in event(&g, depth: depth + 1) }.joined(separator: ",") + "]"
        default:
            let n = Int(g.next() % 3) + 1
            return "[" + (0..<n).map { _ in eventValue(&g, depth: depth + 1) }.joined(separator: ",") + "]"
        }
    }

    /// One event object at `depth` (0: the whole event); compact or spaced at random.
    public func event(_ g: inout SeededGenerator, depth: Int = 0) -> String {
        let n = Int(g.next() % 5)
        var members: [String] = []
        let space = Self.chance(30, &g) ? " " : ""
        for _ in 0..<n {
            let key = Self.chance(85, &g) ? Self.pick(keys, &g) : Self.pick(eventOnlyKeys, &g)
            members.append("\"\(key)\":\(space)\(eventValue(&g, depth: depth))")
        }
        return "{" + members.joined(separator: ",\(space)") + "}"
    }
}
