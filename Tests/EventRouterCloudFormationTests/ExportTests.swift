import Foundation
import Testing
import EventRouter
import EventRouterFunctions
import EventRouterTesting
@testable import EventRouterCloudFormation

/// `export cloudformation`: cfn-lint (pinned, installed by the test into .build/cfn-venv) finds
/// no errors in the export of the example workspace and of every imported test workspace; and
/// export → import gives back a workspace that routes the example's events identically.
@Suite(.serialized) struct ExportTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The routing tests' imports (with the parameters they need).
    static let imported: [([String], [String: String])] = [
        (["01-sam-eventbridge-globals.yaml"], [:]), (["02-unnamed-rules.yaml"], [:]), (["03-sam-sqs-event.yaml"], [:]), (["04-kinesis.yaml"], [:]),
        (["06-network-exports.yaml@network", "07-app-imports.yaml@app"], [:]), (["08-conditions.yaml"], ["Env": "prod"]),
        (["09-parameters-no-default.yaml"], ["QueueName": "p", "Sources": "a,b", "Threshold": "1"]),
        (["10-central-account.yaml@central:222222222222", "11-source-account.yaml@source:111111111111"], ["SourceAccount": "111111111111", "CentralAccount": "222222222222"]),
        (["12-input-transformer-sub.yaml"], [:]), (["13-mappings.yaml"], [:]), (["14-sns-fanout.yaml"], [:]), (["15-dlq-retry.yaml"], [:]),
        (["16-stand-in-targets.yaml"], [:]), (["17-json-template.json"], [:]), (["18-archive.yaml"], [:]), (["19-lambda-invoke-config.yaml"], [:]),
        (["20-sam-dlq-invoke-config.yaml"], [:]), (["21-fifo.yaml"], [:]), (["22-state.yaml"], [:]), (["23-unsupported-mix.yaml"], [:]),
        (["24-undeclared-names.yaml"], [:]), (["25-anchors.yaml"], [:]),
    ]

    static func exportText(_ directory: String, account: String? = nil, json: Bool = false) throws -> String {
        let template = try CloudFormationExporter.export(directory: directory, account: account)
        return json ? JSONPrettyPrinter.format(template) + "\n" : YAMLWriter.write(template)
    }

    @Test func cfnLintFindsNoErrorsInTheExampleAndEveryImportedWorkspace() async throws {
        let out = TemplateTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: out) }
        var paths: [String] = []
        for (account, json) in [("123456789012", false), ("123456789012", true), ("111122223333", false)] {
            let path = out + "/example-\(account).\(json ? "json" : "yaml")"
            try Self.exportText(Self.repository, account: account, json: json).write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        for (n, (specs, parameters)) in Self.imported.enumerated() {
            let result = try TemplateTestSupport.importTemplates(specs, parameters: parameters)
            let workspace = TemplateTestSupport.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: workspace) }
            try ImportedWorkspaceWriter.write(result.files, to: workspace)
            let accounts = Set(result.files.filter { $0.path.hasPrefix("Rules/") }.compactMap { (try? JSONParser.parse($0.text))?["Account"]?.stringValue })
            for account in accounts.sorted() {
                let path = out + "/imported-\(n)-\(account).yaml"
                try Self.exportText(workspace, account: account).write(toFile: path, atomically: true, encoding: .utf8)
                // Every export reads back (our YAML writer and reader agree).
                _ = try TemplateReader.read(try String(contentsOfFile: path, encoding: .utf8))
                paths.append(path)
            }
        }
        let lint = Self.repository + "/Tests/EventRouterCloudFormationTests/Lint/run_cfn_lint.py"
        let checked = paths
        // cfn-lint (and the first venv install) blocks: a thread of its own, not the cooperative pool.
        let (status, output) = try await OwnThread.run { () throws -> (Int32, String) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", lint] + checked
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output)
        }
        #expect(status == 0, "\(output)")
        #expect(!output.contains(":E"), "\(output)")
    }

    @Test func exportThenImportRoutesTheExampleIdentically() async throws {
        let sources = try ["123456789012", "111122223333"].map { account in
            TemplateSource(path: "exported-\(account).yaml", text: try Self.exportText(Self.repository, account: account),
                           directory: Self.repository, stackName: "example-\(account)", account: account, region: "us-east-1")
        }
        let result = try TemplateImporter.run(sources)
        let workspace = TemplateTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: workspace) }
        try ImportedWorkspaceWriter.write(result.files, to: workspace)
        let registry = CompiledFunctions.registry()
        let original = WorkspaceLoader.validate(directory: Self.repository, functionRegistry: registry)
        let roundTrip = WorkspaceLoader.validate(directory: workspace, functionRegistry: registry)
        #expect(roundTrip.problems.filter { $0.severity == .error }.isEmpty, "\(roundTrip.problems)")
        let a = try #require(original.workspace), b = try #require(roundTrip.workspace)
        #expect(a.rules.count == b.rules.count)
        #expect(a.queues.count == b.queues.count)
        #expect(a.functions.count == b.functions.count)
        let events = try String(contentsOfFile: Self.repository + "/docs/examples/orders.ndjson", encoding: .utf8)
        func replay(_ w: Workspace) async throws -> (ReplaySummary, JSONValue) {
            let options = ReplayRunner.Options(virtualTime: true, seed: 11, functionRegistry: registry, functionTimeoutClock: ManualClock())
            let (summary, runtime) = try await ReplayRunner.run(text: events, workspace: w, options: options)
            return (summary, runtime.stateJSON())
        }
        let (sa, stateA) = try await replay(a)
        let (sb, stateB) = try await replay(b)
        #expect(sa.matched == sb.matched && sa.ruleMatches == sb.ruleMatches)
        #expect(sa.deliveries.succeeded == sb.deliveries.succeeded)
        func counts(_ state: JSONValue) -> [String: Int] {
            var out: [String: Int] = [:]
            for m in state["queues"]?.objectValue?.members ?? [] { out[m.key] = m.value["messages"]?.arrayValue?.count ?? 0 }
            return out
        }
        #expect(counts(stateA) == counts(stateB))
        #expect(sa.functions.map { "\($0.name) \($0.invocations)" } == sb.functions.map { "\($0.name) \($0.invocations)" })
        #expect(sa.streams.map(\.records) == sb.streams.map(\.records))
    }
}
