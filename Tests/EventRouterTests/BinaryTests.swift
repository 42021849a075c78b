import Foundation
import Testing
@testable import EventRouter

/// Issue 11 item 8: the built `eventrouter` binary, run as a user runs it: exit codes, the
/// `validate` and `replay` summaries (the example workspace and a temporary one), `--state-out`,
/// and `replay` on the real clock. Every run waits only on the process's exit, bounded by
/// ``CLI/run(_:in:stdin:timeout:)`` so that a hang fails the test.
@Suite struct BinaryTests {
    let folder: FunctionTempFolder
    init() throws { folder = try FunctionTempFolder() }

    /// One rule to a queue of the workspace, one to a queue of an account the workspace does
    /// not know with no retries and a dead-letter queue: every delivery settles at once.
    static let rules = #"""
        {"Queues": [{"QueueName": "orders"}, {"QueueName": "dlq"}],
         "Rules": [
           {"Name": "placed", "EventPattern": {"detail-type": ["Placed"]},
            "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:orders", "InputPath": "$.detail"}]},
           {"Name": "elsewhere", "EventPattern": {"detail-type": ["Cancelled"]},
            "Targets": [{"Id": "x", "Arn": "arn:aws:sqs:us-east-1:999999999999:theirs",
                         "RetryPolicy": {"MaximumRetryAttempts": 0},
                         "DeadLetterConfig": {"Arn": "arn:aws:sqs:us-east-1:123456789012:dlq"}}]}]}
        """#

    static let events = """
        {"Source": "shop", "DetailType": "Placed", "Detail": "{\\"id\\": 1}"}
        {"Source": "shop", "DetailType": "Placed", "Detail": "{\\"id\\": 2}"}
        {"Source": "shop", "DetailType": "Cancelled", "Detail": "{\\"id\\": 3}"}
        {"Source": "shop", "DetailType": "Other", "Detail": "{}"}

        """

    func run(_ arguments: String..., stdin: String? = nil) async throws -> CLI.Result {
        try await CLI.run(arguments, in: folder.path, stdin: stdin)
    }

    func writeWorkspace() throws {
        try folder.write("Rules/shop.json", Self.rules)
        try folder.write("events.ndjson", Self.events)
    }

    // MARK: exit codes

    @Test(arguments: [
        ([], Int32(2), "eventrouter — a local, EventBridge-compatible event router\n\nUsage: eventrouter COMMAND"),
        (["--help"], 0, "eventrouter — a local, EventBridge-compatible event router\n\nUsage: eventrouter COMMAND"),
        (["nope"], 2, "eventrouter: unknown command 'nope'. Run 'eventrouter --help' for the list.\n"),
        (["replay"], 2, "eventrouter replay: missing the events FILE to replay\n"),
        (["validate", "--bogus", "x"], 2, "eventrouter validate: "),
        (["replay", "missing.ndjson"], 1, "eventrouter replay: IOError: cannot read the events file 'missing.ndjson': it does not exist\n"),
        (["validate", "--workspace", "/nonexistent-er"], 1, ""),
        (["replay", "e.ndjson", "--start", "2024-01-01T00:00:00Z"], 2, "eventrouter replay: --start needs --virtual-time (a real clock starts now)\n"),
        (["replay", "e.ndjson", "--virtual-time", "--start", "2024-01-02T00:00:00Z", "--until", "2024-01-01T00:00:00Z"], 2,
         "eventrouter replay: --until 2024-01-01T00:00:00Z is before --start 2024-01-02T00:00:00Z; give a TIME at or after the start\n"),
    ])
    func exitCodes(arguments: [String], status: Int32, output: String) async throws {
        try folder.write("Rules/empty.json", "{}")
        let result = try await CLI.run(arguments, in: folder.path)
        #expect(result.status == status, "\(arguments): \(result.stderr)")
        #expect((result.stdout + result.stderr).hasPrefix(output), "\(arguments): \(result.stdout)\(result.stderr)")
    }

    // MARK: validate

    @Test func validateSummarizesTheExampleWorkspace() async throws {
        let result = try await CLI.run(["validate", "--workspace", CLI.repository], in: folder.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Self.exampleValidate)
    }

    @Test func validateSummarizesATemporaryWorkspace() async throws {
        try writeWorkspace()
        let ok = try await run("validate")
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "ok: 1 file, 1 buses (0 custom), 2 queues, 0 topics, 0 streams, 0 functions, 2 rules, 2 targets, 1 warning\n")
        #expect(ok.stderr.hasPrefix("Rules/shop.json: $.Rules[1].Targets[0].Arn: warning: account 999999999999 is not in this workspace"), "\(ok.stderr)")
        // A scenario is checked against the rule files, not run.
        try folder.write("Rules/scenarios/refunds.json", #"{"Events": [{"Source": "shop", "DetailType": "Refund", "Detail": "{}"}], "Expect": [{"Queue": "refundz", "Count": 1}]}"#)
        let scenario = try await run("validate")
        #expect(scenario.status == 1)
        #expect(scenario.stdout == "")
        #expect(scenario.stderr.contains("Rules/scenarios/refunds.json: $.Expect[0].Queue: error: "), "\(scenario.stderr)")
        #expect(scenario.stderr.hasSuffix("\n1 error in 1 of 1 scenario; `eventrouter test` would report them INVALID\n"), "\(scenario.stderr)")
        try folder.write("Rules/scenarios/refunds.json", #"{"Events": [{"Source": "shop", "DetailType": "Refund", "Detail": "{}"}], "Expect": [{"Queue": "orders", "Count": 1}]}"#)
        let checked = try await run("validate")
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stdout.hasSuffix("\nscenarios: 1 checked (run them with `eventrouter test`)\n"), "\(checked.stdout)")
        try folder.write("Rules/bad.json", #"{"Rules": [{"Name": "r", "EventPattern": {"source": "shop"}}]}"#)
        let bad = try await run("validate")
        #expect(bad.status == 1)
        #expect(bad.stdout == "")
        #expect(bad.stderr.hasPrefix("Rules/bad.json: "), "\(bad.stderr)")
        #expect(bad.stderr.hasSuffix("\n1 error in 1 file\n"), "\(bad.stderr)")
    }

    // MARK: replay

    @Test func replayOfTheExampleWithASeedPrintsTheRecordedSummary() async throws {
        let result = try await CLI.run(["replay", "docs/examples/orders.ndjson", "--virtual-time", "--seed", "7"], in: CLI.repository)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.masked(result.stdout) == Self.exampleReplay)
    }

    @Test func replayOfATemporaryWorkspaceWritesItsState() async throws {
        try writeWorkspace()
        let result = try await run("replay", "events.ndjson", "--virtual-time", "--seed", "3", "--state-out", "state.json")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Self.summary(seed: 3) + "state written to state.json\n")
        let state = try JSONParser.parse(try String(contentsOfFile: folder.path + "/state.json", encoding: .utf8))
        let queues = try #require(state["queues"]?.objectValue)
        #expect(Self.bodies(queues, "orders") == [#"{"id":1}"#, #"{"id":2}"#])
        #expect(Self.bodies(queues, "dlq").count == 1)
    }

    @Test func replayReadsStandardInput() async throws {
        try writeWorkspace()
        let result = try await run("replay", "-", "--virtual-time", "--seed", "3", stdin: Self.events)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Self.summary(seed: 3))
    }

    /// No `--virtual-time`: the runtime runs on the system clock and exits once every delivery
    /// has settled (none waits for a retry), so the test waits only on the exit.
    @Test func replayOnTheRealClockSettlesAndExits() async throws {
        try writeWorkspace()
        let result = try await CLI.run(["replay", "events.ndjson", "--seed", "3", "--state-out", "state.json"], in: folder.path, timeout: .seconds(60))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Self.summary(seed: 3) + "state written to state.json\n")
        let state = try JSONParser.parse(try String(contentsOfFile: folder.path + "/state.json", encoding: .utf8))
        #expect(Self.bodies(try #require(state["queues"]?.objectValue), "orders").count == 2)
    }

    @Test func aStateOutThatCannotBeWrittenFailsTheReplay() async throws {
        try writeWorkspace()
        let result = try await run("replay", "events.ndjson", "--virtual-time", "--seed", "3", "--state-out", "no-such-folder/state.json")
        #expect(result.status == 1)
        #expect(result.stdout == Self.summary(seed: 3))
        #expect(result.stderr.hasPrefix("eventrouter replay: --state-out: "), "\(result.stderr)")
    }

    @Test func replayOfTheExampleFiresItsScheduledRuleOnlyInAWindow() async throws {
        try folder.write("empty.ndjson", "")
        let result = try await CLI.run(["replay", folder.path + "/empty.ndjson", "--virtual-time", "--seed", "7",
                                        "--start", "2024-03-01T00:00:00Z", "--until", "2024-03-08T00:00:00Z"], in: CLI.repository)
        #expect(result.status == 0, "\(result.stderr)")
        // nightly-stock-check, cron(0 2 * * ? *): 02:00 on 1 to 7 March.
        #expect(result.stdout.hasPrefix("""
            events read:   0
            rejected:      0
            matched:       0 (0 rule matches)
            scheduled:     7 firings of scheduled rules
            delivered:     7
            retried:       0
            dead-lettered: 0
            """), "\(result.stdout)")
    }

    /// `validate` of the example workspace (its one warning goes to stderr).
    static let exampleValidate = "ok: 6 files, 4 buses (2 custom), 13 queues, 0 topics, 1 streams, 5 functions, 14 rules, 15 targets, 1 warning\n"
        + "scenarios: 4 checked (run them with `eventrouter test`)\n"

    /// `replay docs/examples/orders.ndjson --virtual-time --seed 7`, recorded before issue 11's
    /// renovation (issue 15 added the rule greet-web-customers: 2 web orders × 2 targets, so
    /// 2 more rule matches, 4 more deliveries and the greeter-node / greeter-python lines; issue 17
    /// added the rule cancellation-webhook: 1 more rule match, and with no endpoint on port 8089
    /// its delivery fails with CONNECTION_FAILURE, is retried twice and dead-lettered); the figures that depend on the handlers' real time are masked (``masked(_:)``).
    static let exampleReplay = #"""
        events read:   12
        rejected:      3
          line 6: MalformedDetail: Detail is malformed: invalid JSON at byte 31: expected a JSON value, found end of input
          line 9: ResourceNotFoundException: Event bus order does not exist in account 123456789012 (did you mean 'orders'?)
          line 10: malformed JSON: invalid JSON at byte 75: expected ',' or '}' after an object member, found end of input
        matched:       8 (37 rule matches)
        delivered:     37
        retried:       2
        dead-lettered: 2
        dropped:       0
        functions:
          echo             invocations 1, errors 0, throttles 0, max concurrent …, p50/p90/p99 … ms
          greeter-node     invocations 2, errors 0, throttles 0, max concurrent …, p50/p90/p99 … ms
          greeter-python   invocations 2, errors 0, throttles 0, max concurrent …, p50/p90/p99 … ms
          order-total      invocations 3, errors 2, throttles 0, max concurrent …, p50/p90/p99 … ms, 2 to destinations
          rolling-average  invocations 6, errors 0, throttles 15, max concurrent …, p50/p90/p99 … ms, 6 to destinations
        streams:
          order-events     7 records in 1 shard
        event source mappings:
          stream/order-events → echo: batches 1, records 7, failures 0, throttles 0, deleted 0, checkpoints 1, discarded 0, on-failure records 0
        seed:          7

        """#

    /// `text` with the figures that depend on real time masked by `…`: the handlers' latencies
    /// (`p50/p90/p99 1.2/3.4/5.6 ms`) and how many ran at once (`max concurrent 2`).
    static func masked(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var line = String(line)
            for (start, end) in [("p50/p90/p99 ", " ms"), ("max concurrent ", ",")] {
                guard let s = line.range(of: start), let e = line[s.upperBound...].range(of: end) else { continue }
                line = String(line[..<s.upperBound]) + "…" + String(line[e.lowerBound...])
            }
            return line
        }.joined(separator: "\n")
    }

    /// The summary of replaying ``events`` into ``rules``.
    static func summary(seed: Int) -> String {
        """
        events read:   4
        rejected:      0
        matched:       3 (3 rule matches)
        delivered:     2
        retried:       0
        dead-lettered: 1
        dropped:       0
        seed:          \(seed)

        """
    }

    /// The bodies of the messages in queue `name` of a state file's `queues`.
    static func bodies(_ queues: JSONObject, _ name: String) -> [String] {
        let queue = queues.members.first { $0.key.hasSuffix(":" + name) || $0.key == name }?.value
        return (queue?["messages"]?.arrayValue ?? []).compactMap { $0["Body"]?.stringValue }
    }
}
