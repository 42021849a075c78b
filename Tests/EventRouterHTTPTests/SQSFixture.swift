import EventRouter
import Testing
@testable import EventRouterHTTP

/// SQS served in process: an ``AWSEndpoint`` over a ``RouterRuntime`` on a ``ManualClock``,
/// with a workspace of a standard queue `work` (redriving to `work-dlq` after 2 receives) and a
/// FIFO queue `jobs.fifo`; rule `to-work` delivers the detail of `shop` events to `work`.
struct SQSFixture {
    static let account = "123456789012"
    static let rules = #"""
    {"Queues": [
      {"QueueName": "work", "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:work-dlq", "maxReceiveCount": 2}},
      {"QueueName": "work-dlq"},
      {"QueueName": "jobs.fifo", "FifoQueue": true, "ContentBasedDeduplication": true}],
     "Rules": [{"Name": "to-work", "EventPattern": {"source": ["shop"]},
                "Targets": [{"Id": "work", "Arn": "arn:aws:sqs:us-east-1:123456789012:work", "InputPath": "$.detail"}]}]}
    """#

    let clock = ManualClock()
    let runtime: RouterRuntime
    let endpoint: AWSEndpoint

    init() throws {
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/queues.json", text: Self.rules)]).workspace)
        runtime = try RouterRuntime(workspace: workspace, clock: .virtual(clock), seed: 3)
        endpoint = AWSEndpoint(services: [SQSService(runtime: runtime)],
                               authenticator: Authenticator(keys: AccessKeyTable(), strict: false, defaultRegion: "us-east-1"),
                               requestIds: SharedRandom(seed: 5))
    }

    /// `http://sqs.test:4566/123456789012/NAME`, as the server hands it out to this fixture's requests.
    static func url(_ name: String) -> String { "http://sqs.test:4566/\(account)/\(name)" }

    /// A JSON 1.0 call `AmazonSQS.<operation>` with `body`.
    func json(_ operation: String, _ body: String) async -> HTTPResponse {
        let request = HTTPRequest(method: "POST", target: "/", headers: HTTPHeaders([
            ("Host", "sqs.test:4566"), ("X-Amz-Target", "AmazonSQS.\(operation)"), ("Content-Type", "application/x-amz-json-1.0"),
        ]), body: Array(body.utf8))
        return await endpoint.handle(request)
    }

    /// A query call: the form `body` (Version=2012-11-05 added) posted to `path`.
    func query(_ body: String, path: String = "/") async -> HTTPResponse {
        let request = HTTPRequest(method: "POST", target: path, headers: HTTPHeaders([
            ("Host", "sqs.test:4566"), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        ]), body: Array((body + "&Version=2012-11-05").utf8))
        return await endpoint.handle(request)
    }

    /// The JSON object of a JSON-protocol response.
    static func object(_ response: HTTPResponse) throws -> JSONValue {
        try JSONValue(parsing: String(decoding: response.body, as: UTF8.self))
    }

    /// The text of a response body.
    static func text(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }
}

extension JSONValue {
    /// The `index`th element of an array (nil otherwise).
    subscript(index: Int) -> JSONValue? {
        guard let items = arrayValue, items.indices.contains(index) else { return nil }
        return items[index]
    }
}
