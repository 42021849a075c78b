import Testing
@testable import EventRouter

/// Issue 17 item 5: targets EventRouter does not run are named by kind, and `--stand-in-queue`
/// routes their deliveries to a queue so the rest of the workspace runs.
@Suite struct StandInTargetTests {
    static func rules(_ arn: String) -> String {
        #"""
        {"Queues": [{"QueueName": "q"}, {"QueueName": "f.fifo"}],
         "Rules": [{"Name": "r", "EventPattern": {"source": ["shop"]},
                    "Targets": [{"Id": "x", "Arn": "\#(arn)", "Input": "{\"x\": 1}"}, {"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:q"}]}]}
        """#
    }

    @Test(arguments: [
        ("arn:aws:states:us-east-1:123456789012:stateMachine:orders", "a Step Functions state machine, which EventRouter does not run"),
        ("arn:aws:ecs:us-east-1:123456789012:cluster/default", "an ECS task, which EventRouter does not run"),
        ("arn:aws:batch:us-east-1:123456789012:job-queue/q", "a Batch job queue, which EventRouter does not run"),
        ("arn:aws:ssm:us-east-1::document/AWS-RunShellScript", "an SSM Run Command or Automation document, which EventRouter does not run"),
        ("arn:aws:codebuild:us-east-1:123456789012:project/p", "a CodeBuild project, which EventRouter does not run"),
        ("arn:aws:codepipeline:us-east-1:123456789012:p", "a CodePipeline pipeline, which EventRouter does not run"),
        ("arn:aws:redshift:us-east-1:123456789012:cluster:c", "a Redshift cluster (Data API), which EventRouter does not run"),
        ("arn:aws:sagemaker:us-east-1:123456789012:pipeline/p", "a SageMaker pipeline, which EventRouter does not run"),
        ("arn:aws:inspector:us-east-1:123456789012:target/0-x/template/0-y", "an Inspector assessment template, which EventRouter does not run"),
        ("arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/orders", "an API Gateway endpoint, which EventRouter does not run"),
        ("arn:aws:appsync:us-east-1:123456789012:endpoints/graphql-api/abc", "an AppSync GraphQL API, which EventRouter does not run"),
    ])
    func validateNamesTheKind(arn: String, kind: String) {
        let refused = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.rules(arn))])
        #expect(refused.workspace == nil)
        #expect(refused.problems.map(\.description) == [
            "Rules/a.json: $.Rules[0].Targets[0].Arn: error: \(arn) targets \(kind); pass --stand-in-queue NAME to route its deliveries to a stand-in queue so the rest of the workspace runs",
        ])
        let stood = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.rules(arn))], standInQueue: "stand-in")
        #expect(stood.problems.map(\.description) == [
            "Rules/a.json: $.Rules[0].Targets[0].Arn: warning: \(arn) targets \(kind); its deliveries go to the stand-in queue 'stand-in'",
        ])
        #expect(stood.workspace?.standIn == StandInQueueSetting(queueName: "stand-in", targets: [arn]))
        #expect(stood.workspace?.queues.map(\.name) == ["q", "f.fifo", "stand-in"])
    }

    @Test(arguments: [
        ("f.fifo", "--stand-in-queue: $: error: the stand-in queue 'f.fifo' is a FIFO queue; name a standard queue"),
        ("bad name", "--stand-in-queue: $: error: 'bad name' cannot be a queue name: \(Self.queueNameError("bad name"))"),
    ])
    func aStandInQueueMustBeAStandardQueue(name: String, message: String) {
        let result = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.rules("arn:aws:states:us-east-1:123456789012:stateMachine:o"))],
                                              standInQueue: name)
        #expect(result.workspace == nil)
        #expect(result.problems.filter { $0.severity == .error }.map(\.description) == [message])
    }

    static func queueNameError(_ name: String) -> String {
        var json = JSONObject()
        json["QueueName"] = .string(name)
        do {
            _ = try QueueConfiguration(json: json, account: "123456789012", region: "us-east-1")
            return "valid"
        } catch { return error.message }
    }

    @Test func deliveriesGoToTheStandInQueueWithWhatTheyStoodInFor() async throws {
        let arn = "arn:aws:ssm:us-east-1::document/AWS-RunShellScript"
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.rules(arn))], standInQueue: "stand-in").workspace)
        let summary = try await ReplayRunner.run(text: #"{"source": "shop", "detail-type": "T", "detail": {}}"#, workspace: workspace,
                                                 options: .init(virtualTime: true, seed: 1)).0
        #expect(summary.deliveries.succeeded == 2)
        #expect(summary.standIn?.deliveries == 1)
        #expect(summary.text.contains("\nstand-in:      1 delivery to arn:aws:sqs:us-east-1:123456789012:stand-in (targets EventRouter does not run)\n"))
    }

    @Test func theStandInMessageCarriesTheTargetAndRule() async throws {
        let arn = "arn:aws:states:us-east-1:123456789012:stateMachine:orders"
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.rules(arn))], standInQueue: "stand-in").workspace)
        let runtime = try RouterRuntime(workspace: workspace, clock: .virtual(ManualClock()), seed: 1)
        _ = try runtime.router.putEvents([PutEventsEntry(source: "shop", detailType: "T", detail: "{}")])
        _ = await runtime.settle()
        let messages = try #require(runtime.queues.queue(arn: "arn:aws:sqs:us-east-1:123456789012:stand-in")?.stateJSON()["messages"]?.arrayValue)
        #expect(messages.count == 1)
        let message = try #require(messages.first)
        #expect(message["Body"] == "{\"x\": 1}")
        let attributes = message["MessageAttributes"]
        #expect(attributes?["TARGET_ARN"]?["StringValue"] == .string(arn))
        #expect(attributes?["TARGET_KIND"]?["StringValue"] == "a Step Functions state machine")
        #expect(attributes?["RULE_ARN"]?["StringValue"] == "arn:aws:events:us-east-1:123456789012:rule/r")
        #expect(runtime.standIn?.deliveries == 1)
    }
}
