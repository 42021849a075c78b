import EventRouter
import Testing
@testable import EventRouterHTTP

/// EventBridge in process: an ``AWSEndpoint`` over a ``RouterRuntime`` of in-memory rule files on
/// a manual clock; calls go through `endpoint.handle(HTTPRequest)` as the wire delivers them.
struct EventBridgeFixture {
    static let account = "123456789012"
    static let other = "111122223333"
    /// Keys: `AKIDMAIN` acts for ``account``, `AKIDOTHER` for ``other``.
    static let keys = AccessKeyTable(keys: [
        AccessKey(accessKeyId: "AKIDMAIN", secretAccessKey: "s", account: account),
        AccessKey(accessKeyId: "AKIDOTHER", secretAccessKey: "s", account: other),
    ])

    let runtime: RouterRuntime
    let clock: ManualClock
    let service: EventBridgeService
    let endpoint: AWSEndpoint
    var router: Router { runtime.router }

    /// - Parameter files: rule files (JSON text); none gives a workspace with only the default bus.
    init(_ files: String..., start: Timestamp = Timestamp(secondsSinceEpoch: 1_767_225_600)) throws {
        let result = WorkspaceLoader.validate(files: files.enumerated().map { (name: "Rules/f\($0.offset).json", text: $0.element) })
        guard let workspace = result.workspace else {
            Issue.record("workspace errors: \(result.problems)")
            throw EventRouterError(.validation, "bad fixture")
        }
        clock = ManualClock(start: start)
        runtime = try RouterRuntime(workspace: workspace, clock: .virtual(clock), seed: 7)
        service = EventBridgeService(runtime: runtime)
        endpoint = AWSEndpoint(services: [service], authenticator: Authenticator(keys: Self.keys, strict: false, defaultRegion: "us-east-1"),
                               requestIds: SharedRandom(seed: 3))
    }

    /// Calls `AWSEvents.<operation>` with a body as `key`'s account and returns the status and the parsed reply.
    func call(_ operation: String, _ body: String, key: String = "AKIDMAIN") async -> (status: Int, json: JSONValue) {
        let request = HTTPRequest(method: "POST", target: "/", headers: HTTPHeaders([
            ("Host", "127.0.0.1:4566"), ("X-Amz-Target", "AWSEvents.\(operation)"), ("Content-Type", "application/x-amz-json-1.1"),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=\(key)/20260101/us-east-1/events/aws4_request, SignedHeaders=host, Signature=00"),
        ]), body: Array(body.utf8))
        let response = await endpoint.handle(request)
        let json = (try? JSONParser.parse(String(decoding: response.body, as: UTF8.self))) ?? .null
        return (response.status, json)
    }

    /// ``call(_:_:key:)`` that must succeed.
    @discardableResult
    func ok(_ operation: String, _ body: String, key: String = "AKIDMAIN", sourceLocation: SourceLocation = #_sourceLocation) async -> JSONValue {
        let (status, json) = await call(operation, body, key: key)
        #expect(status == 200, "\(operation) answered \(status): \(json)", sourceLocation: sourceLocation)
        return json
    }

    /// The parsed bodies of a queue's messages.
    func bodies(_ queueArn: String) -> [JSONValue] {
        messages(queueArn).compactMap { $0["Body"]?.stringValue }.compactMap { try? JSONParser.parse($0) }
    }

    /// The messages of a queue in the state JSON.
    func messages(_ queueArn: String) -> [JSONValue] {
        runtime.stateJSON()["queues"]?[queueArn]?["messages"]?.arrayValue ?? []
    }

    static func queue(_ name: String, account: String = account) -> String { "arn:aws:sqs:us-east-1:\(account):\(name)" }
}
