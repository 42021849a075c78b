import Testing
@testable import EventRouter

/// Scheduled rules firing on virtual time: counts, times, the event's shape, delivery through
/// the target's input shaping, and rules that change while the clock runs.
@Suite struct ScheduleRunnerTests {
    static let queue = "arn:aws:sqs:us-east-1:123456789012:ticks"
    static let start = Timestamp(iso8601: "2024-01-01T00:00:00Z")!  // a Monday

    /// A workspace with one queue and the given rules (JSON objects) on the default bus.
    static func workspace(_ rules: [String]) throws -> Workspace {
        let text = #"{"Queues": [{"QueueName": "ticks", "MessageRetentionPeriod": 1209600}, {"QueueName": "other", "MessageRetentionPeriod": 1209600}], "Rules": ["# + rules.joined(separator: ",") + "]}"
        let result = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: text)])
        #expect(result.problems.map(\.description) == [])
        return try #require(result.workspace)
    }

    static func rule(_ name: String, _ schedule: String, state: String = "ENABLED", target: String = queue, extra: String = "") -> String {
        #"{"Name": "\#(name)", "State": "\#(state)", "ScheduleExpression": "\#(schedule)", "Targets": [{"Id": "t", "Arn": "\#(target)"\#(extra)}]}"#
    }

    static func runtime(_ rules: [String], until: Timestamp?) throws -> (RouterRuntime, ManualClock) {
        let clock = ManualClock(start: start)
        let runtime = try RouterRuntime(workspace: try workspace(rules), clock: .virtual(clock), seed: 7,
                                        schedules: .window(start: start, until: until))
        return (runtime, clock)
    }

    static func bodies(_ runtime: RouterRuntime, _ arn: String = queue) -> [JSONValue] {
        let messages = runtime.queues.queue(arn: arn)?.stateJSON()["messages"]?.arrayValue ?? []
        return messages.compactMap { $0["Body"]?.stringValue }.compactMap { try? JSONParser.parse($0) }
    }

    static func times(_ runtime: RouterRuntime, _ arn: String = queue) -> [String] {
        bodies(runtime, arn).compactMap { $0["time"]?.stringValue }
    }

    /// Runs the window and settles, like `replay --virtual-time --start --until`.
    static func runWindow(_ rules: [String], until: String) async throws -> RouterRuntime {
        let end = try #require(Timestamp(iso8601: until))
        let (runtime, _) = try runtime(rules, until: end)
        var limits = SettleLimits()
        limits.maximumVirtualTime = .seconds(6 * 366 * 86_400)
        let ran = await runtime.run(until: end, limits: limits)
        #expect(ran.problem == nil)
        let settled = await runtime.settle()
        #expect(settled.settled)
        return runtime
    }

    @Test func aWeekOfSchedulesFiresAnExactCountDeterministically() async throws {
        let rules = [
            Self.rule("hourly", "rate(1 hour)"),
            Self.rule("noon", "cron(0 12 * * ? *)", target: "arn:aws:sqs:us-east-1:123456789012:other"),
            Self.rule("weekdays", "cron(0/15 * ? * MON-FRI *)", target: "arn:aws:sqs:us-east-1:123456789012:other"),
            Self.rule("off", "rate(1 minute)", state: "DISABLED"),
        ]
        let runtime = try await Self.runWindow(rules, until: "2024-01-08T00:00:00Z")
        // rate(1 hour) from 00:00: 01:00 … the 168th hour, which is the window's end (inclusive).
        let hourly = Self.times(runtime)
        #expect(hourly.count == 168)
        #expect(hourly.first == "2024-01-01T01:00:00Z")
        #expect(hourly.last == "2024-01-08T00:00:00Z")
        // Noon on 7 days; every quarter hour Monday to Friday (5 × 96) plus Monday 8th 00:00.
        let other = Self.times(runtime, "arn:aws:sqs:us-east-1:123456789012:other")
        #expect(other.filter { $0.hasSuffix("T12:00:00Z") }.count == 7 + 5)
        #expect(other.count == 7 + 5 * 96 + 1)
        #expect(runtime.schedules?.firings == 168 + 7 + 481)
        #expect(runtime.router.scheduler.statistics.succeeded == 168 + 7 + 481)
        // The disabled rule never fired.
        #expect(runtime.schedules?.recentFirings.contains { $0.ruleArn.hasSuffix("rule/off") } == false)
        // Same seed, same ids.
        let again = try await Self.runWindow(rules, until: "2024-01-08T00:00:00Z")
        #expect(Self.bodies(again) == Self.bodies(runtime))
    }

    @Test func theScheduledEventHasAWSsShape() async throws {
        let runtime = try await Self.runWindow([Self.rule("hourly", "rate(1 hour)")], until: "2024-01-01T01:00:00Z")
        let body = try #require(Self.bodies(runtime).first)
        let id = try #require(body["id"]?.stringValue)
        let expected = try JSONParser.parse(#"""
            {"version": "0", "id": "\#(id)", "detail-type": "Scheduled Event", "source": "aws.events", "account": "123456789012",
             "time": "2024-01-01T01:00:00Z", "region": "us-east-1", "resources": ["arn:aws:events:us-east-1:123456789012:rule/hourly"],
             "detail": {}}
            """#)
        #expect(body == expected)
        #expect(id.count == 36)
    }

    @Test func aFiringGoesThroughTheTargetsInputShaping() async throws {
        let shaped = Self.rule("noon", "cron(0 12 * * ? *)", extra: #", "InputTransformer": {"InputPathsMap": {"t": "$.time", "r": "$.resources[0]"}, "InputTemplate": "{\"at\": <t>, \"rule\": <r>, \"name\": \"<aws.events.rule-name>\"}"}"#)
        let runtime = try await Self.runWindow([shaped], until: "2024-01-02T12:00:00Z")
        #expect(Self.bodies(runtime) == [
            ["at": "2024-01-01T12:00:00Z", "rule": "arn:aws:events:us-east-1:123456789012:rule/noon", "name": "noon"],
            ["at": "2024-01-02T12:00:00Z", "rule": "arn:aws:events:us-east-1:123456789012:rule/noon", "name": "noon"],
        ])
    }

    @Test func aFiringReachesOnlyItsOwnRulesTargets() async throws {
        // A pattern rule for aws.events on the same bus is not matched against scheduled events.
        let watcher = #"{"Name": "watcher", "EventPattern": {"source": ["aws.events"]}, "Targets": [{"Id": "t", "Arn": "arn:aws:sqs:us-east-1:123456789012:other"}]}"#
        let runtime = try await Self.runWindow([Self.rule("hourly", "rate(1 hour)"), watcher], until: "2024-01-01T03:00:00Z")
        #expect(Self.times(runtime).count == 3)
        #expect(Self.times(runtime, "arn:aws:sqs:us-east-1:123456789012:other") == [])
        #expect(runtime.router.statistics.ruleMatches == 0)
    }

    struct Window: Sendable, CustomTestStringConvertible {
        var expression: String
        var until: String
        var expected: [String]
        var testDescription: String { expression }
    }

    /// Firing times of awkward cron expressions through the runner, from 2024-01-01T00:00:00Z
    /// (dates checked with Python's calendar). Read from the runner: over years, queue
    /// messages would outlive their retention.
    static let windows: [Window] = [
        // The last day of each month across a leap February.
        Window(expression: "cron(0 0 L * ? *)", until: "2024-04-01T00:00:00Z",
               expected: ["2024-01-31T00:00:00Z", "2024-02-29T00:00:00Z", "2024-03-31T00:00:00Z"]),
        // The weekday nearest the 1st: 2024-06-01 is a Saturday, so Friday 31 May is not in June: Monday 3 June.
        Window(expression: "cron(30 8 1W * ? *)", until: "2024-07-01T00:00:00Z",
               expected: ["2024-01-01T08:30:00Z", "2024-02-01T08:30:00Z", "2024-03-01T08:30:00Z", "2024-04-01T08:30:00Z",
                          "2024-05-01T08:30:00Z", "2024-06-03T08:30:00Z"]),
        // The last weekday of the month: 2024-03-31 is a Sunday.
        Window(expression: "cron(0 17 LW 3 ? *)", until: "2025-01-01T00:00:00Z", expected: ["2024-03-29T17:00:00Z"]),
        // The third Friday.
        Window(expression: "cron(0 9 ? * 6#3 *)", until: "2024-03-31T00:00:00Z",
               expected: ["2024-01-19T09:00:00Z", "2024-02-16T09:00:00Z", "2024-03-15T09:00:00Z"]),
        // The last Sunday, by name.
        Window(expression: "cron(0 1 ? * SUNL *)", until: "2024-03-01T00:00:00Z", expected: ["2024-01-28T01:00:00Z", "2024-02-25T01:00:00Z"]),
        // Day-of-week names, a range wrapping the week end.
        Window(expression: "cron(0 6 ? * SAT-MON *)", until: "2024-01-09T00:00:00Z",
               expected: ["2024-01-01T06:00:00Z", "2024-01-06T06:00:00Z", "2024-01-07T06:00:00Z", "2024-01-08T06:00:00Z"]),
        // Leap day only, in a year range.
        Window(expression: "cron(0 0 29 FEB ? 2024-2029)", until: "2029-12-31T00:00:00Z", expected: ["2024-02-29T00:00:00Z", "2028-02-29T00:00:00Z"]),
        // Month boundaries: the 31st only exists in some months.
        Window(expression: "cron(0 0 31 * ? 2024)", until: "2024-06-30T00:00:00Z",
               expected: ["2024-01-31T00:00:00Z", "2024-03-31T00:00:00Z", "2024-05-31T00:00:00Z"]),
        // A year that is past the window fires nothing; the window's start is inclusive.
        Window(expression: "cron(0 0 1 1 ? 2023)", until: "2024-02-01T00:00:00Z", expected: []),
        Window(expression: "cron(0 0 1 JAN ? 2024)", until: "2024-02-01T00:00:00Z", expected: ["2024-01-01T00:00:00Z"]),
        // rate in days counts from the start.
        Window(expression: "rate(2 days)", until: "2024-01-07T00:00:00Z",
               expected: ["2024-01-03T00:00:00Z", "2024-01-05T00:00:00Z", "2024-01-07T00:00:00Z"]),
    ]

    @Test(arguments: windows)
    func awkwardSchedulesFireAtTheirMinutes(_ window: Window) async throws {
        let runtime = try await Self.runWindow([Self.rule("r", window.expression)], until: window.until)
        #expect(runtime.schedules?.recentFirings.map(\.time.iso8601) == window.expected)
        #expect(runtime.router.scheduler.statistics.succeeded == window.expected.count)
    }

    @Test func rulesChangedWhileTheClockRunsStartAndStopFiring() async throws {
        let (runtime, clock) = try Self.runtime([], until: nil)
        var rule = RuleDefinition(name: "late", account: "123456789012", region: "us-east-1", pattern: EventPattern(alternatives: []),
                                  targets: [TargetDefinition(id: "t", arn: Self.queue)])
        rule.scheduleExpression = "rate(10 minutes)"
        await runtime.run(until: Self.start + .seconds(1_800))
        #expect(Self.times(runtime) == [])
        // Created at 00:30: fires at 00:40 and 00:50.
        try runtime.router.putRule(rule)
        await runtime.run(until: Self.start + .seconds(3_000))
        #expect(Self.times(runtime) == ["2024-01-01T00:40:00Z", "2024-01-01T00:50:00Z"])
        // Disabled: no more firings; enabled again at 01:05: counts from then.
        rule.enabled = false
        try runtime.router.putRule(rule)
        await runtime.run(until: Self.start + .seconds(3_900))
        #expect(Self.times(runtime).count == 2)
        rule.enabled = true
        try runtime.router.putRule(rule)
        await runtime.run(until: Self.start + .seconds(4_500))
        #expect(Self.times(runtime).suffix(1) == ["2024-01-01T01:15:00Z"])
        // Deleted: no more.
        runtime.router.removeRule(named: "late", busArn: rule.busArn)
        await runtime.run(until: Self.start + .seconds(7_200))
        #expect(Self.times(runtime).count == 3)
        #expect(clock.now == Self.start + .seconds(7_200))
        _ = await runtime.settle()
    }

    @Test func aRuntimeWithoutAWindowDoesNotFireOnVirtualTime() async throws {
        let clock = ManualClock(start: Self.start)
        let runtime = try RouterRuntime(workspace: try Self.workspace([Self.rule("hourly", "rate(1 hour)")]), clock: .virtual(clock), seed: 1)
        #expect(runtime.schedules == nil)
        await runtime.run(until: Self.start + .seconds(7_200))
        #expect(Self.times(runtime) == [])
    }

    @Test func aFailingTargetIsDeadLetteredLikeAnyDelivery() async throws {
        // The target queue is deleted before the window runs: NO_RESOURCE goes to the dead-letter queue.
        let rule = Self.rule("hourly", "rate(1 hour)", extra: #", "Input": "{\"x\": 1}", "DeadLetterConfig": {"Arn": "arn:aws:sqs:us-east-1:123456789012:other"}"#)
        let end = try #require(Timestamp(iso8601: "2024-01-01T02:00:00Z"))
        let (runtime, _) = try Self.runtime([rule], until: end)
        try runtime.queues.deleteQueue("ticks")
        await runtime.run(until: end)
        _ = await runtime.settle()
        #expect(runtime.router.scheduler.statistics.deadLettered == 2)
        #expect(Self.bodies(runtime, "arn:aws:sqs:us-east-1:123456789012:other").count == 2)
    }
}
