import Foundation
import Testing
import EventRouter
import EventRouterTesting
@testable import EventRouterCloudFormation

/// Each test template (Templates/) is imported, written, validated and given events that must
/// reach the targets the template intends — and only those.
@Suite struct TemplateRoutingTests {
    typealias T = TemplateTestSupport

    @Test func samEventBridgeRuleWithGlobalsInvokesTheFunctionAndTheRuleFillsTheQueue() async throws {
        let r = try await T.route(["01-sam-eventbridge-globals.yaml"], events: [
            T.entry("shop.orders", "OrderPlaced", bus: "orders"), T.entry("shop.orders", "OrderShipped", bus: "orders"),
            T.entry("other", "OrderPlaced", bus: "orders"),
        ])
        let function = try #require(r.result.files.first { $0.path.hasSuffix("/function.json") }?.path.split(separator: "/")[1])
        #expect(function.hasPrefix("sam-eventbridge-globals-Processor-"))
        #expect(r.invocations(String(function)) == 1)
        #expect(r.messages("audit").count == 2)
        let manifest = try JSONParser.parse(r.file("Functions/\(function)/function.json") ?? "")
        #expect(manifest["Timeout"] == 5)
        #expect(manifest["Environment"]?["Variables"]?["STAGE"] == "test")
        #expect(r.result.report.contains("(sam-eventbridge-globals/Processor): CodeUri is in S3; Functions/\(function)/standin.sh returns its event"))
    }

    @Test func unnamedRulesGetCloudFormationStyleNamesAndRoute() async throws {
        let r = try await T.route(["02-unnamed-rules.yaml@orders"], events: [
            T.entry("shop", detail: ["total": 250]), T.entry("shop", detail: ["total": 5]), T.entry("elsewhere"),
        ])
        #expect(r.messages("big-orders").count == 1)
        #expect(r.messages("all-orders").count == 2)
        let rules = try JSONParser.parse(r.file("Rules/orders.json") ?? "")["Rules"]?.arrayValue ?? []
        let names = rules.compactMap { $0["Name"]?.stringValue }
        #expect(names.count == 2)
        #expect(names.allSatisfy { $0.hasPrefix("orders-") && $0.count <= 64 })
        #expect(names[0].hasPrefix("orders-BigRule-") && names[0].split(separator: "-").last?.count == 12)
        // Stable: importing again gives the same names.
        let again = try T.importTemplates(["02-unnamed-rules.yaml@orders"])
        #expect(again.files.first { $0.path == "Rules/orders.json" }?.text == r.file("Rules/orders.json"))
    }

    @Test func samSQSEventMapsTheQueueToAStandInFunction() async throws {
        let r = try await T.route(["03-sam-sqs-event.yaml"], events: [T.entry("jobs"), T.entry("jobs"), T.entry("none")])
        #expect(r.invocations("worker") >= 1)
        #expect(r.summary.eventSourceMappings.first?.counters.records == 2)
        #expect(r.result.report.contains("worker (sam-sqs-event/Worker): CodeUri ./missing-folder does not exist next to the template"))
    }

    @Test func kinesisTargetAndSAMKinesisEvent() async throws {
        let r = try await T.route(["04-kinesis.yaml"], events: [T.entry("web", detail: ["user": "u1"]), T.entry("web", detail: ["user": "u2"]), T.entry("app")])
        #expect(r.records("clicks") == 2)
        #expect(r.invocations("click-reader") >= 1)
    }

    @Test func exportsAndImportValueAcrossTemplatesInEitherOrder() async throws {
        for specs in [["06-network-exports.yaml@network", "07-app-imports.yaml@app"], ["07-app-imports.yaml@app", "06-network-exports.yaml@network"]] {
            let r = try await T.route(specs, events: [T.entry("app", bus: "shared"), T.entry("app"), T.entry("other", bus: "shared")])
            #expect(r.messages("shared-inbox").count == 1)
            let app = try JSONParser.parse(r.file("Rules/app.json") ?? "")
            #expect(app["Rules"]?[0]?["EventBusName"] == "shared")
        }
    }

