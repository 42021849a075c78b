import EventRouter
import Synchronization
import Testing
@testable import EventRouterHTTP

/// SNS served in process: an ``AWSEndpoint`` over a ``RouterRuntime`` on a ``ManualClock`` with
/// queues `inbox`, `inbox-dlq` and `ordered.fifo` and topic `declared` (no subscriptions); HTTP/S
/// subscriptions post to a ``RecordingHTTPClient``.
struct SNSFixture {
    static let account = "123456789012"
    static let rules = #"""
    {"Queues": [{"QueueName": "inbox"}, {"QueueName": "inbox-dlq"}, {"QueueName": "ordered.fifo", "FifoQueue": true}],
     "Topics": [{"TopicName": "declared"}]}
    """#

    let clock = ManualClock()
    let runtime: RouterRuntime
    let endpoint: AWSEndpoint
    let http = RecordingHTTPClient()

    /// - Parameter seed: the runtime's (message ids); a restarted fixture takes another, as `run` does.
    init(seed: UInt64 = 3) throws {
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/sns.json", text: Self.rules)]).workspace)
        runtime = try RouterRuntime(workspace: workspace, clock: .virtual(clock), seed: seed)
        endpoint = AWSEndpoint(services: [SNSService(runtime: runtime, httpClient: http, seed: 11)],
                               authenticator: Authenticator(keys: AccessKeyTable(), strict: false, defaultRegion: "us-east-1"),
                               requestIds: SharedRandom(seed: 5))
    }

    static func topicArn(_ name: String) -> String { "arn:aws:sns:us-east-1:\(account):\(name)" }
    static func queueArn(_ name: String) -> String { "arn:aws:sqs:us-east-1:\(account):\(name)" }

    /// A query call: `Action=operation`, the form-encoded `parameters`, `Version=2010-03-31`.
    func call(_ operation: String, _ parameters: [(String, String)] = []) async -> HTTPResponse {
        let form = ([("Action", operation)] + parameters + [("Version", "2010-03-31")])
            .map { PercentEncoding.encode($0.0) + "=" + PercentEncoding.encode($0.1) }.joined(separator: "&")
        let request = HTTPRequest(method: "POST", target: "/", headers: HTTPHeaders([
            ("Host", "sns.test:4566"), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        ]), body: Array(form.utf8))
        let response = await endpoint.handle(request)
        await response.afterSending?()  // Publish's deliveries, made after the answer (as the server does)
        return response
    }

    /// The text of the first `<name>` element of a response.
    static func element(_ name: String, in response: HTTPResponse) -> String? {
        let text = String(decoding: response.body, as: UTF8.self)
        guard let open = text.range(of: "<\(name)>"), let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex) else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }

    /// The body of a response.
    static func text(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    /// Creates topic `name` with `attributes` and answers its ARN.
    func createTopic(_ name: String, _ attributes: [(String, String)] = []) async throws -> String {
        var parameters = [("Name", name)]
        for (i, a) in attributes.enumerated() { parameters += [("Attributes.entry.\(i + 1).key", a.0), ("Attributes.entry.\(i + 1).value", a.1)] }
        let response = await call("CreateTopic", parameters)
        #expect(response.status == 200, "\(Self.text(response))")
        return try #require(Self.element("TopicArn", in: response))
    }

    /// Subscribes and answers the `SubscriptionArn` element (`ReturnSubscriptionArn=true`).
    func subscribe(_ topic: String, _ proto: String, _ endpoint: String, _ attributes: [(String, String)] = []) async throws -> String {
        var parameters = [("TopicArn", topic), ("Protocol", proto), ("Endpoint", endpoint), ("ReturnSubscriptionArn", "true")]
        for (i, a) in attributes.enumerated() { parameters += [("Attributes.entry.\(i + 1).key", a.0), ("Attributes.entry.\(i + 1).value", a.1)] }
        let response = await call("Subscribe", parameters)
        #expect(response.status == 200, "\(Self.text(response))")
        return try #require(Self.element("SubscriptionArn", in: response))
    }

    /// The bodies of every visible message of queue `name`.
    func drain(_ name: String) async throws -> [ReceivedMessage] {
        let queue = try #require(runtime.queues.queue(arn: Self.queueArn(name)))
        var all: [ReceivedMessage] = []
        while true {
            let got = try await queue.receiveMessages(maxNumberOfMessages: 10)
            if got.isEmpty { return all }
            all += got
        }
    }
}

/// An ``HTTPSubscriptionClient`` that records each post and answers statuses from a script
/// (then 200); tests wait for posts with ``waitForPosts(_:)``, which waits on a signal, not on time.
final class RecordingHTTPClient: HTTPSubscriptionClient {
    struct Post: Sendable {
        var url: String
        var headers: [(String, String)]
        var body: String
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    private let state = Mutex<(posts: [Post], script: [HTTPPostResult])>(([], []))
    private let arrived = WakeSignal()

    /// The posts so far.
    var posts: [Post] { state.withLock { $0.posts } }

    /// The next posts answer these results in order.
    func script(_ results: [HTTPPostResult]) { state.withLock { $0.script = results } }

    func post(url: String, headers: [(String, String)], body: String) async -> HTTPPostResult {
        let result = state.withLock { s -> HTTPPostResult in
            s.posts.append(Post(url: url, headers: headers, body: body))
            return s.script.isEmpty ? .status(200) : s.script.removeFirst()
        }
        arrived.signal()
        return result
    }

    /// Returns once `count` posts have arrived.
    func waitForPosts(_ count: Int) async -> [Post] {
        while true {
            let seen = arrived.generation
            let posts = self.posts
            if posts.count >= count { return posts }
            await arrived.wait(changedFrom: seen)
        }
    }
}
