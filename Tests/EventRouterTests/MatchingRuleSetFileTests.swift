import Testing
@testable import EventRouter

/// The inputs of `eventrouter match` and the benchmark: rule files and NDJSON lines.
@Suite("Matching: rule-set files and NDJSON lines")
struct MatchingRuleSetFileTests {
    @Test("a JSON array of patterns compiles, rule i under id i")
    func compiles() throws {
        let patterns = try RuleSetFile.patterns(fromJSON: Array(#"[{"a": ["x"]}, {"a": [{"prefix": "x"}]}, {"b": [1]}]"#.utf8))
        var matcher = RuleSetFile.matcher(patterns)
        #expect(try matcher.matches(eventText: #"{"a": "x", "b": 1}"#) == [0, 1, 2])
        #expect(try matcher.matches(eventText: #"{"a": "xy"}"#) == [1])
    }

    @Test("bad rule files name the rule and the reason", arguments: [
        (#"[{"a": ["x"]}, {"a": "x"}]"#, "rule 1: InvalidEventPatternException: at a: a field must hold an object or an array of values, not a string; write [\"x\"]"),
        (#"{"a": ["x"]}"#, "the rules file must hold a JSON array of event patterns, not an object"),
        (#"[{"a": ["x"]},"#, "the rules file is not valid JSON: invalid JSON at byte 14: expected a JSON value, found end of input"),
        (#"[{"a": ["x"], "a": ["y"]}]"#, "the rules file is not valid JSON: invalid JSON at byte 14: duplicate key \"a\" in object"),
    ])
    func badFiles(_ text: String, _ message: String) {
        do {
            _ = try RuleSetFile.patterns(fromJSON: Array(text.utf8))
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("NDJSON lines: numbered from 1, blank lines skipped, CR LF and a last line without LF")
    func lines() {
        let text = "{\"a\":1}\n\n  \r\n{\"b\":2}\r\n{\"c\":3}"
        let lines = RuleSetFile.lines(Array(text.utf8))
        #expect(lines.map(\.line) == [1, 4, 5])
        let bytes = Array(text.utf8)
        #expect(lines.map { String(decoding: bytes[$0.range], as: UTF8.self) } == [#"{"a":1}"#, #"{"b":2}"#, #"{"c":3}"#])
        #expect(RuleSetFile.lines([]).isEmpty)
    }
}