    @Test func conditionsChooseTheQueueAndTheResourcesThatExist() async throws {
        let prod = try await T.route(["08-conditions.yaml"], parameters: ["Env": "prod"], events: [T.entry("monitor")])
        #expect(prod.messages("prod-alerts").count == 1)
        #expect(prod.file("Rules/conditions.json")?.contains("dev-alerts") == false)
        #expect(prod.file("Rules/conditions.json")?.contains("production alerts") == true)
        let dev = try await T.route(["08-conditions.yaml"], parameters: ["Env": "dev"], events: [T.entry("monitor")])
        #expect(dev.messages("dev-alerts").count == 1)
        #expect(dev.file("Rules/conditions.json")?.contains("Description") == false)
        #expect(dev.result.report.contains("conditions/ProdQueue (AWS::SQS::Queue): not created (its Condition is false)"))
    }

    @Test func parametersWithoutDefaultsFromTheCommandLine() async throws {
        let r = try await T.route(["09-parameters-no-default.yaml"], parameters: ["QueueName": "payments", "Sources": "bank, card", "Threshold": "10"],
                                  events: [T.entry("bank", detail: ["amount": 50]), T.entry("card", detail: ["amount": 5]), T.entry("cash", detail: ["amount": 50])])
        #expect(r.messages("payments").count == 1)
    }

    @Test func crossAccountBusTargetWithAPolicy() async throws {
        let r = try await T.route(["10-central-account.yaml@central:222222222222", "11-source-account.yaml@source:111111111111"],
                                  parameters: ["SourceAccount": "111111111111", "CentralAccount": "222222222222"],
                                  events: [T.entry("shop", account: "111111111111"), T.entry("other", account: "111111111111")])
        #expect(r.messages("collected").count == 1)
        let central = try JSONParser.parse(r.file("Rules/central.json") ?? "")
        #expect(central["EventBuses"]?[0]?["Policy"]?["Statement"]?[0]?["Principal"] == ["AWS": "arn:aws:iam::111111111111:root"])
        #expect(r.result.report.contains("source/ForwardRole (AWS::IAM::Role): EventRouter does not run this resource type"))
    }

    @Test func anInputTransformerInASubBlock() async throws {
        let r = try await T.route(["12-input-transformer-sub.yaml@shop"], events: [T.entry("shop", detail: ["orderId": "o-1"])])
        #expect(r.bodies("notes") == [["order": "o-1", "stack": "shop", "region": "us-east-1", "literal": "${NotAVariable}"]])
    }

    @Test func mappingsByRegion() async throws {
        let east = try await T.route(["13-mappings.yaml"], events: [T.entry("m")])
        #expect(east.messages("east-queue").count == 1)
        let west = try T.importTemplates(["13-mappings.yaml@m:123456789012:eu-west-1"])
        let file = west.files.first { $0.path == "Rules/m.json" }?.text ?? ""
        #expect(file.contains("\"QueueName\": \"west-queue\"") && file.contains("\"MaximumRetryAttempts\": 5") && file.contains("\"Region\": \"eu-west-1\""))
    }

    @Test func snsFanOutWithInlineAndFilteredSubscriptions() async throws {
        let r = try await T.route(["14-sns-fanout.yaml"], events: [T.entry("shop", detail: ["total": 500]), T.entry("shop", detail: ["total": 1])])
        #expect(r.messages("everything").count == 2)
        #expect(r.bodies("big-ones").compactMap { $0["detail"]?["total"]?.intValue } == [500])
        #expect(r.result.report.contains("subscription with Protocol 'email'"))
        #expect(r.result.report.contains("QueuePolicy (AWS::SQS::QueuePolicy): accepted, not enforced"))
    }

    @Test func aTargetInAnUnknownAccountFailsIntoTheDeadLetterQueue() async throws {
        let r = try await T.route(["15-dlq-retry.yaml"], events: [T.entry("shop")])
        let dead = r.messages("partner-dlq")
        #expect(dead.count == 1)
        #expect(dead.first?["MessageAttributes"]?["ERROR_CODE"]?["StringValue"] == "NO_RESOURCE")
    }

