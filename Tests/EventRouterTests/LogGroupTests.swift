import Synchronization
import Foundation
import Testing
@testable import EventRouter
import EventRouterTesting

/// CloudWatch Logs log groups: rule deliveries written and read back, ordering, safe file
/// names, unreadable lines, filter patterns and validation, on a manual clock.
@Suite struct LogGroupTests {
    static let rules = #"""
    {"LogGroups": [{"LogGroupName": "/aws/events/orders", "RetentionInDays": 7}],
     "Rules": [{"Name": "audit", "EventPattern": {"source": ["shop"]},
                "Targets": [{"Id": "log", "Arn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/orders:*"}]}]}
    """#

    static func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "eventrouter-logs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func runtime(_ rules: String = rules, logsDirectory: String? = nil, clock: ManualClock) throws -> RouterRuntime {
        let loaded = WorkspaceLoader.validate(files: [(name: "Rules/logs.json", text: rules)])
        var workspace = try #require(loaded.workspace, "\(loaded.problems)")
        workspace.logsDirectory = logsDirectory
        return try RouterRuntime(workspace: workspace, clock: .virtual(clock), seed: 7)
    }

    @Test(arguments: [false, true]) func aRuleWritesEachEventToAStreamNamedAfterItsIdWithTheEventTime(onDisk: Bool) async throws {
        let folder = onDisk ? try Self.temporaryFolder() : nil
        defer { if let folder { try? FileManager.default.removeItem(atPath: folder) } }
        let clock = ManualClock()
        let runtime = try Self.runtime(logsDirectory: folder, clock: clock)
        let result = try runtime.router.putEvents([
            PutEventsEntry(source: "shop", detailType: "Placed", detail: #"{"n": 1}"#, time: "2024-01-01T00:00:05Z"),
            PutEventsEntry(source: "other", detailType: "Placed", detail: "{}"),
        ])
        let id = try #require(result.entries.first?.eventId)
        _ = await runtime.settle(limits: SettleLimits())
        let streams = try runtime.logGroups.streams(group: "/aws/events/orders")
        #expect(streams.map(\.name) == [id])
        let events = try runtime.logGroups.events(group: "/aws/events/orders", stream: id)
        #expect(events.count == 1)
        #expect(events.first?.timestamp == 1_704_067_205_000)
        #expect(events.first?.ingestionTime == clock.now.millisecondsSinceEpoch)
        #expect(try JSONParser.parse(events.first?.message ?? "")["id"]?.stringValue == id)
        if let folder {
            // The group's folder name cannot leave the logs folder, and the file reads back.
            let groupFolder = folder + "/%2Faws%2Fevents%2Forders"
            #expect(FileManager.default.fileExists(atPath: groupFolder + "/\(id).ndjson"))
            var tail = try LogTail(root: folder, group: "/aws/events/orders")
            let (read, problems) = tail.poll()
            #expect(problems.isEmpty)
            #expect(read.map(\.event) == events)
            // A new registry over the folder finds the group again.
            let reopened = LogGroupRegistry(storage: .directory(folder), clock: clock)
            #expect(try reopened.events(group: "/aws/events/orders", stream: id) == events)
            #expect(reopened.group("/aws/events/orders")?.retentionInDays == 7)
        }
        #expect(runtime.stateJSON()["logGroups"]?["/aws/events/orders"]?["events"]?.intValue == 1)
    }

    @Test func aTransformerOfTimestampAndMessageGivesTheLogEventsFields() async throws {
        let rules = #"""
        {"LogGroups": [{"LogGroupName": "app"}],
         "Rules": [{"Name": "r", "EventPattern": {"source": ["shop"]},
                    "Targets": [{"Id": "log", "Arn": "arn:aws:logs:us-east-1:123456789012:log-group:app",
                                 "InputTransformer": {"InputPathsMap": {"t": "$.time", "k": "$.detail-type"},
                                                      "InputTemplate": "{\"timestamp\": <t>, \"message\": <k>}"}}]}]}
        """#
        let runtime = try Self.runtime(rules, clock: ManualClock())
        _ = try runtime.router.putEvents([PutEventsEntry(source: "shop", detailType: "Order Placed", detail: "{}",
                                                         time: "2024-03-01T10:00:00Z")])
        _ = await runtime.settle(limits: SettleLimits())
        let found = try runtime.logGroups.filter(group: "app")
        #expect(found.map(\.event.message) == ["Order Placed"])
        #expect(found.first?.event.timestamp == 1_709_287_200_000)
    }

    @Test func eventsAreReadInTimestampOrderAcrossStreamsAndFilteredByTimeAndPattern() async throws {
        let clock = ManualClock()
        let registry = LogGroupRegistry(storage: .inMemory, clock: clock)
        try await registry.createGroup("g")
        try await registry.createStream("a", group: "g")
        try await registry.put([(30, #"{"level": "ERROR", "n": 3}"#), (10, "plain ERROR one")], group: "g", stream: "a")
        try await registry.put([(20, #"{"level": "INFO", "n": 2}"#), (10, "second at ten")], group: "g", stream: "b", createStream: true)
        #expect(try registry.events(group: "g", stream: "a").map(\.timestamp) == [10, 30])
        #expect(try registry.filter(group: "g").map(\.event.message)
                == ["plain ERROR one", "second at ten", #"{"level": "INFO", "n": 2}"#, #"{"level": "ERROR", "n": 3}"#])
        #expect(try registry.filter(group: "g", start: 10, end: 30).count == 3)
        #expect(try registry.filter(group: "g", pattern: LogFilterPattern(parsing: "ERROR")).count == 2)
        #expect(try registry.filter(group: "g", pattern: LogFilterPattern(parsing: #"{ $.level = "ERROR" }"#)).map(\.event.timestamp) == [30])
        #expect(try registry.filter(group: "g", pattern: LogFilterPattern(parsing: "{ $.n >= 2 && $.level != ERROR }")).map(\.event.timestamp) == [20])
        #expect(try registry.filter(group: "g", streams: ["b"]).count == 2)
    }

    @Test(arguments: [
        ("ERROR", "an ERROR here", true), ("ERROR", "error here", false), ("ERROR timeout", "ERROR: timeout", true),
        ("ERROR timeout", "ERROR only", false), ("?ERROR ?WARN", "a WARN", true), ("?ERROR ?WARN", "INFO", false),
        ("ERROR -retry", "ERROR then retry", false), (#""disk full""#, "the disk full now", true),
        (#"{ $.a.b[1] = 5 }"#, #"{"a": {"b": [4, 5]}}"#, true), (#"{ $.s = "ab*" }"#, #"{"s": "abc"}"#, true),
        (#"{ $.s = "ab*" }"#, #"{"s": "xab"}"#, false), ("{ $.x IS NULL }", #"{"x": null}"#, true),
        ("{ $.x NOT EXISTS }", #"{"y": 1}"#, true), ("{ $.ok IS TRUE || ($.n < 0) }", #"{"ok": false, "n": -1}"#, true),
        (#"{ $.level = "ERROR" }"#, "not json ERROR", false),
    ])
    func filterPatternsMatchAsCloudWatchLogsDoes(pattern: String, message: String, matches: Bool) throws {
        #expect(try LogFilterPattern(parsing: pattern).matches(message) == matches)
    }

    @Test(arguments: [
        ("[ip, user]", "space-delimited filter patterns ('[ip, user]') are not supported"),
        ("%ERR.*%", "regular-expression filter patterns"),
        ("{ $.a = }", "expected a value"),
        ("{ $.a > x }", "> compares numbers; the value after it must be a number"),
        ("{ a = 1 }", "a condition must start with a selector such as $.field"),
        (#""unclosed"#, "has a quote that is not closed"),
    ])
    func badFilterPatternsSayWhatIsWrong(pattern: String, message: String) {
        #expect(throws: LogGroupError.self) { try LogFilterPattern(parsing: pattern) }
        do { _ = try LogFilterPattern(parsing: pattern) } catch {
            #expect(error.code == .invalidParameter)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test(arguments: ["/aws/events/orders", "..", ".hidden", "a%2Fb", "#x/../y", "ünïcode stream", "a.b"])
    func namesBecomeFileNamesThatStayInTheirFolderAndReadBack(name: String) {
        let file = LogGroupName.fileName(name)
        #expect(!file.contains("/"))
        #expect(!file.hasPrefix("."))
        #expect(LogGroupName.name(fileName: file) == name)
    }

    @Test func badNamesAndMissingResourcesAreRefusedWithAWSErrors() async throws {
        let registry = LogGroupRegistry(storage: .inMemory, clock: ManualClock())
        await #expect(throws: LogGroupError(.invalidParameter, "log group name 'a b' may contain only letters, digits and . - _ / # (pattern [\\.\\-_/#A-Za-z0-9]+)")) {
            try await registry.createGroup("a b")
        }
        try await registry.createGroup("g")
        await #expect(throws: LogGroupError(.resourceAlreadyExists, "The specified log group already exists: 'g'")) { try await registry.createGroup("g") }
        await #expect(throws: LogGroupError.noGroup("nope")) { try await registry.createStream("s", group: "nope") }
        await #expect(throws: LogGroupError.noStream("s", group: "g")) { try await registry.put([(1, "x")], group: "g", stream: "s") }
        await #expect(throws: LogGroupError(.invalidParameter, "log stream name 'a:b' must not contain ':' or '*' (pattern [^:*]*)")) {
            try await registry.put([(1, "x")], group: "g", stream: "a:b", createStream: true)
        }
        #expect(LogGroupName.group(ofArn: ARN(text: "arn:aws:logs:us-east-1:123456789012:log-group:/a/b:*")) == "/a/b")
        #expect(LogGroupName.group(ofArn: ARN(text: "arn:aws:logs:us-east-1:123456789012:destination:x")) == nil)
    }

    @Test func aDeliveryToAGroupThatDoesNotExistIsNotRetried() async throws {
        let target = LogGroupTarget(logGroups: LogGroupRegistry(storage: .inMemory, clock: ManualClock()))
        let event = try Event(envelope: try JSONParser.parse(#"{"source": "s", "detail-type": "d", "detail": {}}"#), defaults: RouterDefaults(),
                              now: .epoch, random: SharedRandom(seed: 1))
        let outcome = await target.deliver(TargetDelivery(targetArn: "arn:aws:logs:us-east-1:123456789012:log-group:gone", body: "{}",
                                                          event: event, ruleArn: "arn:aws:events:us-east-1:123456789012:rule/r"))
        #expect(outcome == .nonRetriable(code: "NO_RESOURCE", message: LogGroupError.noGroup("gone").message))
    }

    @Test func anUnreadableLineIsReportedWithItsFileAndLineAndTheOthersAreRead() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let group = folder + "/app"
        try FileManager.default.createDirectory(atPath: group, withIntermediateDirectories: true)
        let lines = [#"{"timestamp":1,"ingestionTime":2,"message":"one"}"#, "{not json", #"{"timestamp":"x","ingestionTime":2,"message":"m"}"#,
                     #"{"timestamp":3,"ingestionTime":4,"message":"three"}"#, #"{"timestamp":5,"ingestionTime":6,"message":"partial"#]
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: group + "/s.ndjson"))
        var tail = try LogTail(root: folder, group: "app")
        let (events, problems) = tail.poll()
        #expect(events.map(\.event.message) == ["one", "three"])   // the last line has no newline yet
        #expect(problems.map(\.file) == [group + "/s.ndjson", group + "/s.ndjson"])
        #expect(problems.map(\.line) == [2, 3])
        #expect(problems[0].description.hasPrefix(group + "/s.ndjson:2: not valid JSON"))
        #expect(problems[1].description.contains("\"timestamp\" must be a whole number of milliseconds since the epoch, not \"x\"; the line is skipped"))
        // Once the line is complete, the next poll reads it and only it.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: group + "/s.ndjson"))
        handle.seekToEndOfFile()
        handle.write(Data("\"}\n".utf8))
        try handle.close()
        let next = tail.poll()
        #expect(next.events.map(\.event.message) == ["partial"])
        #expect(next.problems.isEmpty)
        // The registry skips the bad lines too, and says so.
        let registry = LogGroupRegistry(storage: .directory(folder), clock: ManualClock())
        #expect(try registry.events(group: "app", stream: "s").map(\.message) == ["one", "three", "partial"])
        #expect(registry.loadProblems.map(\.line) == [2, 3])
    }

    @Test func tailSaysWhichGroupsAFolderHoldsWhenTheGroupIsMissing() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/%2Fa", withIntermediateDirectories: true)
        #expect(throws: LogGroupError(.resourceNotFound, "no log group 'b' in \(folder) (no folder \(folder)/b); it holds: /a")) {
            try LogTail(root: folder, group: "b")
        }
        #expect(throws: LogGroupError(.invalidParameter, "--since 'soon' is not a duration like 30s, 10m, 2h, 1d or 1w, nor an ISO 8601 time like 2024-01-01T00:00:00Z")) {
            try LogTail.since("soon", now: .epoch)
        }
        #expect(try LogTail.since("10m", now: Timestamp(nanosecondsSinceEpoch: 3_600_000_000_000)).millisecondsSinceEpoch == 3_000_000)
    }

    @Test func followPrintsNewEventsOnEachTickOfTheClock() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clock = ManualClock()
        let registry = LogGroupRegistry(storage: .directory(folder), clock: clock)
        try await registry.createGroup("g")
        try await registry.put([(1_000, "first")], group: "g", stream: "s", createStream: true)
        let tail = try LogTail(root: folder, group: "g")
        let lines = LockedLines()
        let task = Task {
            var t = tail
            await t.follow(clock: clock, emit: { lines.append($0) }, report: { lines.append("problem: \($0)") })
        }
        await clock.waitForSleepers(1)
        #expect(lines.all == ["1970-01-01T00:00:01.000Z s first"])
        try await registry.put([(2_000, "second")], group: "g", stream: "s")
        clock.advance(by: .seconds(1))
        await clock.waitForSleepers(1)
        #expect(lines.all == ["1970-01-01T00:00:01.000Z s first", "1970-01-01T00:00:02.000Z s second"])
        task.cancel()
        clock.advance(by: .seconds(1))
        await task.value
    }

    @Test(arguments: [
        (#"{"Rules": [{"Name": "r", "EventPattern": {"source": ["s"]}, "Targets": [{"Id": "l", "Arn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/ordrs"}]}], "LogGroups": [{"LogGroupName": "/aws/events/orders"}]}"#,
         "$.Rules[0].Targets[0].Arn", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/ordrs names the log group '/aws/events/ordrs', which no rule file declares; declare it under LogGroups (AWS delivers only to a log group that exists, so EventRouter does not create it on delivery) (did you mean '/aws/events/orders'?)"),
        (#"{"LogGroups": [{"LogGroupName": "bad name"}]}"#, "$.LogGroups[0].LogGroupName",
         "log group name 'bad name' may contain only letters, digits and . - _ / # (pattern [\\.\\-_/#A-Za-z0-9]+)"),
        (#"{"LogGroups": [{"LogGroupName": "g", "RetentionInDays": 8}]}"#, "$.LogGroups[0].RetentionInDays",
         "RetentionInDays must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, not 8"),
        (#"{"LogGroups": [{"LogGroupName": "g"}, {"LogGroupName": "g"}]}"#, "$.LogGroups[1].LogGroupName",
         "duplicate log group 'g' (first declared in Rules/a.json); log group names are one namespace in EventRouter, across accounts and regions"),
        (#"{"Rules": [{"Name": "r", "EventPattern": {"source": ["s"]}, "Targets": [{"Id": "l", "Arn": "arn:aws:logs:us-east-1:123456789012:destination:d"}]}]}"#,
         "$.Rules[0].Targets[0].Arn", "arn:aws:logs:us-east-1:123456789012:destination:d is not a log group ARN; a CloudWatch Logs target is arn:aws:logs:REGION:ACCOUNT:log-group:NAME"),
    ])
    func validateNamesWhatIsWrongWithLogGroups(rules: String, path: String, message: String) {
        let result = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: rules)])
        #expect(result.workspace == nil)
        let errors = result.problems.filter { $0.severity == .error }
        #expect(errors.map(\.path) == [path])
        #expect(errors.map(\.message) == [message])
    }
}

/// Lines collected from another task.
final class LockedLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

/// A log group declared while `run` runs is created by the hot reload, before the rule that targets it.
@Suite struct LogGroupReloadTests {
    @Test func aReloadCreatesANewlyDeclaredLogGroupAndItsRuleDeliversToIt() async throws {
        let folder = try FunctionTempFolder()
        try folder.write("Rules/main.json", #"{"Queues": [{"QueueName": "q"}]}"#)
        let workspace = try WorkspaceLoader.load(directory: folder.path)
        let runtime = try RouterRuntime(workspace: workspace, clock: .virtual(ManualClock()), seed: 1)
        let reloader = WorkspaceReloader(runtime: runtime, workspace: workspace, directory: folder.path, origins: ResourceOrigins(workspace: workspace))
        await reloader.prepare()
        try folder.write("Rules/main.json", #"""
        {"Queues": [{"QueueName": "q"}], "LogGroups": [{"LogGroupName": "/aws/events/new"}],
         "Rules": [{"Name": "r", "EventPattern": {"source": ["s"]},
                    "Targets": [{"Id": "l", "Arn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/new"}]}]}
        """#)
        let outcome = try #require(await reloader.check())
        #expect(outcome.status == .applied)
        #expect(outcome.lines.contains("log group /aws/events/new created"))
        _ = try runtime.router.putEvents([PutEventsEntry(source: "s", detailType: "T", detail: "{}")])
        await runtime.router.scheduler.settle()
        #expect(try runtime.logGroups.filter(group: "/aws/events/new").count == 1)
    }
}
