import Testing
@testable import EventRouter

/// Validation of streams, functions, their targets and the functions' destinations.
@Suite struct WiringValidationTests {
    static let fn = "arn:aws:lambda:us-east-1:123456789012:function"

    static func problems(_ text: String, functions: [FunctionManifest] = []) -> [String] {
        WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: text)], functions: functions).problems.map(\.description)
    }

    static func rule(_ target: String) -> String {
        #"{"Streams": [{"Name": "order-events"}], "Queues": [{"QueueName": "ok"}, {"QueueName": "audit.fifo", "FifoQueue": true}], "Rules": [{"Name": "r", "EventPattern": {"source": ["s"]}, "Targets": [\#(target)]}]}"#
    }

    @Test func declaredStreamAndFunctionTargetsValidateWithoutWarnings() throws {
        let text = Self.rule(#"{"Id": "s", "Arn": "arn:aws:kinesis:us-east-1:123456789012:stream/order-events", "KinesisParameters": {"PartitionKeyPath": "$.detail.id"}}, {"Id": "f", "Arn": "\#(Self.fn):echo"}, {"Id": "l", "Arn": "\#(Self.fn):echo:$LATEST"}"#)
        let result = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: text)], functions: [FunctionManifest(name: "echo")])
        #expect(result.problems.isEmpty, "\(result.problems)")
        let workspace = try #require(result.workspace)
        #expect(workspace.streams.map(\.arn) == ["arn:aws:kinesis:us-east-1:123456789012:stream/order-events"])
        #expect(workspace.functions.map(\.name) == ["echo"])
        #expect(workspace.declarations.isEmpty)
    }

    @Test(arguments: [
        (#"{"Id": "s", "Arn": "arn:aws:kinesis:us-east-1:123456789012:stream/order-event"}"#,
         "Rules/a.json: $.Rules[0].Targets[0].Arn: error: arn:aws:kinesis:us-east-1:123456789012:stream/order-event names the stream 'order-event', which no rule file declares in account 123456789012 (did you mean 'order-events'?); declare it under Streams"),
        (#"{"Id": "f", "Arn": "arn:aws:lambda:us-east-1:123456789012:function:ecko"}"#,
         "Rules/a.json: $.Rules[0].Targets[0].Arn: error: arn:aws:lambda:us-east-1:123456789012:function:ecko names the function 'ecko', which Functions/ does not hold for account 123456789012 (did you mean 'echo'?); add Functions/ecko/function.json"),
        (#"{"Id": "f", "Arn": "arn:aws:lambda:us-east-1:123456789012:function:echo:prod"}"#,
         "Rules/a.json: $.Rules[0].Targets[0].Arn: error: function 'echo' has no alias or version 'prod' (aliases: none); declare it in Functions/echo/function.json as \"Aliases\": {\"prod\": \"$LATEST\"}, or use :$LATEST"),
        (#"{"Id": "s", "Arn": "arn:aws:kinesis:us-east-1:123456789012:stream/order-events", "KinesisParameters": {"PartitionKeyPath": "detail.id"}}"#,
         "Rules/a.json: $.Rules[0].Targets[0].KinesisParameters.PartitionKeyPath: error: invalid JSONPath 'detail.id': it must start with '$'"),
        (#"{"Id": "s", "Arn": "arn:aws:kinesis:us-east-1:222222222222:stream/theirs"}"#,
         "Rules/a.json: $.Rules[0].Targets[0].Arn: warning: account 222222222222 is not in this workspace, so arn:aws:kinesis:us-east-1:222222222222:stream/theirs cannot be checked; deliveries to it fail with NO_RESOURCE"),
    ])
    func streamAndFunctionTargetProblems(target: String, message: String) {
        #expect(Self.problems(Self.rule(target), functions: [FunctionManifest(name: "echo")]) == [message])
    }

    @Test(arguments: [
        (#"{"Name": "s", "ShardCount": 0}"#,
         "Rules/a.json: $.Streams[0]: error: Streams entry 's': 'ShardCount' must be a whole number from 1 to 500, got 0"),
        (#"{"Name": "s", "ShardCont": 2}"#,
         "Rules/a.json: $.Streams[0].ShardCont: error: unknown key 'ShardCont' in a stream (did you mean 'ShardCount'?); allowed: Name, ShardCount, RetentionPeriodHours, Tags, StreamEncryption, StreamModeDetails, DesiredShardLevelMetrics"),
        (#"{"Name": "bad name"}"#,
         "Rules/a.json: $.Streams[0]: error: stream name 'bad name' is invalid: use 1–128 characters from a-z, A-Z, 0-9, '_', '.', '-'"),
        (#"{"ShardCount": 1}"#,
         "Rules/a.json: $.Streams[0]: error: Streams entry: missing required key 'Name' (the stream name)"),
    ])
    func streamDeclarationProblems(stream: String, message: String) {
        #expect(Self.problems(#"{"Streams": [\#(stream)]}"#) == [message])
    }

    @Test func aDuplicateStreamIsAnError() {
        #expect(Self.problems(#"{"Streams": [{"Name": "s"}, {"Name": "s"}]}"#) == [
            "Rules/a.json: $.Streams[1].Name: error: duplicate stream 's' in account 123456789012 (first declared in Rules/a.json)",
        ])
    }

    @Test(arguments: [
        (FunctionManifest(name: "f", onSuccessDestination: "arn:aws:sqs:us-east-1:123456789012:okk"),
         "Functions/f/function.json: $.DestinationConfig.OnSuccess.Destination: error: arn:aws:sqs:us-east-1:123456789012:okk names the queue 'okk', which no rule file declares in account 123456789012 (did you mean 'ok'?); declare it under Queues in a rule file"),
        (FunctionManifest(name: "f", onFailureDestination: "arn:aws:sqs:us-east-1:123456789012:audit.fifo"),
         "Functions/f/function.json: $.DestinationConfig.OnFailure.Destination: error: queue 'audit.fifo' is a FIFO queue; Lambda destinations and dead-letter queues must be standard queues"),
        (FunctionManifest(name: "f", onSuccessDestination: "arn:aws:events:us-east-1:123456789012:event-bus/order"),
         "Functions/f/function.json: $.DestinationConfig.OnSuccess.Destination: error: arn:aws:events:us-east-1:123456789012:event-bus/order names the event bus 'order', which no rule file declares in account 123456789012; declare it under EventBuses in a rule file"),
        (FunctionManifest(name: "f", onSuccessDestination: "\(fn):f"),
         "Functions/f/function.json: $.DestinationConfig.OnSuccess.Destination: error: a function cannot be its own destination"),
        (FunctionManifest(name: "f", onSuccessDestination: "\(fn):g"),
         "Functions/f/function.json: $.DestinationConfig.OnSuccess.Destination: error: arn:aws:lambda:us-east-1:123456789012:function:g names the function 'g', which Functions/ does not hold for account 123456789012; add Functions/g/function.json"),
        (FunctionManifest(name: "f", deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:nope"),
         "Functions/f/function.json: $.DeadLetterConfig.TargetArn: error: arn:aws:sqs:us-east-1:123456789012:nope names the queue 'nope', which no rule file declares in account 123456789012; declare it under Queues in a rule file"),
        (FunctionManifest(name: "f", onSuccessDestination: "arn:aws:sns:us-east-1:999999999999:t"),
         "Functions/f/function.json: $.DestinationConfig.OnSuccess.Destination: warning: account 999999999999 is not in this workspace, so arn:aws:sns:us-east-1:999999999999:t cannot be checked; records sent there are counted as destination failures"),
    ])
    func functionDestinationProblems(function: FunctionManifest, message: String) {
        #expect(Self.problems(#"{"Queues": [{"QueueName": "ok"}, {"QueueName": "audit.fifo", "FifoQueue": true}]}"#, functions: [function]) == [message])
    }

    @Test func manifestProblemsAndMissingSwiftHandlersAreReportedWithFileAndPath() throws {
        let folder = try FunctionTempFolder()
        try folder.write("Rules/a.json", "{}")
        try folder.write("Functions/bad/function.json", #"{"Runtime": "process", "Handler": "h.sh", "MaximumRetryAttempts": 5}"#)
        try folder.write("Functions/bad/h.sh", "#!/bin/sh\ncat\n", executable: true)
        try folder.write("Functions/swifty/function.json", #"{"Runtime": "swift", "Handler": "Missing"}"#)
        let registry = SwiftFunctionRegistry()
        registry.register("Present") { payload, _ in payload }
        let result = WorkspaceLoader.validate(directory: folder.path, functionRegistry: registry)
        #expect(result.workspace == nil)
        #expect(result.problems.map(\.description) == [
            "Functions/bad/function.json: $.MaximumRetryAttempts: error: 'MaximumRetryAttempts' must be between 0 and 2, got 5",
            "Functions/swifty/function.json: $.Handler: error: no Swift handler named 'Missing' is compiled into this build (compiled in: Present); name the handler type, and rebuild after adding a .swift file",
        ])
        // Without a registry (e.g. a library user with no compiled-in handlers) the Swift function is accepted.
        #expect(WorkspaceLoader.validate(directory: folder.path).problems.count == 1)
    }
}
