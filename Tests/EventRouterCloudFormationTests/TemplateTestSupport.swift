import Foundation
import Testing
import EventRouter
import EventRouterTesting
@testable import EventRouterCloudFormation

/// Imports test templates (Templates/), writes the workspace to a temporary folder, validates
/// it and replays events through it in process on virtual time.
enum TemplateTestSupport {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Templates").path

    /// `FILE[@STACK[:ACCOUNT[:REGION]]]` of Templates/ as a source.
    static func source(_ spec: String) throws -> TemplateSource {
        try #require(try ImportedWorkspaceWriter.sources([templates + "/" + spec], stackName: nil, account: "123456789012", region: "us-east-1").first)
    }

    static func importTemplates(_ specs: [String], parameters: [String: String] = [:]) throws -> TemplateImporter.Result {
        try TemplateImporter.run(specs.map { try source($0) }, options: ImportOptions(parameters: parameters))
    }

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "cfn-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A PutEvents entry line.
    static func entry(_ source: String, _ detailType: String = "Test", detail: JSONValue = [:], bus: String? = nil, account: String? = nil) -> String {
        var o: JSONObject = ["Source": .string(source), "DetailType": .string(detailType), "Detail": .string(detail.jsonText)]
        if let bus { o["EventBusName"] = .string(bus) }
        if let account { o["Account"] = .string(account) }
        return JSONValue.object(o).jsonText
    }

    struct Routed {
        var result: TemplateImporter.Result
        var summary: ReplaySummary
        var state: JSONValue
        var directory: String

        func messages(_ queue: String) -> [JSONValue] {
            guard let queues = state["queues"]?.objectValue else { return [] }
            return queues.members.first { $0.key.hasSuffix(":" + queue) }?.value["messages"]?.arrayValue ?? []
        }

        func bodies(_ queue: String) -> [JSONValue] {
            messages(queue).compactMap { try? JSONParser.parse($0["Body"]?.stringValue ?? "") }
        }

        func invocations(_ function: String) -> Int { summary.functions.first { $0.name == function }?.invocations ?? 0 }
        func records(_ stream: String) -> Int { summary.streams.first { $0.name == stream }?.records ?? 0 }
        func file(_ path: String) -> String? { result.files.first { $0.path == path }?.text }
    }

    /// Imports, writes, validates (no errors) and replays `events`.
    static func route(_ specs: [String], parameters: [String: String] = [:], events: [String]) async throws -> Routed {
        let result = try importTemplates(specs, parameters: parameters)
        let directory = temporaryDirectory()
        try ImportedWorkspaceWriter.write(result.files, to: directory)
        let loaded = WorkspaceLoader.validate(directory: directory)
        let workspace = try #require(loaded.workspace, "\(loaded.problems.map(\.description).joined(separator: "\n"))\n\(result.files.filter { $0.path.hasSuffix(".json") }.map { $0.path + "\n" + $0.text }.joined())")
        let options = ReplayRunner.Options(virtualTime: true, seed: 7, functionTimeoutClock: ManualClock())
        let (summary, runtime) = try await ReplayRunner.run(text: events.joined(separator: "\n"), workspace: workspace, options: options)
        #expect(summary.settleProblem == nil)
        #expect(summary.rejected.isEmpty, "\(summary.rejected)")
        let state = runtime.stateJSON()
        try? FileManager.default.removeItem(atPath: directory)
        return Routed(result: result, summary: summary, state: state, directory: directory)
    }
}

extension JSONValue {
    /// Item `index` of an array (tests only).
    subscript(index: Int) -> JSONValue? {
        guard let a = arrayValue, a.indices.contains(index) else { return nil }
        return a[index]
    }
}

/// Blocking work (processes, pipes) on a thread of its own, never on the cooperative pool.
enum OwnThread {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            Thread {
                do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
            }.start()
        }
    }
}