    @Test func targetsTheEngineCannotDeliverToBecomeStandInQueuesKeepingTheirIds() async throws {
        let r = try await T.route(["16-stand-in-targets.yaml"], events: [T.entry("orders")])
        #expect(r.messages("to-machine-machine-standin").count == 1)
        #expect(r.messages("to-machine-logs-standin").count == 1)
        let rules = try JSONParser.parse(r.file("Rules/stand-in-targets.json") ?? "")["Rules"]?[0]?["Targets"]?.arrayValue ?? []
        #expect(rules.compactMap { $0["Id"]?.stringValue } == ["machine", "logs"])
        #expect(r.result.report.contains("rule to-machine target machine: arn:aws:states:us-east-1:123456789012:stateMachine:stand-in-targets-Machine-"))
    }

    @Test func aJSONTemplateWithAnInputSub() async throws {
        let r = try await T.route(["17-json-template.json@json-stack"], events: [T.entry("json")])
        #expect(r.bodies("json-inbox") == [["from": "json-stack"]])
    }

    @Test func anArchiveOnACustomBus() async throws {
        let r = try await T.route(["18-archive.yaml"], events: [T.entry("shop", bus: "archived")])
        #expect(r.messages("archived-copy").count == 1)
        let file = try JSONParser.parse(r.file("Rules/archive.json") ?? "")
        #expect(file["Archives"]?[0]?["EventSourceArn"] == "arn:aws:events:us-east-1:123456789012:event-bus/archived")
        #expect(file["Archives"]?[0]?["ArchiveName"]?.stringValue?.count ?? 99 <= 48)
    }

    @Test func aLambdaFunctionWithAnEventInvokeConfigSendsItsRecordToTheDestination() async throws {
        let r = try await T.route(["19-lambda-invoke-config.yaml"], events: [T.entry("calc", detail: ["n": 1])])
        #expect(r.invocations("totals") == 1)
        #expect(r.bodies("done").first?["requestContext"]?["condition"] == "Success")
        let manifest = try JSONParser.parse(r.file("Functions/totals/function.json") ?? "")
        #expect(manifest["MaximumRetryAttempts"] == 0)
    }

    @Test func samDeadLetterQueueInvokeConfigAndARuleDeadLetterQueueOfTypeSQS() async throws {
        let r = try await T.route(["20-sam-dlq-invoke-config.yaml"], events: [T.entry("sam")])
        #expect(r.invocations("sam-handler") == 1)
        #expect(r.bodies("results").count == 1)
        let file = try JSONParser.parse(r.file("Rules/sam-dlq-invoke-config.json") ?? "")
        let target = file["Rules"]?[0]?["Targets"]?[0]
        #expect(target?["Id"] == "handler-target")
        #expect(target?["DeadLetterConfig"]?["Arn"]?.stringValue?.contains(":sam-dlq-invoke-config-HandlerRuleQueue-") == true)
        let manifest = try JSONParser.parse(r.file("Functions/sam-handler/function.json") ?? "")
        #expect(manifest["DeadLetterConfig"]?["TargetArn"] == "arn:aws:sqs:us-east-1:123456789012:failed")
    }

    @Test func aGeneratedFifoQueueNameEndsInFifo() async throws {
        let r = try await T.route(["21-fifo.yaml"], events: [T.entry("fifo"), T.entry("fifo")])
        let queues = try JSONParser.parse(r.file("Rules/fifo.json") ?? "")["Queues"]?.arrayValue ?? []
        let name = try #require(queues.first?["QueueName"]?.stringValue)
        #expect(name.hasSuffix(".fifo") && name.hasPrefix("fifo-Ordered-"))
        #expect(r.messages(name).count == 2)
    }

    @Test func aDisabledRuleDeliversNothing() async throws {
        let r = try await T.route(["22-state.yaml"], events: [T.entry("s")])
        #expect(r.messages("enabled-target").count == 1)
        #expect(r.messages("disabled-target").isEmpty)
    }

