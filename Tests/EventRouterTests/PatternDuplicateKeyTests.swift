import Testing
@testable import EventRouter

/// Issue 17 item 7: a pattern object that repeats a key keeps the last value, as AWS does, in
/// the reference matcher, the compiled matcher and PutRule; rule files, which are ours, still
/// refuse a repeated key.
@Suite struct PatternDuplicateKeyTests {
    /// The case checked against AWS (semantics.md §7).
    static let awsCase = #"{"detail": {"loc": [{"prefix": "us-"}], "loc": [{"anything-but": "us-east"}]}}"#

    static func event(_ loc: String) -> Event {
        Event(id: "e", detailType: "T", source: "s", account: "123456789012", time: .epoch, region: "us-east-1",
              detail: ["loc": .string(loc)])
    }

    @Test(arguments: [("eu-central-1", true), ("us-west-2", true), ("us-east", false)])
    func theLastValueCounts(loc: String, matches: Bool) throws {
        let pattern = try EventPattern(parsing: Self.awsCase)
        #expect(pattern == (try EventPattern(parsing: #"{"detail": {"loc": [{"anything-but": "us-east"}]}}"#)))
        #expect(pattern.matches(Self.event(loc).json) == matches)
    }

    @Test func theCompiledMatcherAgrees() async throws {
        let text = #"{"Queues": [{"QueueName": "q"}], "Rules": [{"Name": "r", "EventPattern": "\#(Self.awsCase.replacingOccurrences(of: "\"", with: "\\\""))", "Targets": [{"Id": "t", "Arn": "arn:aws:sqs:us-east-1:123456789012:q"}]}]}"#
        let loaded = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: text)])
        #expect(loaded.problems.map(\.description) == [])
        let workspace = try #require(loaded.workspace)
        let runtime = try RouterRuntime(workspace: workspace, clock: .virtual(ManualClock()), seed: 1)
        for loc in ["eu-central-1", "us-east"] {
            try runtime.router.put(Self.event(loc))
        }
        #expect(runtime.router.statistics.ruleMatches == 1)
    }

    @Test func aRuleFileStillRefusesARepeatedKey() {
        let text = #"{"Rules": [{"Name": "r", "EventPattern": {"source": ["a"], "source": ["b"]}, "Targets": []}]}"#
        let problems = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: text)]).problems.map(\.description)
        #expect(problems == [#"Rules/a.json: $: error: not valid JSON: invalid JSON at byte 59: duplicate key "source" in object"#])
    }
}
