import Testing
@testable import EventRouter

/// Table tests of ``RuleMatcher``: each row is a pattern, an event and whether it matches;
/// every row is also checked against the reference matcher.
@Suite("Matching: RuleMatcher tables")
struct MatchingRuleMatcherTests {
    struct Row: CustomTestStringConvertible, Sendable {
        let pattern: String
        let event: String
        let match: Bool
        var testDescription: String { "\(pattern) ~ \(event)" }
    }

    /// The error matching `bytes` throws, or `nil` when it matches.
    static func failure(_ matcher: inout RuleMatcher, _ bytes: [UInt8]) -> EventMatchError? {
        var ids: [Int] = [42]
        do {
            try matcher.matches(eventUTF8: bytes, into: &ids)
            return nil
        } catch {
            return error
        }
    }

    static func check(_ row: Row) throws {
        let pattern = try EventPattern(parsing: row.pattern)
        var matcher = RuleMatcher()
        matcher.add(pattern, id: 7)
        let ids = try matcher.matches(eventText: row.event)
        #expect(ids == (row.match ? [7] : []))
        #expect(pattern.matches(try JSONParser.parse(row.event)) == row.match, "reference disagrees with the table")
    }

    static let arrays: [Row] = [
        Row(pattern: #"{"a": {"b": ["1"], "c": ["2"]}}"#, event: #"{"a": [{"b": "1", "c": "2"}]}"#, match: true),
        Row(pattern: #"{"a": {"b": ["1"], "c": ["2"]}}"#, event: #"{"a": [{"b": "1"}, {"c": "2"}]}"#, match: false),
        Row(pattern: #"{"a": {"b": ["1"], "c": ["2"]}}"#, event: #"{"a": [{"b": "1"}, {"b": "1", "c": "2"}]}"#, match: true),
        Row(pattern: #"{"a": {"b": ["1"]}, "d": ["x"]}"#, event: #"{"a": [{"b": "0"}, {"b": "1"}], "d": ["y", "x"]}"#, match: true),
        Row(pattern: #"{"a": {"b": {"c": ["1"]}, "d": ["2"]}}"#, event: #"{"a": [{"b": [{"c": "1"}], "d": "2"}]}"#, match: true),
        Row(pattern: #"{"a": {"b": {"c": ["1"]}, "d": ["2"]}}"#, event: #"{"a": [{"b": [{"c": "1"}]}, {"d": "2"}]}"#, match: false),
        Row(pattern: #"{"a": [1]}"#, event: #"{"a": [[0, 1], 2]}"#, match: true),
        Row(pattern: #"{"a": [3]}"#, event: #"{"a": []}"#, match: false),
    ]

    static let existence: [Row] = [
        Row(pattern: #"{"a": [{"exists": true}]}"#, event: #"{"a": null}"#, match: true),
        Row(pattern: #"{"a": [{"exists": true}]}"#, event: #"{"a": []}"#, match: false),
        Row(pattern: #"{"a": [{"exists": true}]}"#, event: #"{"a": {"b": 1}}"#, match: false),
        Row(pattern: #"{"a": [{"exists": false}]}"#, event: #"{"a": {"b": 1}}"#, match: true),
        Row(pattern: #"{"a": [{"exists": false}]}"#, event: #"{"b": 1}"#, match: true),
        Row(pattern: #"{"a": [{"exists": false}]}"#, event: #"{"a": 0}"#, match: false),
        Row(pattern: #"{"a": [{"exists": false}]}"#, event: #"[1, 2]"#, match: true),
        Row(pattern: #"{"x": {"a": ["1"], "b": [{"exists": false}]}}"#, event: #"{"x": [{"a": "1"}, {"b": 2}]}"#, match: true),
        Row(pattern: #"{"x": {"a": ["1"], "b": [{"exists": false}]}}"#, event: #"{"x": [{"a": "1", "b": 2}]}"#, match: false),
        Row(pattern: #"{"a": [null]}"#, event: #"{"a": []}"#, match: false),
        Row(pattern: #"{"a": [null]}"#, event: #"{"a": null}"#, match: true),
    ]

    static let anythingBut: [Row] = [
        Row(pattern: #"{"a": [{"anything-but": ["x"]}]}"#, event: #"{"b": "y"}"#, match: false),
        Row(pattern: #"{"a": [{"anything-but": ["x"]}]}"#, event: #"{"a": null}"#, match: true),
        Row(pattern: #"{"a": [{"anything-but": ["x"]}]}"#, event: #"{"a": "x"}"#, match: false),
        Row(pattern: #"{"a": [{"anything-but": ["x"]}]}"#, event: #"{"a": ["x", "y"]}"#, match: true),
        Row(pattern: #"{"a": [{"anything-but": ["x"]}]}"#, event: #"{"a": 5}"#, match: true),
        Row(pattern: #"{"a": [{"anything-but": [5]}]}"#, event: #"{"a": 5.0}"#, match: false),
        Row(pattern: #"{"a": [{"anything-but": {"prefix": "x"}}]}"#, event: #"{"a": "xy"}"#, match: false),
        Row(pattern: #"{"a": [{"anything-but": {"equals-ignore-case": ["X"]}}]}"#, event: #"{"a": "x"}"#, match: false),
    ]

    static let numbers: [Row] = [
        Row(pattern: #"{"n": [{"numeric": [">", 0, "<=", 5]}]}"#, event: #"{"n": 0}"#, match: false),
        Row(pattern: #"{"n": [{"numeric": [">", 0, "<=", 5]}]}"#, event: #"{"n": 5}"#, match: true),
        Row(pattern: #"{"n": [{"numeric": [">", 0, "<=", 5]}]}"#, event: #"{"n": 5.000001}"#, match: false),
        Row(pattern: #"{"n": [{"numeric": [">=", 0, "<", 5]}]}"#, event: #"{"n": 0e3}"#, match: true),
        Row(pattern: #"{"n": [{"numeric": ["=", 300]}]}"#, event: #"{"n": 3e2}"#, match: true),
        Row(pattern: #"{"n": [{"numeric": [">", 0]}]}"#, event: #"{"n": 5000000001}"#, match: false),
        Row(pattern: #"{"n": [{"numeric": [">", 0]}]}"#, event: #"{"n": "5"}"#, match: false),
        Row(pattern: #"{"n": [300]}"#, event: #"{"n": 300.0}"#, match: true),
        Row(pattern: #"{"n": ["300"]}"#, event: #"{"n": 300}"#, match: false),
        Row(pattern: #"{"n": [-122.42916360922355]}"#, event: #"{"n": -122.42916360922355}"#, match: true),
    ]

    static let text: [Row] = [
        Row(pattern: #"{"a": {"b": ["1"]}}"#, event: #"{"a.b": "1"}"#, match: true),
        Row(pattern: #"{"a.b": ["1"]}"#, event: #"{"a": {"b": "1"}}"#, match: true),
        Row(pattern: #"{"a": ["x"]}"#, event: #"{"a": "\u0078"}"#, match: true),
        Row(pattern: #"{"a": ["x"]}"#, event: #"{"\u0061": "x"}"#, match: true),
        Row(pattern: #"{"a": ["x"]}"#, event: #"{"a": "x", "a": "y"}"#, match: false),
        Row(pattern: #"{"a": ["y"]}"#, event: #"{"a": "x", "a": "y"}"#, match: true),
        Row(pattern: #"{"a": [{"equals-ignore-case": "ÉCOLE"}]}"#, event: #"{"a": "école"}"#, match: true),
        Row(pattern: #"{"a": [{"prefix": {"equals-ignore-case": "AB"}}]}"#, event: #"{"a": "aBc"}"#, match: true),
        Row(pattern: #"{"a": [{"wildcard": "a*b*c"}]}"#, event: #"{"a": "aXbYc"}"#, match: true),
        Row(pattern: #"{"a": [{"wildcard": "a*b\\*c"}]}"#, event: #"{"a": "aXb*c"}"#, match: true),
        Row(pattern: #"{"a": [{"cidr": "10.0.0.0/8"}]}"#, event: #"{"a": "10.1.2.3"}"#, match: true),
        Row(pattern: #"{"a": ["é"]}"#, event: #"{"a": "e\u0301"}"#, match: false),
        Row(pattern: #"{"a": [""]}"#, event: #"{"a": ""}"#, match: true),
        Row(pattern: #"{"a": [{"anything-but": [""]}]}"#, event: #"{"a": ""}"#, match: false),
        Row(pattern: #"{"a": [{"anything-but": [""]}]}"#, event: #"{"a": "x"}"#, match: true),
        Row(pattern: #"{"a": [{"prefix": ""}]}"#, event: #"{"a": ""}"#, match: true),
        Row(pattern: #"{"a": [{"suffix": ""}]}"#, event: #"{"a": "x"}"#, match: true),
        Row(pattern: #"{"a": [{"equals-ignore-case": ""}]}"#, event: #"{"a": ""}"#, match: true),
        Row(pattern: #"{"": ["x"]}"#, event: #"{"": "x"}"#, match: true),
    ]

    @Test("array consistency", arguments: arrays) func arrayRows(_ row: Row) throws { try Self.check(row) }
    @Test("exists and null", arguments: existence) func existsRows(_ row: Row) throws { try Self.check(row) }
    @Test("anything-but", arguments: anythingBut) func anythingButRows(_ row: Row) throws { try Self.check(row) }
    @Test("numbers and numeric boundaries", arguments: numbers) func numberRows(_ row: Row) throws { try Self.check(row) }
    @Test("keys, escapes, case and wildcards", arguments: text) func textRows(_ row: Row) throws { try Self.check(row) }

    @Test("rules are added, replaced and removed at run time")
    func addRemove() throws {
        var matcher = RuleMatcher()
        let shop = try EventPattern(parsing: #"{"source": ["shop"]}"#)
        let any = try EventPattern(parsing: #"{"source": [{"prefix": "s"}]}"#)
        let event = #"{"source": "shop"}"#
        #expect(try matcher.matches(eventText: event) == [])
        matcher.add(shop, id: 3)
        matcher.add(shop, id: 1)
        #expect(try matcher.matches(eventText: event) == [1, 3])
        matcher.add(any, id: 2)
        #expect(try matcher.matches(eventText: event) == [1, 2, 3])
        let removed = matcher.remove(id: 3)
        let removedAgain = matcher.remove(id: 3)
        #expect(removed && !removedAgain)
        #expect(try matcher.matches(eventText: event) == [1, 2])
        matcher.add(try EventPattern(parsing: #"{"source": ["other"]}"#), id: 1)
        #expect(try matcher.matches(eventText: event) == [2])
        #expect(matcher.count == 2)
        #expect(matcher.ids == [1, 2])
        #expect(matcher.matches(try JSONParser.parse(event)) == [2])
    }

    @Test("a rule with $or matches once")
    func orOnce() throws {
        var matcher = RuleMatcher()
        matcher.add(try EventPattern(parsing: #"{"$or": [{"a": ["1"]}, {"b": ["2"]}]}"#), id: 5)
        #expect(try matcher.matches(eventText: #"{"a": "1", "b": "2"}"#) == [5])
    }

    @Test("malformed events are errors with the parser's offset and reason", arguments: [
        (#"{"a": }"#, "the event is not valid JSON: invalid JSON at byte 6: expected a JSON value, found '}'"),
        (#"{"a": 1"#, "the event is not valid JSON: invalid JSON at byte 7: expected ',' or '}' after an object member, found end of input"),
        ("", "the event is not valid JSON: invalid JSON at byte 0: expected a JSON value, found end of input"),
        (#"{"z": [1,]}"#, "the event is not valid JSON: invalid JSON at byte 9: expected a JSON value, found ']'"),
        (#"{"a": "x"} x"#, "the event is not valid JSON: invalid JSON at byte 11: expected end of input after the JSON value, found 'x'"),
    ])
    func malformed(_ text: String, _ message: String) throws {
        var matcher = RuleMatcher()
        matcher.add(try EventPattern(parsing: #"{"a": [{"exists": false}]}"#), id: 0)
        let error = try #require(Self.failure(&matcher, Array(text.utf8)))
        #expect(error.description == message)
    }

    @Test("skipped subtrees are validated too", arguments: [
        #"{"z": {"q": tru}}"#, #"{"z": "\x"}"#, #"{"z": [01]}"#, #"{"z": "\ud800"}"#, "{\"z\": \"\u{01}\"}",
    ])
    func malformedSkipped(_ text: String) throws {
        var matcher = RuleMatcher()
        matcher.add(try EventPattern(parsing: #"{"a": ["x"]}"#), id: 0)
        #expect(Self.failure(&matcher, Array(text.utf8)) != nil)
    }

    @Test("invalid UTF-8 and too deep nesting are errors")
    func invalidBytesAndDepth() throws {
        var matcher = RuleMatcher()
        matcher.add(try EventPattern(parsing: #"{"a": ["x"]}"#), id: 0)
        let bad: [UInt8] = Array(#"{"z": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(Self.failure(&matcher, bad)?.description == "the event is not valid JSON: invalid JSON at byte 7: string is not valid UTF-8")
        let deep = "{\"z\": " + String(repeating: "[", count: 1100) + String(repeating: "]", count: 1100) + "}"
        #expect(Self.failure(&matcher, Array(deep.utf8))?.description == "the event is not valid JSON: invalid JSON at byte 1105: nesting deeper than 1100 levels")
        let fine = "{\"z\": " + String(repeating: "[", count: 1099) + String(repeating: "]", count: 1099) + ", \"a\": \"x\"}"
        #expect(try matcher.matches(eventText: fine) == [0])
    }
}
