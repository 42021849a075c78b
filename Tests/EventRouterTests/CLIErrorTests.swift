import Foundation
import Testing
@testable import EventRouter

/// Issue 10 item 7: the command line's unclear errors, each pinned by its text (the built binary).
@Suite struct CLIErrorTests {
    let folder: FunctionTempFolder
    init() throws { folder = try FunctionTempFolder() }

    func run(_ arguments: String...) async throws -> CLI.Result { try await CLI.run(arguments, in: folder.path) }

    @Test func optionsMayComeBeforeTheAction() async throws {
        _ = try await run("queue", "create", "--state", "s.json", "--queue", "q")
        let stats = try await run("queue", "--state", "s.json", "--queue", "q", "stats")
        #expect(stats.stderr == "")
        #expect(stats.status == 0)
        #expect(stats.stdout.contains("\"ApproximateNumberOfMessages\":\"0\""))
    }

    @Test func anOptionGivenTwiceSaysSo() async throws {
        let twice = try await run("queue", "stats", "--state", "s.json", "--queue", "q", "--queue", "r")
        #expect(twice.status == 2)
        #expect(twice.stderr.hasPrefix("eventrouter queue: option --queue was given more than once; give it once\n"))
        let flag = try await run("match", "--rules", "r.json", "--events", "e.ndjson", "--count", "--count")
        #expect(flag.stderr.hasPrefix("eventrouter match: option --count was given more than once; give it once\n"))
    }

    @Test func aMistypedFlagIsNamedNotTakenForTheFilesOption() async throws {
        try folder.write("Rules/a.json", "{}")
        let result = try await run("replay", "--virtual-tme", "e.ndjson")
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("eventrouter replay: unknown option --virtual-tme\n"))
    }

    @Test func anAccountIdMustBeTwelveDigits() async throws {
        let result = try await run("queue", "create", "--state", "s.json", "--queue", "q", "--account", "12")
        #expect(result.status == 1)
        #expect(result.stderr == "eventrouter queue: InvalidParameterValue: Account: 'Account' must be a 12-digit account id, got '12'\n")
    }

    @Test func functionsFailsForAWorkspaceThatDoesNotExist() async throws {
        let result = try await run("functions", "--workspace", "/nonexistent-er")
        #expect(result.status == 1)
        #expect(result.stderr == "eventrouter functions: /nonexistent-er: $: error: the workspace folder does not exist; pass --workspace DIR with the folder that holds Functions/\n")
    }

    @Test func matchRejectsEventsThatAreNotObjects() async throws {
        try folder.write("r.json", #"[{"a": [{"exists": false}]}]"#)
        try folder.write("e.ndjson", "[1, 2]\n{\"b\": 1}\n")
        let result = try await run("match", "--rules", "r.json", "--events", "e.ndjson")
        #expect(result.status == 1)
        #expect(result.stdout == "{\"error\":\"line 1: InvalidEventException: the event must be a JSON object, not an array\"}\n[0]\n")
    }

    @Test func validateCountsErrorsInFunctionManifests() async throws {
        // No rule files at all: the summary used to say "in 0 files".
        try FileManager.default.createDirectory(atPath: folder.path + "/Rules", withIntermediateDirectories: true)
        try folder.write("Functions/f/function.json", "{")
        let result = try await run("validate")
        #expect(result.status == 1)
        #expect(result.stderr.hasSuffix("\n1 error in 1 file\n"))
        #expect(result.stderr.hasPrefix("Functions/f/function.json: "))
    }

    @Test func stateOutFailuresSayWhy() async throws {
        try folder.write("Rules/a.json", "{}")
        try folder.write("e.ndjson", #"{"Source": "s", "DetailType": "d", "Detail": "{}"}"# + "\n")
        try FileManager.default.createDirectory(atPath: folder.path + "/out", withIntermediateDirectories: false)
        let directory = try await run("replay", "e.ndjson", "--virtual-time", "--state-out", "out")
        #expect(directory.status == 1)
        #expect(directory.stderr.hasSuffix("eventrouter replay: --state-out: cannot write out: it is a directory; give the path of a file (e.g. out/state.json)\n"))
        let missing = try await run("replay", "e.ndjson", "--virtual-time", "--state-out", "nope/state.json")
        #expect(missing.stderr.hasSuffix("eventrouter replay: --state-out: cannot write nope/state.json: the folder 'nope' does not exist; create it first or write elsewhere\n"))
    }

    @Test(arguments: [
        (ENOSPC, "no space left on the device; free some space and run again"),
        (EISDIR, "it is a directory; give the path of a file (e.g. d/s.json/state.json)"),
        (ENOENT, "the folder 'd' does not exist; create it first or write elsewhere"),
        (EACCES, "permission denied; choose a folder you can write to"),
    ])
    func writeFailuresAreSaidInWords(code: Int32, reason: String) {
        #expect(AtomicFile.reason(code, path: "d/s.json") == reason)
    }

    @Test func concurrentSenderProcessesKeepEveryMessage() async throws {
        _ = try await run("queue", "create", "--state", "s.json", "--queue", "q")
        let results = try await withThrowingTaskGroup(of: [CLI.Result].self) { group in
            for p in 0..<4 {
                group.addTask {
                    var results: [CLI.Result] = []
                    for n in 0..<10 { results.append(try await CLI.run(["queue", "send", "--state", "s.json", "--queue", "q", "--body", "p\(p)-\(n)"], in: folder.path)) }
                    return results
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let failed = results.filter { $0.status != 0 }.map { "status \($0.status): \($0.stderr)" }
        try #require(failed.isEmpty, "failed senders: \(failed)")
        let acknowledged = try results.map { try #require(try JSONParser.parse($0.stdout)["MessageId"]?.stringValue) }
        let state = try JSONParser.parse(try #require(try TextFile.read(folder.path + "/s.json")))
        let stored = (state["queues"]?["arn:aws:sqs:us-east-1:123456789012:q"]?["messages"]?.arrayValue ?? []).compactMap { $0["MessageId"]?.stringValue }
        #expect(stored.count == 40)
        #expect(Set(stored) == Set(acknowledged))
    }
}
