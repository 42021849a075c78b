import EventRouter
import Foundation
import Testing
@testable import EventRouterHTTP

/// Unmodified Python and Node.js Lambda handlers behind Lambda's `Invoke` (rest-json), through
/// the built-in runtimes and the Runtime API.
@Suite struct LambdaRuntimeAPIInvokeTests {
    static let app = """
        def lambda_handler(event, context):
            if event.get("fail"):
                raise ValueError("no order")
            print("printed " + event["name"])
            return {"greeting": "Hello " + event["name"], "function": context.function_name}
        """
    static let index = """
        export const handler = async (event, context) => {
          console.log(`logged ${event.name}`);
          return { greeting: `Hi ${event.name}`, id: context.awsRequestId };
        };
        """

    @Test func pythonAndNodeHandlersAnswerInvokeWithTheirLogTailed() async throws {
        let root = NSTemporaryDirectory() + "er-rtapi-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (folder, file, text) in [("greet-py", "app.py", Self.app), ("greet-node", "index.mjs", Self.index)] {
            try FileManager.default.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
            try text.write(toFile: root + "/\(folder)/\(file)", atomically: true, encoding: .utf8)
        }
        let result = WorkspaceLoader.validate(files: [(name: "Rules/lambda.json", text: #"{"Queues": [{"QueueName": "q"}]}"#)])
        var workspace = try #require(result.workspace)
        workspace.functions = [
            try FunctionManifest(json: #"{"Runtime": "python3.12", "Handler": "app.lambda_handler", "MemorySize": 256, "Timeout": 60}"#, folder: root + "/greet-py"),
            try FunctionManifest(json: #"{"Runtime": "nodejs20.x", "Handler": "index.handler", "Timeout": 60}"#, folder: root + "/greet-node"),
        ]
        let clock = ManualClock(start: Timestamp(secondsSinceEpoch: 1_767_225_600))
        let runtime = try RouterRuntime(workspace: workspace, clock: .virtual(clock), seed: 7, functionRegistry: SwiftFunctionRegistry(),
                                        functionTimeoutClock: SystemClock())
        let endpoint = AWSEndpoint(services: [LambdaService(runtime: runtime)],
                                   authenticator: Authenticator(keys: AccessKeyTable(keys: []), strict: false, defaultRegion: "us-east-1"),
                                   requestIds: SharedRandom(seed: 3))
        func call(_ method: String, _ target: String, _ body: String = "", headers: [(String, String)] = []) async -> (HTTPResponse, JSONValue) {
            let all: [(String, String)] = [
                ("Host", "127.0.0.1:4566"),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00"),
            ] + headers
            let response = await endpoint.handle(HTTPRequest(method: method, target: target, headers: HTTPHeaders(all), body: Array(body.utf8)))
            return (response, (try? JSONParser.parse(bytes: response.body)) ?? .null)
        }

        let (py, pyJSON) = await call("POST", "/2015-03-31/functions/greet-py/invocations", #"{"name": "Ada"}"#, headers: [("X-Amz-Log-Type", "Tail")])
        #expect(py.status == 200)
        #expect(pyJSON == ["greeting": "Hello Ada", "function": "greet-py"])
        let pyLog = String(decoding: Base64.decode(try #require(py.headers["X-Amz-Log-Result"])) ?? [], as: UTF8.self)
        #expect(pyLog.contains("printed Ada\n"), "\(pyLog)")
        #expect(pyLog.contains("Memory Size: 256 MB"))

        let (failed, failedJSON) = await call("POST", "/2015-03-31/functions/greet-py/invocations", #"{"fail": true}"#)
        #expect(failed.headers["X-Amz-Function-Error"] == "Unhandled")
        #expect(failedJSON["errorType"] == "ValueError")
        #expect(failedJSON["errorMessage"] == "no order")
        #expect(failedJSON["stackTrace"]?.arrayValue?.first?.stringValue?.contains("app.py") == true)

        let (node, nodeJSON) = await call("POST", "/2015-03-31/functions/greet-node/invocations", #"{"name": "Bo"}"#, headers: [("X-Amz-Log-Type", "Tail")])
        #expect(node.status == 200)
        #expect(nodeJSON["greeting"] == "Hi Bo")
        let nodeLog = String(decoding: Base64.decode(try #require(node.headers["X-Amz-Log-Result"])) ?? [], as: UTF8.self)
        #expect(nodeLog.contains("INFO\tlogged Bo"), "\(nodeLog)")

        let (_, configuration) = await call("GET", "/2015-03-31/functions/greet-py/configuration")
        #expect(configuration["Runtime"] == "python3.12")
        #expect(configuration["MemorySize"] == 256)
        await runtime.shutdown()
    }
}
