import EventRouter
import Testing
@testable import EventRouterHTTP

/// Lambda in process: an ``AWSEndpoint`` over a ``RouterRuntime`` on a manual clock with three
/// compiled-in functions — `echo` (returns its event), `fail` (always throws) and `closed`
/// (reserved concurrency 0) — and the queues `results`, `failures` and `inbox`.
struct LambdaFixture {
    static let account = "123456789012"
    static let rules = """
        {"Queues": [{"QueueName": "results"}, {"QueueName": "failures"}, {"QueueName": "inbox"}],
         "Streams": [{"Name": "clicks", "ShardCount": 1}]}
        """

    let runtime: RouterRuntime
    let clock: ManualClock
    let endpoint: AWSEndpoint

    init() throws {
        let result = WorkspaceLoader.validate(files: [(name: "Rules/lambda.json", text: Self.rules)])
        guard var workspace = result.workspace else {
            Issue.record("workspace errors: \(result.problems)")
            throw EventRouterError(.validation, "bad fixture")
        }
        workspace.functions = [
            FunctionManifest(name: "echo", handler: "Echo"),
            FunctionManifest(name: "fail", handler: "Fail"),
            FunctionManifest(name: "closed", handler: "Echo", reservedConcurrentExecutions: 0),
        ]
        let registry = SwiftFunctionRegistry()
        registry.register("Echo") { event, context in
            context.log("echo handling \(context.requestId)")
            return event
        }
        registry.register("Fail") { _, _ in throw FunctionError(type: "Boom", message: "it always fails") }
        clock = ManualClock(start: Timestamp(secondsSinceEpoch: 1_767_225_600))
        // Function timeouts read a clock of their own that nothing advances: on virtual time they run on
        // the system clock by default, and a full parallel `swift test` can starve a handler for
        // longer than its 3 s timeout. No test here is about timeouts (the engine tests of function timeouts are).
        runtime = try RouterRuntime(workspace: workspace, clock: .virtual(clock), seed: 7, functionRegistry: registry,
                                    functionTimeoutClock: ManualClock(start: Timestamp(secondsSinceEpoch: 1_767_225_600)))
        endpoint = AWSEndpoint(services: [LambdaService(runtime: runtime), SQSService(runtime: runtime)],
                               authenticator: Authenticator(keys: AccessKeyTable(keys: []), strict: false, defaultRegion: "us-east-1"),
                               requestIds: SharedRandom(seed: 3))
    }

    /// One rest-json call as boto3 sends it; returns the response and its body parsed (`.null` when not JSON).
    func call(_ method: String, _ target: String, body: [UInt8] = [], headers: [(String, String)] = []) async -> (response: HTTPResponse, json: JSONValue) {
        var all: [(String, String)] = [
            ("Host", "127.0.0.1:4566"),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00"),
        ]
        if !body.isEmpty && !target.hasSuffix("/invocations") { all.append(("Content-Type", "application/json")) }
        all += headers
        let response = await endpoint.handle(HTTPRequest(method: method, target: target, headers: HTTPHeaders(all), body: body))
        let json = (try? JSONParser.parse(bytes: response.body)) ?? .null
        return (response, json)
    }

    func call(_ method: String, _ target: String, _ body: String, headers: [(String, String)] = []) async -> (response: HTTPResponse, json: JSONValue) {
        await call(method, target, body: Array(body.utf8), headers: headers)
    }

    /// The parsed bodies of a queue's messages.
    func bodies(_ queue: String) -> [JSONValue] {
        let arn = "arn:aws:sqs:us-east-1:\(Self.account):\(queue)"
        let messages = runtime.stateJSON()["queues"]?[arn]?["messages"]?.arrayValue ?? []
        return messages.compactMap { $0["Body"]?.stringValue }.compactMap { try? JSONParser.parse($0) }
    }
}
