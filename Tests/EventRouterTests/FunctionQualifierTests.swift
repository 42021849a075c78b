import Testing
@testable import EventRouter

/// Issue 17 item 8: `function:NAME:ALIAS`, `:$LATEST` and `:VERSION` targets; one function
/// folder answers every qualifier its manifest declares, and the record carries the qualified ARN.
@Suite struct FunctionQualifierTests {
    static func manifest(_ aliases: String) throws -> FunctionManifest {
        try FunctionManifest(json: #"{"Runtime": "swift", "Handler": "Double", "Aliases": \#(aliases)}"#, folder: "Functions/double")
    }

    @Test func aliasesAreAnObjectOrAList() throws {
        let object = try Self.manifest(#"{"live": "1", "beta": "$LATEST"}"#)
        #expect(object.executedVersion(for: nil) == "$LATEST")
        #expect(object.executedVersion(for: "$LATEST") == "$LATEST")
        #expect(object.executedVersion(for: "live") == "1")
        #expect(object.executedVersion(for: "beta") == "$LATEST")
        #expect(object.executedVersion(for: "1") == "1")
        #expect(object.executedVersion(for: "2") == nil)
        #expect(object.executedVersion(for: "prod") == nil)
        let list = try Self.manifest(#"["live", "beta"]"#)
        #expect(list.executedVersion(for: "live") == "$LATEST")
        #expect(list.aliasList == "live (→ $LATEST), beta (→ $LATEST)")
        #expect(FunctionManifest.splitQualifier("arn:aws:lambda:us-east-1:123456789012:function:f:live") == ("arn:aws:lambda:us-east-1:123456789012:function:f", "live"))
        #expect(FunctionManifest.splitQualifier("f:7") == ("f", "7"))
        #expect(FunctionManifest.splitQualifier("123456789012:function:f:$LATEST") == ("123456789012:function:f", "$LATEST"))
        #expect(FunctionManifest.splitQualifier("arn:aws:lambda:us-east-1:123456789012:function:f") == ("arn:aws:lambda:us-east-1:123456789012:function:f", nil))
    }

    @Test(arguments: [
        (#"{"123": "1"}"#, "$.Aliases.123: alias '123' must be 1–128 letters, digits, '-' or '_', and not only digits (that would be a version)"),
        (#"{"live": "0"}"#, "$.Aliases.live: alias 'live' must name a version: \"$LATEST\" or a whole number from 1, e.g. \"1\"; got '0'"),
        (#"{"live": 1}"#, "$.Aliases.live: an alias's version must be a string such as \"1\" or \"$LATEST\", not number"),
        (#"["a", "a"]"#, "$.Aliases[1]: alias 'a' is listed twice"),
        (#""live""#, "$.Aliases: 'Aliases' must be an object {\"ALIAS\": \"VERSION\"} or a list of alias names, not string"),
    ])
    func badAliasesSayWhatToChange(aliases: String, message: String) {
        let error = #expect(throws: FunctionManifestError.self) { try Self.manifest(aliases) }
        #expect(error?.problems.map { "\($0.path): \($0.message)" } == [message])
    }

    static let functionArn = "arn:aws:lambda:us-east-1:123456789012:function:double"

    static func rules(_ qualifier: String) -> String {
        #"""
        {"Queues": [{"QueueName": "ok"}, {"QueueName": "dlq"}],
         "Rules": [{"Name": "r", "EventPattern": {"source": ["calc"]},
                    "Targets": [{"Id": "t", "Arn": "\#(functionArn)\#(qualifier)", "DeadLetterConfig": {"Arn": "arn:aws:sqs:us-east-1:123456789012:dlq"}}]}]}
        """#
    }

    static func function() throws -> FunctionManifest {
        var f = try Self.manifest(#"{"live": "1"}"#)
        f.onSuccessDestination = "arn:aws:sqs:us-east-1:123456789012:ok"
        return f
    }

    @Test func anUnknownQualifierIsAValidationError() throws {
        let problems = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.rules(":prod"))], functions: [try Self.function()]).problems
        #expect(problems.map(\.description) == [
            #"Rules/a.json: $.Rules[0].Targets[0].Arn: error: function 'double' has no alias or version 'prod' (aliases: live (→ 1)); declare it in Functions/double/function.json as "Aliases": {"prod": "$LATEST"}, or use :$LATEST"#,
        ])
        for ok in [":live", ":1", ":$LATEST", ""] {
            #expect(WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.rules(ok))], functions: [try Self.function()]).problems.isEmpty, "\(ok)")
        }
    }

    @Test(arguments: [(":live", ":live", "1"), (":1", ":1", "1"), ("", ":$LATEST", "$LATEST"), (":$LATEST", ":$LATEST", "$LATEST")])
    func theRecordCarriesTheQualifiedARN(qualifier: String, recorded: String, executed: String) async throws {
        let registry = SwiftFunctionRegistry()
        registry.register("Double") { payload, _ in ["doubled": .number(JSONNumber((payload["detail"]?["n"]?.intValue ?? 0) * 2))] }
        let loaded = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.rules(qualifier))], functions: [try Self.function()])
        let workspace = try #require(loaded.workspace, "\(loaded.problems)")
        let options = ReplayRunner.Options(virtualTime: true, seed: 9, functionRegistry: registry, functionTimeoutClock: ManualClock())
        let (summary, runtime) = try await ReplayRunner.run(text: #"{"detail-type": "T", "source": "calc", "detail": {"n": 21}}"#,
                                                            workspace: workspace, options: options)
        #expect(summary.deliveries.succeeded == 1)
        let bodies = (runtime.stateJSON()["queues"]?["arn:aws:sqs:us-east-1:123456789012:ok"]?["messages"]?.arrayValue ?? [])
            .compactMap { $0["Body"]?.stringValue }.compactMap { try? JSONParser.parse($0) }
        try #require(bodies.count == 1)
        #expect(bodies[0]["requestContext"]?["functionArn"]?.stringValue == Self.functionArn + recorded)
        #expect(bodies[0]["responseContext"]?["executedVersion"]?.stringValue == executed)
        #expect(bodies[0]["responsePayload"] == ["doubled": 42])
    }

    @Test func mappingsMayNameAQualifier() throws {
        func problems(_ name: String) throws -> [String] {
            let text = #"{"Queues": [{"QueueName": "in"}, {"QueueName": "ok"}], "EventSourceMappings": [{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:in", "FunctionName": "\#(name)"}]}"#
            return WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: text)], functions: [try Self.function()]).problems.map(\.description)
        }
        #expect(try problems("double:live") == [])
        #expect(try problems(Self.functionArn + ":1") == [])
        #expect(try problems("double:$LATEST") == [])
        #expect(try problems("double:prod") == [
            #"Rules/a.json: $.EventSourceMappings[0].FunctionName: error: function 'double' has no alias or version 'prod' (aliases: live (→ 1)); declare it in Functions/double/function.json as "Aliases": {"prod": "$LATEST"}, or use :$LATEST"#,
        ])
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: #"{"Queues": [{"QueueName": "in"}, {"QueueName": "ok"}], "EventSourceMappings": [{"EventSourceArn": "arn:aws:sqs:us-east-1:123456789012:in", "FunctionName": "double:live"}]}"#)],
                                                              functions: [try Self.function()]).workspace)
        #expect(try workspace.eventSourceMappings().map(\.name) == ["in → double:live"])
    }
}
