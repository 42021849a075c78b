import Testing
@testable import EventRouter

/// Arrays in events, array consistency and dotted keys: (pattern, event, expected match).
@Suite struct PatternArrayTests {
    @Test(arguments: [
        (#"{"a": ["x"]}"#, #"{"a": ["w", "x"]}"#, true),
        (#"{"a": ["x"]}"#, #"{"a": ["w", "y"]}"#, false),
        (#"{"a": ["x"]}"#, #"{"a": [["w"], ["x"]]}"#, true),
        (#"{"a": [null]}"#, #"{"a": []}"#, false),
        (#"{"a": [null]}"#, #"{"a": [null]}"#, true),
        (#"{"a": {"b": ["x"]}}"#, #"{"a": [{"b": "y"}, {"b": "x"}]}"#, true),
        (#"{"a": {"b": ["x"]}}"#, #"{"a": [[{"b": "x"}]]}"#, true),
        (#"{"a": ["x"], "b": ["y"]}"#, #"{"a": ["x", "z"], "b": ["q", "y"]}"#, true),
    ])
    func arraysInEvents(pattern: String, event: String, expected: Bool) throws {
        #expect(try patternMatches(pattern, event) == expected)
    }

    @Test(arguments: [
        // Fields of one element combine; fields of different elements never do.
        (#"{"m": {"name": ["cpu"], "ns": ["ec2"]}}"#, #"{"m": [{"name": "cpu", "ns": "ec2"}]}"#, true),
        (#"{"m": {"name": ["cpu"], "ns": ["ec2"]}}"#, #"{"m": [{"name": "cpu", "ns": "es"}, {"name": "io", "ns": "ec2"}]}"#, false),
        (#"{"m": {"name": ["cpu"], "ns": ["ec2"]}}"#, #"{"m": [{"name": "io", "ns": "ec2"}, {"name": "cpu", "ns": "ec2"}]}"#, true),
        (#"{"m": {"a": ["1"], "b": ["2"], "c": ["3"]}}"#, #"{"m": [{"a": "1"}, {"b": "2"}, {"c": "3"}]}"#, false),
        (#"{"m": {"a": ["1"], "b": {"c": ["3"]}}}"#, #"{"m": [{"a": "1", "b": [{"c": "4"}, {"c": "3"}]}]}"#, true),
        (#"{"m": {"a": ["1"], "b": {"c": ["3"]}}}"#, #"{"m": [{"a": "1", "b": [{"c": "4"}]}, {"a": "2", "b": [{"c": "3"}]}]}"#, false),
        // A field outside the array combines with any element.
        (#"{"top": ["t"], "m": {"a": ["1"]}}"#, #"{"top": "t", "m": [{"a": "0"}, {"a": "1"}]}"#, true),
        // Two different arrays are independent.
        (#"{"x": {"a": ["1"]}, "y": {"b": ["2"]}}"#, #"{"x": [{"a": "0"}, {"a": "1"}], "y": [{"b": "2"}, {"b": "3"}]}"#, true),
        // exists / prefix / numeric under the same element.
        (#"{"i": {"p": [{"numeric": [">", 0, "<", 100]}], "n": [{"exists": true}]}}"#, #"{"i": [{"n": "w", "p": 500}, {"p": 50}]}"#, false),
        (#"{"i": {"p": [{"numeric": [">", 0, "<", 100]}], "n": [{"prefix": "w"}]}}"#, #"{"i": [{"n": "g", "p": 500}, {"n": "w", "p": 50}]}"#, true),
        // exists:false is judged within the chosen element.
        (#"{"d": {"a": [{"exists": true}], "b": [{"exists": false}]}}"#, #"{"d": [{"a": 1, "b": 2}]}"#, false),
        (#"{"d": {"a": [{"exists": true}], "b": [{"exists": false}]}}"#, #"{"d": [{"a": 1, "b": 2}, {"a": 3}]}"#, true),
        (#"{"d": {"a": [{"exists": true}], "b": [{"exists": false}]}}"#, #"{"d": [{"a": 1}, {"b": 2}]}"#, true),
    ])
    func arrayConsistency(pattern: String, event: String, expected: Bool) throws {
        #expect(try patternMatches(pattern, event) == expected)
    }

    @Test(arguments: [
        (#"{"a.b": ["x"]}"#, #"{"a": {"b": "x"}}"#, true),
        (#"{"a": {"b": ["x"]}}"#, #"{"a.b": "x"}"#, true),
        (#"{"a.b": ["x"]}"#, #"{"a.b": "x"}"#, true),
        (#"{"a": {"b.c": ["x"]}}"#, #"{"a.b": {"c": "x"}}"#, true),
        (#"{"a.b": ["x"]}"#, #"{"a": {"b": "y"}}"#, false),
        (#"{"a.b": ["x"]}"#, #"{"a": [{"b": "x"}]}"#, true),
    ])
    func dottedKeys(pattern: String, event: String, expected: Bool) throws {
        #expect(try patternMatches(pattern, event) == expected)
    }

    @Test func duplicateEventKeysLastOneWins() throws {
        #expect(try patternMatches(#"{"x": ["z"]}"#, #"{"x": "y", "x": "z"}"#))
        #expect(try !patternMatches(#"{"x": ["y"]}"#, #"{"x": "y", "x": "z"}"#))
    }

    @Test func pathologicalArraysStayFast() throws {
        let elements = Array(repeating: #"{"x": 1}"#, count: 3000).joined(separator: ",")
        let event = "{\"a\": [\(elements)], \"b\": [\(elements)]}"
        #expect(try !patternMatches(#"{"a": {"x": [1]}, "b": {"x": [1]}, "c": ["z"]}"#, event))
    }
}
