import Testing
@testable import EventRouter

@Suite struct WorkspaceValidationTests {
    static let q = "arn:aws:sqs:us-east-1:123456789012"

    /// A rule file with one queue `q1`, a dead-letter queue `dlq`, a FIFO queue and bus `orders`,
    /// plus the given rules (JSON text of the array's entries).
    static func file(rules: String, extraQueues: String = "") -> String {
        """
        {"EventBuses": [{"Name": "orders"}],
         "Queues": [{"QueueName": "q1"}, {"QueueName": "dlq"}, {"QueueName": "f.fifo", "FifoQueue": true}\(extraQueues)],
         "Rules": [\(rules)]}
        """
    }

    static func rule(_ targets: String, extra: String = "") -> String {
        #"{"Name": "r", "EventBusName": "orders", "EventPattern": {"source": ["shop"]}, "Targets": [\#(targets)]\#(extra)}"#
    }

    static func target(_ extra: String = "", arn: String = "\(q):q1") -> String {
        #"{"Id": "t", "Arn": "\#(arn)"\#(extra)}"#
    }

    func problems(_ text: String) -> [String] {
        WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: text)]).problems.map(\.description)
    }

    func expectOnly(_ text: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        // Compare the problems of the expected one's severity (a case may also raise a warning).
        let severity = expected.contains(": warning: ") ? ": warning: " : ": error: "
        let found = problems(text).filter { $0.contains(severity) }
        #expect(found == [expected], sourceLocation: sourceLocation)
    }

    @Test func aValidWorkspaceLoads() throws {
        let result = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.file(rules: Self.rule(Self.target())))])
        #expect(result.problems.isEmpty)
        let workspace = try #require(result.workspace)
        #expect(workspace.buses.map(\.arn) == ["arn:aws:events:us-east-1:123456789012:event-bus/orders", "arn:aws:events:us-east-1:123456789012:event-bus/default"])
        #expect(workspace.queues.map(\.name) == ["q1", "dlq", "f.fifo"])
        #expect(workspace.rules.first?.arn == "arn:aws:events:us-east-1:123456789012:rule/orders/r")
        #expect(workspace.rules.first?.targets.first?.retryPolicy == RetryPolicy(maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86_400))
    }

    @Test func fileDefaultsSetAccountAndRegion() throws {
        let text = #"{"Account": "111122223333", "Region": "eu-west-1", "Queues": [{"QueueName": "q"}], "Rules": [{"Name": "r", "EventPattern": "{\"source\":[\"s\"]}", "Targets": [{"Id": "t", "Arn": "arn:aws:sqs:eu-west-1:111122223333:q"}]}]}"#
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: text)]).workspace)
        #expect(workspace.rules.first?.arn == "arn:aws:events:eu-west-1:111122223333:rule/r")
        #expect(workspace.queues.first?.arn == "arn:aws:sqs:eu-west-1:111122223333:q")
        #expect(workspace.buses.contains { $0.arn == "arn:aws:events:eu-west-1:111122223333:event-bus/default" })
    }

    @Test(arguments: [
        (file(rules: rule(target(), extra: #", "Targts": []"#)),
         "Rules/a.json: $.Rules[0].Targts: error: unknown key 'Targts' in a rule (did you mean 'Targets'?); allowed: Name, EventBusName, State, EventPattern, Description, Targets, RoleArn, ScheduleExpression, CreatedBy, Account"),
        (file(rules: rule(target(#", "RetryPolicy": {"MaximumRetryAttempts": 200}"#))),
         "Rules/a.json: $.Rules[0].Targets[0].RetryPolicy.MaximumRetryAttempts: error: 'MaximumRetryAttempts' must be between 0 and 185, got 200"),
        (file(rules: rule(target(#", "RetryPolicy": {"MaximumEventAgeInSeconds": 59}"#))),
         "Rules/a.json: $.Rules[0].Targets[0].RetryPolicy.MaximumEventAgeInSeconds: error: 'MaximumEventAgeInSeconds' must be between 60 and 86400, got 59"),
        (file(rules: rule(target(#", "RetryPolicy": {"MaximumEventAgeInSeconds": 86401}"#))),
         "Rules/a.json: $.Rules[0].Targets[0].RetryPolicy.MaximumEventAgeInSeconds: error: 'MaximumEventAgeInSeconds' must be between 60 and 86400, got 86401"),
        (file(rules: rule(target(arn: "arn:aws:sqs:us-east-1:12345:q1"))),
         "Rules/a.json: $.Rules[0].Targets[0].Arn: error: malformed ARN 'arn:aws:sqs:us-east-1:12345:q1': account '12345' is not a 12-digit account id; expected arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE"),
        (file(rules: rule(target(arn: "\(q):q2"))),
         "Rules/a.json: $.Rules[0].Targets[0].Arn: error: arn:aws:sqs:us-east-1:123456789012:q2 names the queue 'q2', which no rule file declares in account 123456789012 (did you mean 'q1'?); declare it under Queues"),
        (file(rules: rule(target(arn: "\(q):f.fifo"))),
         "Rules/a.json: $.Rules[0].Targets[0]: error: the target is a FIFO queue, so it needs SqsParameters.MessageGroupId"),
        (file(rules: rule(target(#", "DeadLetterConfig": {"Arn": "\#(q):f.fifo"}"#))),
         "Rules/a.json: $.Rules[0].Targets[0].DeadLetterConfig.Arn: error: dead-letter queue 'f.fifo' is a FIFO queue; EventBridge dead-letter queues must be standard queues"),
        (file(rules: rule(target(#", "DeadLetterConfig": {"Arn": "arn:aws:sns:us-east-1:123456789012:t"}"#))),
         "Rules/a.json: $.Rules[0].Targets[0].DeadLetterConfig.Arn: error: a dead-letter queue must be an SQS queue ARN, not a topic ARN"),
        (file(rules: rule(target(#", "DeadLetterConfig": {"Arn": "\#(q):nope"}"#))),
         "Rules/a.json: $.Rules[0].Targets[0].DeadLetterConfig.Arn: error: arn:aws:sqs:us-east-1:123456789012:nope names the queue 'nope', which no rule file declares in account 123456789012; declare it under Queues"),
        (file(rules: rule(target(#", "Input": "{}", "InputPath": "$.detail""#))),
         "Rules/a.json: $.Rules[0].Targets[0]: error: a target may set only one of Input, InputPath and InputTransformer; this one sets Input and InputPath"),
        (file(rules: rule(target(#", "InputTransformer": {"InputPathsMap": {"id": "$.detail.id"}, "InputTemplate": "{\"a\": <idd>}"}"#))),
         "Rules/a.json: $.Rules[0].Targets[0].InputTransformer: error: InputTemplate uses <idd>, which is not a key of InputPathsMap (did you mean <id>?)"),
        (file(rules: rule(target(#", "Input": "{nope"#.appending("\"")))),
         "Rules/a.json: $.Rules[0].Targets[0].Input: error: Input must be JSON text: invalid JSON at byte 1: expected a string key in the object, found 'n'"),
        (file(rules: rule([String](repeating: target(), count: 6).enumerated().map { $1.replacingFirst("\"t\"", with: "\"t\($0)\"") }.joined(separator: ","))),
         "Rules/a.json: $.Rules[0].Targets: error: a rule may have at most 5 targets; this one has 6"),
        (file(rules: rule(target() + "," + target())),
         "Rules/a.json: $.Rules[0].Targets[1].Id: error: duplicate target Id 't' in this rule"),
        (file(rules: rule(target()) + "," + rule(target())),
         "Rules/a.json: $.Rules[1].Name: error: duplicate rule 'r' on bus 'orders' (first declared at Rules/a.json: $.Rules[0])"),
        (file(rules: rule(target()), extraQueues: #", {"QueueName": "q1"}"#),
         "Rules/a.json: $.Queues[3].QueueName: error: duplicate queue 'q1' in account 123456789012 (first declared in Rules/a.json)"),
        (file(rules: #"{"Name": "r", "EventBusName": "ordrs", "EventPattern": {"source": ["s"]}}"#),
         "Rules/a.json: $.Rules[0].EventBusName: error: EventBusName 'ordrs' is not a bus of account 123456789012 in us-east-1; declare it under EventBuses (did you mean 'orders'?)"),
        (file(rules: #"{"Name": "r", "EventPattern": {"source": "shop"}}"#),
         "Rules/a.json: $.Rules[0].EventPattern: error: invalid EventPattern: \(patternError(#"{"source": "shop"}"#))"),
        (file(rules: #"{"Name": "r", "EventPattern": {"source": ["s"]}, "State": "ON"}"#),
         "Rules/a.json: $.Rules[0].State: error: 'State' must be one of ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS, got 'ON'"),
        (file(rules: #"{"Name": "r"}"#),
         "Rules/a.json: $.Rules[0]: error: missing required key 'EventPattern' (or 'ScheduleExpression' for a scheduled rule)"),
        (file(rules: #"{"Name": "r", "ScheduleExpression": "rate(1 minutes)"}"#),
         "Rules/a.json: $.Rules[0].ScheduleExpression: error: Parameter ScheduleExpression is not valid: a rate of 1 takes the singular unit: rate(1 minute) (in 'rate(1 minutes)')"),
        (file(rules: #"{"Name": "r", "ScheduleExpression": "cron(0 12 * * * *)"}"#),
         "Rules/a.json: $.Rules[0].ScheduleExpression: error: Parameter ScheduleExpression is not valid: \(scheduleError("cron(0 12 * * * *)")) (in 'cron(0 12 * * * *)')"),
        (file(rules: #"{"Name": "r", "EventBusName": "orders", "ScheduleExpression": "rate(5 minutes)"}"#),
         "Rules/a.json: $.Rules[0].ScheduleExpression: error: ScheduleExpression is supported only on the default event bus (this rule is on 'orders'); move the rule to the default bus or remove the schedule"),
        (file(rules: #"{"Name": "r", "ScheduleExpression": 5}"#),
         "Rules/a.json: $.Rules[0].ScheduleExpression: error: ScheduleExpression must be a string such as \"rate(5 minutes)\", not number"),
        (file(rules: rule(target(arn: "arn:aws:states:us-east-1:123456789012:stateMachine:x"))),
         "Rules/a.json: $.Rules[0].Targets[0].Arn: error: arn:aws:states:us-east-1:123456789012:stateMachine:x targets a Step Functions state machine, which EventRouter does not run; pass --stand-in-queue NAME to route its deliveries to a stand-in queue so the rest of the workspace runs"),
        (file(rules: rule(target(arn: "arn:aws:dynamodb:us-east-1:123456789012:table/x"))),
         "Rules/a.json: $.Rules[0].Targets[0].Arn: error: EventRouter cannot deliver to dynamodb resources; targets may be SQS queues, SNS topics, Kinesis streams, Lambda functions or event buses"),
        (file(rules: rule(target(#", "SqsParameters": {"MessageGroupId": "g"}"#, arn: "arn:aws:lambda:us-east-1:999999999999:function:f"))),
         "Rules/a.json: $.Rules[0].Targets[0].SqsParameters: error: SqsParameters only apply to SQS queue and SNS FIFO topic targets"),
        (#"{"EventBuses": [{"Name": "orders"}, {"Name": "orders"}]}"#,
         "Rules/a.json: $.EventBuses[1].Name: error: duplicate event bus 'orders' in account 123456789012 (first declared at Rules/a.json: $.EventBuses[0])"),
        (#"{"Queus": []}"#,
         "Rules/a.json: $.Queus: error: unknown key 'Queus' in a rule file (did you mean 'Queues'?); allowed: Account, Region, Accounts, EventBuses, Queues, Topics, Streams, Rules, Archives, EventSourceMappings, DeliveryStreams, Connections, ApiDestinations, LogGroups"),
        (#"{"Account": "42"}"#, "Rules/a.json: $.Account: error: 'Account' must be a 12-digit account id, got '42'"),
        (#"{"Rules": {}}"#, "Rules/a.json: $.Rules: error: 'Rules' must be an array of objects, not object"),
        (#"{"Rules": [1]}"#, "Rules/a.json: $.Rules[0]: error: each entry of 'Rules' must be an object, not number"),
        (#"{"Rules": [], "Rules": []}"#, "Rules/a.json: $: error: not valid JSON: invalid JSON at byte 14: duplicate key \"Rules\" in object"),
        (#"{"Queues": [{"QueueName": "a", "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:zz", "maxReceiveCount": 2}}]}"#,
         "Rules/a.json: $.Queues[?(@.QueueName=='a')].RedrivePolicy.deadLetterTargetArn: error: arn:aws:sqs:us-east-1:123456789012:zz names the queue 'zz', which no rule file declares in account 123456789012; declare it under Queues"),
    ])
    func eachProblemHasFilePathAndReason(text: String, expected: String) {
        expectOnly(text, expected)
    }

    static func scheduleError(_ text: String) -> String {
        do throws(ScheduleExpressionError) {
            _ = try ScheduleExpression(parsing: text)
            return "valid"
        } catch { return error.reason }
    }

    static func patternError(_ text: String) -> String {
        do {
            _ = try EventPattern(parsing: text)
            return "(valid)"
        } catch {
            return "\(error)"
        }
    }

    @Test func patternErrorsComeFromThePatternEngine() {
        let message = Self.patternError(#"{"source": "shop"}"#)
        #expect(message.contains("InvalidEventPatternException"))
        #expect(message.contains("source"))
    }

    @Test func queueSettingsAreCheckedByTheQueueEngine() {
        let found = problems(#"{"Queues": [{"QueueName": "a", "VisibilityTimeout": 99999}]}"#)
        #expect(found.count == 1)
        #expect(found.first == "Rules/a.json: $.Queues[0].VisibilityTimeout: error: 'VisibilityTimeout' must be between 0 and 43200, got 99999")
        let unknown = problems(#"{"Queues": [{"QueueName": "a", "VisibilityTimout": 5}]}"#)
        #expect(unknown.first?.contains("unknown key 'VisibilityTimout' in a queue (did you mean 'VisibilityTimeout'?)") == true)
    }

    @Test func everyProblemIsReportedAtOnceAndNothingLoads() {
        let text = Self.file(rules: Self.rule(Self.target(#", "RetryPolicy": {"MaximumRetryAttempts": -1}, "Colour": 1"#, arn: "\(Self.q):missing"))
            + "," + #"{"Name": "bad name!", "EventPattern": {"a": []}}"#)
        let result = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: text), (name: "Rules/b.json", text: "{")])
        #expect(result.workspace == nil)
        let errors = result.problems.filter { $0.severity == .error }
        #expect(errors.count >= 6)
        #expect(result.problems.contains { $0.path == "$.Rules[0].Targets[0].Colour" })
        #expect(result.problems.contains { $0.path == "$.Rules[0].Targets[0].Arn" })
        #expect(result.problems.contains { $0.path == "$.Rules[0].Targets[0].RetryPolicy.MaximumRetryAttempts" })
        #expect(result.problems.contains { $0.path == "$.Rules[1].Name" && $0.message == "'Name' must be 1 to 64 letters, digits, '.', '_' or '-', got 'bad name!'" })
        #expect(result.problems.contains { $0.path == "$.Rules[1].EventPattern" })
        #expect(result.problems.contains { $0.file == "Rules/b.json" && $0.path == "$" })
    }

    @Test func unknownAccountsAndNotYetDeliveredKindsAreWarnings() throws {
        let text = Self.file(rules: Self.rule(
            Self.target(arn: "arn:aws:sqs:us-east-1:999999999999:theirs") + ","
                + #"{"Id": "f", "Arn": "arn:aws:lambda:us-east-1:123456789012:function:fn"}"#))
        // Function targets are delivered now (wiring): a declared function is no warning.
        let result = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: text)], functions: [FunctionManifest(name: "fn")])
        #expect(result.workspace != nil)
        #expect(result.problems.map(\.description) == [
            "Rules/a.json: $.Rules[0].Targets[0].Arn: warning: account 999999999999 is not in this workspace, so arn:aws:sqs:us-east-1:999999999999:theirs cannot be checked; deliveries to it fail with NO_RESOURCE",
        ])
    }

    @Test func eventSourceMappingsAreValidatedForKnownKeys() {
        // Every section runs now (topics, streams and mappings: wiring; archives: accounts).
        let found = problems(#"{"EventSourceMappings": [{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:q", "FunctionName": "f", "BatchSise": 1}]}"#)
        #expect(found.first == "Rules/a.json: $.EventSourceMappings[0].BatchSise: error: unknown key 'BatchSise' in an entry of EventSourceMappings (did you mean 'BatchSize'?); allowed: EventSourceArn, FunctionName, BatchSize, MaximumBatchingWindowInSeconds, StartingPosition, StartingPositionTimestamp, FunctionResponseTypes, BisectBatchOnFunctionError, MaximumRetryAttempts, MaximumRecordAgeInSeconds, DestinationConfig, Enabled")
    }

    @Test func aMissingRulesFolderIsAnError() {
        let result = WorkspaceLoader.validate(directory: "/nonexistent-eventrouter-workspace")
        #expect(result.workspace == nil)
        #expect(result.problems.first?.message == "no Rules/ folder here; pass --workspace DIR with the folder that holds Rules/ and Functions/")
    }

    @Test func theRepositoryWorkspaceValidates() throws {
        // Tests/EventRouterTests/ThisFile.swift → repository root.
        let root = String(#filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/"))
        let result = WorkspaceLoader.validate(directory: root)
        #expect(result.problems.filter { $0.severity == .error }.isEmpty, "\(result.problems)")
        let workspace = try #require(result.workspace)
        #expect(workspace.rules.count >= 5)
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let r = range(of: target) else { return self }
        return replacingCharacters(in: r, with: replacement)
    }
}
