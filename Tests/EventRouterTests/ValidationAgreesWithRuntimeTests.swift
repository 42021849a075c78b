import Testing
@testable import EventRouter

/// Issue 10 items 6 and 7: what `validate` accepts, the runtime runs, and the errors say what
/// and where.
@Suite struct ValidationAgreesWithRuntimeTests {
    static func problems(_ text: String) -> [String] {
        WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: text)]).problems.map(\.description)
    }

    @Test(arguments: [
        (#"{"Queues": [{"QueueName": "q", "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:q", "maxReceiveCount": 3}}]}"#,
         "A queue cannot be its own dead-letter queue; name another queue"),
        (#"{"Queues": [{"QueueName": "q", "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:999999999999:d", "maxReceiveCount": 3}}]}"#,
         "The dead-letter queue must be in the same account and region as the source queue (123456789012, us-east-1), not in 999999999999, us-east-1"),
        (#"{"Queues": [{"QueueName": "q", "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:d", "maxReceiveCount": 3}}, {"QueueName": "d", "RedriveAllowPolicy": {"redrivePermission": "denyAll"}}]}"#,
         "The RedriveAllowPolicy of d does not allow this source queue; add it to sourceQueueArns or use redrivePermission allowAll"),
    ])
    func redriveMistakesFailValidateAsTheyFailTheRuntime(text: String, reason: String) throws {
        #expect(Self.problems(text) == ["Rules/a.json: $.Queues[?(@.QueueName=='q')].RedrivePolicy.deadLetterTargetArn: error: \(reason)"])
        // The runtime refuses the same configuration with the same reason.
        let root = try #require(try JSONParser.parse(text)["Queues"]?.arrayValue)
        let configurations = try root.map { try QueueConfiguration(json: try #require($0.objectValue), account: "123456789012", region: "us-east-1") }
        let error = #expect(throws: QueueError.self) { try QueueRegistry(clock: ManualClock()).createQueues(configurations) }
        #expect(error?.message.contains(reason) == true)
    }

    @Test func validateCountsTheFilesTheErrorsAreIn() {
        let result = WorkspaceLoader.validate(
            files: [(name: "Rules/a.json", text: "{}")],
            functionProblems: [
                ValidationProblem(.error, file: "Functions/f/function.json", path: "$.Timeout", "bad"),
                ValidationProblem(.error, file: "Functions/f/function.json", path: "$.Handler", "bad"),
                ValidationProblem(.error, file: "Functions/g/function.json", path: "$", "bad"),
            ])
        #expect(result.errorSummary == "3 errors in 2 files")
    }

    @Test func aMissingWorkspaceIsAProblemNamingIt() {
        let scan = FunctionLoader(workspace: "/nonexistent-er-workspace").scan()
        #expect(scan.problems.map(\.description) == [
            "/nonexistent-er-workspace: $: error: the workspace folder does not exist; pass --workspace DIR with the folder that holds Functions/",
        ])
    }

    @Test func invokeNamesAWorkspaceThatDoesNotExist() {
        let functions = FunctionWorkspace(workspace: "/nonexistent-er-workspace", registry: SwiftFunctionRegistry())
        let error = #expect(throws: EventRouterError.self) { try functions.manifest(named: "echo") }
        #expect(error?.message == "no function named 'echo': /nonexistent-er-workspace: the workspace folder does not exist; pass --workspace DIR with the folder that holds Functions/")
    }

    @Test func theUnknownBusErrorNamesTheBussAccount() throws {
        let workspace = Workspace(buses: [BusDefinition(name: "orders", account: "123456789012", region: "us-east-1")])
        let router = Router(workspace: workspace, clock: ManualClock(), random: SharedRandom(seed: 3))
        let result = try router.putEvents([PutEventsEntry(source: "s", detailType: "d", detail: "{}",
                                                          eventBusName: "arn:aws:events:us-east-1:999999999999:event-bus/ordrs")])
        #expect(result.entries[0].errorMessage == "Event bus ordrs does not exist in account 999999999999")
    }

    @Test(arguments: [("[1, 2]", "an array"), (#""x""#, "a string"), ("3", "a number"), ("null", "null")])
    func matchRejectsAnEventThatIsNotAnObject(event: String, kind: String) {
        let bytes = Array(event.utf8)
        let error = #expect(throws: EventShapeError.self) { try bytes.withUnsafeBytes { try RuleSetFile.requireObject($0) } }
        #expect(error?.description == "InvalidEventException: the event must be a JSON object, not \(kind)")
        #expect(throws: Never.self) { try Array(#" {"a": 1}"#.utf8).withUnsafeBytes { try RuleSetFile.requireObject($0) } }
    }
}
