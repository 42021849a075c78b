import Foundation
import Testing
@testable import EventRouter

/// A function's region: its manifest's `Region`, else the region of its account's rule files,
/// as for every resource a rule file declares.
@Suite struct FunctionRegionTests {
    static let euFunction = "arn:aws:lambda:eu-west-1:123456789012:function:double"

    static func rules(region: String?, target: String) -> String {
        let header = region.map { "\"Region\": \"\($0)\"," } ?? ""
        return """
            {\(header) "Queues": [{"QueueName": "ok"}],
             "Rules": [{"Name": "r", "EventPattern": {"source": ["calc"]}, "Targets": [{"Id": "t", "Arn": "\(target)"}]}]}
            """
    }

    static func manifest(_ extra: String = "") throws(FunctionManifestError) -> FunctionManifest {
        try FunctionManifest(json: "{\"Runtime\": \"swift\", \"Handler\": \"Double\"\(extra)}", folder: "Functions/double")
    }

    @Test func aWorkspaceInEuWest1TargetsItsOwnFunction() async throws {
        let registry = SwiftFunctionRegistry()
        registry.register("Double") { payload, _ in ["doubled": .number(JSONNumber((payload["detail"]?["n"]?.intValue ?? 0) * 2))] }
        let loaded = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.rules(region: "eu-west-1", target: Self.euFunction))],
                                              functions: [try Self.manifest()])
        let workspace = try #require(loaded.workspace, "\(loaded.problems.map(\.description))")
        #expect(workspace.functions.map(\.arn) == [Self.euFunction])
        let options = ReplayRunner.Options(virtualTime: true, seed: 3, functionRegistry: registry, functionTimeoutClock: ManualClock())
        let event = #"{"detail-type": "T", "source": "calc", "region": "eu-west-1", "detail": {"n": 21}}"#
        let (summary, _) = try await ReplayRunner.run(text: event, workspace: workspace, options: options)
        #expect(summary.deliveries.succeeded == 1)
        #expect(summary.functions.map(\.invocations) == [1])
    }

    @Test func aManifestsRegionWins() throws {
        let loaded = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.rules(region: nil, target: Self.euFunction))],
                                              functions: [try Self.manifest(", \"Region\": \"eu-west-1\"")])
        let workspace = try #require(loaded.workspace, "\(loaded.problems.map(\.description))")
        #expect(workspace.functions.map(\.arn) == [Self.euFunction])
    }

    @Test(arguments: [
        // rule files in two regions: the function stays in the default region and the error says where it is
        (["us-east-1", "eu-west-1"], "",
         "arn:aws:lambda:eu-west-1:123456789012:function:double names the function 'double', which Functions/ does not hold in eu-west-1 for account 123456789012: Functions/double is in us-east-1 (the region of its account's rule files), not eu-west-1; set \"Region\": \"eu-west-1\" in Functions/double/function.json or target arn:aws:lambda:us-east-1:123456789012:function:double"),
        (["us-east-1"], ", \"Region\": \"us-west-2\"",
         "arn:aws:lambda:eu-west-1:123456789012:function:double names the function 'double', which Functions/ does not hold in eu-west-1 for account 123456789012: Functions/double is in us-west-2 (its manifest's Region), not eu-west-1; set \"Region\": \"eu-west-1\" in Functions/double/function.json or target arn:aws:lambda:us-west-2:123456789012:function:double"),
    ])
    func aFunctionInAnotherRegionIsNamedNotSuggestedAgain(regions: [String], extra: String, message: String) throws {
        var files = [(name: "Rules/a.json", text: Self.rules(region: regions[0], target: Self.euFunction))]
        for (i, region) in regions.dropFirst().enumerated() { files.append((name: "Rules/b\(i).json", text: "{\"Region\": \"\(region)\"}")) }
        let loaded = WorkspaceLoader.validate(files: files, functions: [try Self.manifest(extra)])
        #expect(loaded.workspace == nil)
        #expect(loaded.problems.map(\.message).contains(message), "\(loaded.problems.map(\.message))")
        #expect(!loaded.problems.contains { $0.message.contains("did you mean 'double'") })
    }

    @Test func aBadRegionInAManifestIsAnError() {
        #expect(throws: FunctionManifestError.self) { try Self.manifest(", \"Region\": \"EU West\"") }
        do {
            _ = try Self.manifest(", \"Region\": \"EU West\"")
        } catch {
            #expect(error.problems.map(\.description) == ["Functions/double/function.json: $.Region: error: 'Region' must be a region name like us-east-1, got 'EU West'"])
        }
    }

    @Test func invokeFindsTheFunctionInTheWorkspacesRegion() throws {
        let dir = try FunctionTempFolder()
        try dir.write("Rules/a.json", "{\"Region\": \"eu-west-1\"}")
        try dir.write("Functions/echo/function.json", "{\"Runtime\": \"process\", \"Handler\": \"handler.sh\"}")
        try dir.write("Functions/echo/handler.sh", "#!/bin/sh\ncat\n", executable: true)
        let functions = FunctionWorkspace(workspace: dir.path, registry: SwiftFunctionRegistry())
        #expect(try functions.manifest(named: "echo").arn == "arn:aws:lambda:eu-west-1:123456789012:function:echo")
        #expect(try functions.manifest(named: "arn:aws:lambda:eu-west-1:123456789012:function:echo").name == "echo")
        #expect(throws: EventRouterError.self) { try functions.manifest(named: "arn:aws:lambda:us-east-1:123456789012:function:echo") }
        do {
            _ = try functions.manifest(named: "arn:aws:lambda:us-east-1:123456789012:function:echo")
        } catch {
            #expect(error.message.hasPrefix("no function arn:aws:lambda:us-east-1:123456789012:function:echo: Functions/echo is in eu-west-1"))
        }
    }
}
