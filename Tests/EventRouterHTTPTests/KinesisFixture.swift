import EventRouter
import Testing
@testable import EventRouterHTTP

/// Kinesis served in process: an ``AWSEndpoint`` over a ``RouterRuntime`` on a ``ManualClock``,
/// with stream `clicks` (1 shard) declared in a rule file.
struct KinesisFixture {
    static let rules = #"{"Streams": [{"Name": "clicks", "ShardCount": 1}]}"#
    static let arn = "arn:aws:kinesis:us-east-1:123456789012:stream/clicks"

    let clock = ManualClock()
    let runtime: RouterRuntime
    let endpoint: AWSEndpoint

    init() throws {
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/streams.json", text: Self.rules)]).workspace)
        runtime = try RouterRuntime(workspace: workspace, clock: .virtual(clock), seed: 3)
        endpoint = AWSEndpoint(services: [KinesisService(runtime: runtime)],
                               authenticator: Authenticator(keys: AccessKeyTable(), strict: false, defaultRegion: "us-east-1"),
                               requestIds: SharedRandom(seed: 5))
    }

    /// A JSON 1.1 call `Kinesis_20131202.<operation>` with `body`.
    func json(_ operation: String, _ body: String) async -> HTTPResponse {
        await call(operation, body: Array(body.utf8), contentType: "application/x-amz-json-1.1")
    }

    /// A CBOR call with `body` encoded.
    func cbor(_ operation: String, _ body: CBORValue) async -> HTTPResponse {
        await call(operation, body: CBOREncoder.encode(body), contentType: "application/x-amz-cbor-1.1")
    }

    func call(_ operation: String, body: [UInt8], contentType: String) async -> HTTPResponse {
        let request = HTTPRequest(method: "POST", target: "/", headers: HTTPHeaders([
            ("Host", "kinesis.test:4566"), ("X-Amz-Target", "Kinesis_20131202.\(operation)"), ("Content-Type", contentType),
        ]), body: body)
        return await endpoint.handle(request)
    }

    /// The JSON object of a JSON-protocol response.
    static func object(_ response: HTTPResponse) throws -> JSONValue {
        try JSONValue(parsing: String(decoding: response.body, as: UTF8.self))
    }

    /// A JSON call that must succeed; its reply object.
    func ok(_ operation: String, _ body: String) async throws -> JSONValue {
        let response = await json(operation, body)
        #expect(response.status == 200, "\(operation): \(String(decoding: response.body, as: UTF8.self))")
        return try Self.object(response)
    }
}
