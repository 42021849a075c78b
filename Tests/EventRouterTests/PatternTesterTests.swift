import Testing
@testable import EventRouter

/// The per-line logic of `test-event-pattern --batch` and the single-event mode.
@Suite struct PatternTesterTests {
    @Test(arguments: [
        (#"{"pattern": {"a": ["x"]}, "event": {"a": "x"}}"#, #"{"match":true}"#),
        (#"{"pattern": {"a": ["x"]}, "event": {"a": "y"}}"#, #"{"match":false}"#),
        (#"{"pattern": "{\"a\": [\"x\"]}", "event": "{\"a\": \"x\"}"}"#, #"{"match":true}"#),
        (#"{"event": {"a": 1}, "pattern": "{\"a\": [1]}"}"#, #"{"match":true}"#),
        // A key given twice keeps its last value, as AWS does (issue 17 item 7).
        (#"{"pattern": "{\"a\": [1], \"a\": [2]}", "event": {"a": 2}}"#, #"{"match":true}"#),
        (#"{"pattern": "{\"a\": [1], \"a\": [2]}", "event": {"a": 1}}"#, #"{"match":false}"#),
        (#"{"pattern": {"a": [1], "a": [2]}, "event": {"a": 2}}"#, #"{"match":true}"#),
        (#"{"pattern": "{\"a\": [", "event": {}}"#,
         #"{"error":"InvalidEventPatternException: the pattern is not valid JSON: invalid JSON at byte 7: expected a JSON value, found end of input"}"#),
        (#"{"pattern": {"a": 1}, "event": {}}"#,
         #"{"error":"InvalidEventPatternException: at a: a field must hold an object or an array of values, not a number; write [1]"}"#),
        (#"{"pattern": {"a": ["x"]}, "event": "{oops"}"#,
         #"{"error":"InvalidEventException: the event is not valid JSON: invalid JSON at byte 1: expected a string key in the object, found 'o'"}"#),
        (#"{"pattern": {"a": ["x"]}, "event": [1]}"#,
         #"{"error":"InvalidEventException: the event must be a JSON object, not an array"}"#),
        (#"{"pattern": {"a": ["x"]}}"#, #"{"error":"the input line has no \"event\""}"#),
        (#"{"event": {}}"#, #"{"error":"the input line has no \"pattern\""}"#),
        (#"[1, 2]"#, #"{"error":"an input line must be a JSON object {\"pattern\": …, \"event\": …}"}"#),
        (#"garbage"#, #"{"error":"the input line is not valid JSON: invalid JSON at byte 0: expected a JSON value, found 'g'"}"#),
        ("", #"{"error":"empty input line; expected {\"pattern\": …, \"event\": …}"}"#),
        ("  ", #"{"error":"empty input line; expected {\"pattern\": …, \"event\": …}"}"#),
    ])
    func batchLine(line: String, output: String) {
        #expect(PatternTester.batchLine(Array(line.utf8)) == output)
    }

    @Test func batchLineSurvivesInvalidUTF8() {
        let line: [UInt8] = Array(#"{"pattern": {"a": [""#.utf8) + [0xFF, 0xFE] + Array(#""]}, "event": {}}"#.utf8)
        #expect(PatternTester.batchLine(line).hasPrefix(#"{"error":"#))
    }

    private static let envelope = #"{"id": "1", "account": "123456789012", "source": "shop", "time": "2026-01-01T00:00:00Z", "region": "us-east-1", "resources": [], "detail-type": "order", "detail": {"total": 150}}"#

    @Test func singleModeMatches() throws {
        #expect(try PatternTester.test(pattern: #"{"detail": {"total": [{"numeric": [">", 100]}]}}"#, event: Self.envelope))
        #expect(try !PatternTester.test(pattern: #"{"source": ["other"]}"#, event: Self.envelope))
    }

    @Test(arguments: [
        (#"{"source": ["s"]}"#, #"{"source": "s"}"#,
         "InvalidEventException: the event is missing the required fields id, account, time, region, resources, detail-type (TestEventPattern needs id, account, source, time, region, resources, detail-type)"),
        (#"{"source": ["s"]}"#, #"{"id": "1", "account": "1", "source": "s", "time": "t", "region": "r", "resources": []}"#,
         "InvalidEventException: the event is missing the required field detail-type (TestEventPattern needs id, account, source, time, region, resources, detail-type)"),
        (#"{"source": ["s"]}"#, "[]", "InvalidEventException: the event must be a JSON object, not an array"),
        (#"{"source": "s"}"#, envelope,
         #"InvalidEventPatternException: at source: a field must hold an object or an array of values, not a string; write ["s"]"#),
    ])
    func singleModeErrors(pattern: String, event: String, message: String) {
        #expect(throws: PatternTester.Failure.self) { try PatternTester.test(pattern: pattern, event: event) }
        do {
            _ = try PatternTester.test(pattern: pattern, event: event)
        } catch {
            #expect(error.description == message)
        }
    }
}