    @Test func unsupportedResourcesAreListedAndTheRestRuns() async throws {
        let r = try await T.route(["23-unsupported-mix.yaml"], events: [T.entry("storage")])
        #expect(r.messages("mix-inbox").count == 1)
        for line in ["unsupported-mix/Bucket (AWS::S3::Bucket): EventRouter does not run this resource type",
                     "unsupported-mix/Table (AWS::DynamoDB::Table)", "unsupported-mix/Nested (AWS::CloudFormation::Stack): a nested stack",
                     "unsupported-mix/Api event Get: event type Api", "api (unsupported-mix/Api): CodeUri is in S3"] {
            #expect(r.result.report.contains(line), "\(line)")
        }
        #expect(r.file("IMPORT-REPORT.md") == r.result.report)
    }

    @Test func aBusAndAQueueNoTemplateCreatesAreDeclaredAndReported() async throws {
        let r = try await T.route(["24-undeclared-names.yaml"], events: [T.entry("partner", bus: "partner-events")])
        #expect(r.messages("created-elsewhere").count == 1)
        #expect(r.result.report.contains("EventBuse partner-events") == false)
        #expect(r.result.report.contains("bus partner-events in 123456789012/us-east-1: rule"))
        #expect(r.result.report.contains("queue created-elsewhere in 123456789012/us-east-1"))
    }

    @Test func anchorsShareAPatternBetweenRules() async throws {
        let r = try await T.route(["25-anchors.yaml"], events: [T.entry("shop", "OrderShipped"), T.entry("shop", "OrderCancelled")])
        #expect(r.messages("anchor-a").count == 1)
        #expect(r.messages("anchor-b").count == 1)
    }

    @Test func aScheduleEventIsWrittenThroughAndInlinePythonCodeGetsItsFolder() throws {
        let result = try T.importTemplates(["05-schedule.yaml"])
        let rules = try JSONParser.parse(result.files.first { $0.path == "Rules/schedule.json" }?.text ?? "")["Rules"]?.arrayValue ?? []
        #expect(rules.first?["ScheduleExpression"] == "cron(0 2 * * ? *)")
        #expect(rules.first?["Targets"]?[0]?["Input"] == #"{"job": "cleanup"}"#)
        #expect(rules.first?["Targets"]?[0]?["Arn"] == "arn:aws:lambda:us-east-1:123456789012:function:nightly")
        let manifest = try JSONParser.parse(result.files.first { $0.path == "Functions/nightly/function.json" }?.text ?? "")
        #expect(manifest["Runtime"] == "python3.12")
        #expect(manifest["Handler"] == "app.handler")
        #expect(result.files.first { $0.path == "Functions/nightly/app.py" }?.text == "def handler(event, context):\n    return {\"ok\": True}\n")
    }

    @Test func theDocumentationsSAMExampleRoutesTheExampleEvents() async throws {
        let repository = ExportTests.repository
        let source = try #require(try ImportedWorkspaceWriter.sources([repository + "/docs/examples/orders-sam.yaml@shop"], stackName: nil,
                                                                      account: "123456789012", region: "us-east-1").first)
        let result = try TemplateImporter.run([source], options: ImportOptions(parameters: ["Stage": "dev"]))
        let directory = T.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try ImportedWorkspaceWriter.write(result.files, to: directory)
        let workspace = try #require(WorkspaceLoader.validate(directory: directory).workspace)
        let events = try String(contentsOfFile: repository + "/docs/examples/orders.ndjson", encoding: .utf8)
        let (summary, runtime) = try await ReplayRunner.run(text: events, workspace: workspace,
                                                            options: ReplayRunner.Options(virtualTime: true, seed: 3, functionTimeoutClock: ManualClock()))
        let bodies = (runtime.stateJSON()["queues"]?["arn:aws:sqs:us-east-1:123456789012:big-orders-dev"]?["messages"]?.arrayValue ?? [])
            .compactMap { try? JSONParser.parse($0["Body"]?.stringValue ?? "") }
        #expect(bodies.first == ["order": "o-1001", "note": "Ada placed a big order", "stage": "dev"])
        #expect(bodies.count == 3)
        #expect(summary.functions.first?.invocations == 6)
        #expect(result.report.contains("shop/AuditLog (AWS::Logs::LogGroup): EventRouter does not run this resource type"))
    }
}
