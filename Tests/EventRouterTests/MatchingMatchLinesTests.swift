import Testing
@testable import EventRouter

/// `eventrouter match`'s per-line matching, in the library (it used to be a loop in the CLI).
@Suite struct MatchingMatchLinesTests {
    static let rules = Array(#"[{"source": ["a"]}, {"detail": {"n": [{"numeric": [">", 1]}]}}, {"source": ["a", "b"]}]"#.utf8)

    func run(_ events: String, stopAfter: Int = .max) throws -> (results: [RuleSetFile.LineMatch], lines: Int, matches: Int) {
        var matcher = RuleSetFile.matcher(try RuleSetFile.patterns(fromJSON: Self.rules))
        var results: [RuleSetFile.LineMatch] = []
        let (lines, matches) = RuleSetFile.matchLines(Array(events.utf8), with: &matcher) { result in
            results.append(result)
            return results.count < stopAfter
        }
        return (results, lines, matches)
    }

    @Test func eachLineGetsItsMatchesOrItsError() throws {
        let (results, lines, matches) = try run("{\"source\": \"a\", \"detail\": {\"n\": 2}}\r\n\n[1]\n{\"source\": \"b\"}\n{\"source\": \n")
        #expect(lines == 4)
        #expect(matches == 4)
        #expect(results.map(\.outputLine) == [
            "[0,1,2]",
            #"{"error":"line 3: InvalidEventException: the event must be a JSON object, not an array"}"#,
            "[2]",
            results[3].outputLine,
        ])
        guard case .failed(let message) = results[3] else { Issue.record("line 5 should fail: \(results[3])"); return }
        #expect(message.hasPrefix("line 5: "))
    }

    @Test func theCallerMayStop() throws {
        let (results, _, matches) = try run("{\"source\": \"a\"}\n{\"source\": \"b\"}\n", stopAfter: 1)
        #expect(results == [.matched([0, 2])])
        #expect(matches == 2)
    }
}
