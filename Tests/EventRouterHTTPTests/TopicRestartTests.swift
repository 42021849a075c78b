#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import Testing
import EventRouterTesting
@testable import EventRouterHTTP

/// The built `eventrouter run --data-dir` keeps SNS state through `kill -9`: topics created
/// through the API with attributes and tags, a FIFO topic's deduplication window, an API
/// subscription to the rule file's topic, an HTTP subscription still pending confirmation (its
/// token confirms it after the restart) and an HTTP delivery that was retrying (it completes
/// after the restart). Real sockets both ways: the test serves the HTTP endpoint itself.
@Suite struct TopicRestartTests {
    static let rules = #"{"Queues": [{"QueueName": "inbox"}], "Topics": [{"TopicName": "declared"}]}"#

    /// The subscribed HTTP endpoint: records each post (path, body) and answers `status`.
    final class Endpoint: HTTPHandler {
        let posts = Mutex<[(path: String, body: String)]>([])
        let status = Mutex(200)
        let arrived = WakeSignal()
        func handle(_ request: HTTPRequest) async -> HTTPResponse {
            let code = status.withLock { $0 }
            posts.withLock { $0.append((request.path, String(decoding: request.body, as: UTF8.self))) }
            arrived.signal()
            return HTTPResponse(status: code, contentType: "text/plain", text: "")
        }

        /// The first post to `path` after the first `skipping` posts whose body satisfies `accept`, once it arrives.
        func post(to path: String, skipping: Int = 0, where accept: @escaping @Sendable (String) -> Bool = { _ in true }) async -> String {
            while true {
                let seen = arrived.generation
                if let body = posts.withLock({ $0.dropFirst(skipping).first { $0.path == path && accept($0.body) }?.body }) { return body }
                await arrived.wait(changedFrom: seen)
            }
        }
    }

    /// One SNS query call over a fresh loopback connection.
    static func sns(_ port: Int, _ action: String, _ parameters: [(String, String)]) async -> TestResponse? {
        let body = ([("Action", action)] + parameters + [("Version", "2010-03-31")])
            .map { PercentEncoding.encode($0.0) + "=" + PercentEncoding.encode($0.1) }.joined(separator: "&")
        return await offPool {
            guard let socket = LoopbackSocket(port: port) else { return nil }
            socket.send("POST / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
                + "Authorization: AWS4-HMAC-SHA256 Credential=AKIDTOPICS/20260101/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=00\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
            return socket.readResponse()
        }
    }

    static func element(_ name: String, _ response: TestResponse?) -> String? {
        guard let text = response?.body, let open = text.range(of: "<\(name)>"),
              let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex) else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }

    /// Starts `run` on `data`; returns it, its port and its data line.
    static func start(_ workspace: String, _ data: String) async throws -> (SpawnedProcess, Int, String?) {
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let process = try #require(await offPool { SpawnedProcess(binary, ["run", "--port", "0", "--workspace", workspace, "--data-dir", data, "--fsync", "always"]) })
        let line = await offPool { process.readLine() }
        let prefix = "eventrouter listening on http://127.0.0.1:"
        let port = try #require(line.flatMap { $0.hasPrefix(prefix) ? Int($0.dropFirst(prefix.count)) : nil }, "first line: \(line ?? "none")")
        _ = await offPool { process.readLine() }
        return (process, port, await offPool { process.readLine() })
    }

    static func token(_ body: String) throws -> String {
        try #require(try JSONParser.parse(body)["Token"]?.stringValue, "\(body)")
    }

    @Test func topicsSubscriptionsAPendingConfirmationAndARetryingDeliverySurviveKillMinus9() async throws {
        let folder = RunCommandAdminTests.Folder(Self.rules)
        defer { folder.remove() }
        let data = folder.path + "/data"
        defer { try? FileManager.default.removeItem(atPath: data) }
        let endpoint = Endpoint()
        try await withServer(handler: endpoint) { server in
            let hook = "http://127.0.0.1:\(server.port)"
            let (process, port, _) = try await Self.start(folder.path, data)
            let hooks = try #require(Self.element("TopicArn", await Self.sns(port, "CreateTopic", [
                ("Name", "hooks"), ("Attributes.entry.1.key", "DisplayName"), ("Attributes.entry.1.value", "Hooks")])))
            _ = await Self.sns(port, "TagResource", [("ResourceArn", hooks), ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "a")])
            let fifo = try #require(Self.element("TopicArn", await Self.sns(port, "CreateTopic", [
                ("Name", "api.fifo"), ("Attributes.entry.1.key", "FifoTopic"), ("Attributes.entry.1.value", "true"),
                ("Attributes.entry.2.key", "ContentBasedDeduplication"), ("Attributes.entry.2.value", "true")])))
            let fifoId = Self.element("MessageId", await Self.sns(port, "Publish", [("TopicArn", fifo), ("Message", "x"), ("MessageGroupId", "g")]))
            #expect(fifoId != nil)
            let declared = "arn:aws:sns:us-east-1:123456789012:declared"
            let queueSub = try #require(Self.element("SubscriptionArn", await Self.sns(port, "Subscribe", [
                ("TopicArn", declared), ("Protocol", "sqs"), ("Endpoint", "arn:aws:sqs:us-east-1:123456789012:inbox"), ("ReturnSubscriptionArn", "true")])))
            let pendingSub = try #require(Self.element("SubscriptionArn", await Self.sns(port, "Subscribe", [
                ("TopicArn", hooks), ("Protocol", "http"), ("Endpoint", hook + "/pending"), ("ReturnSubscriptionArn", "true")])))
            let pendingToken = try Self.token(await endpoint.post(to: "/pending"))
            let policy = #"{"healthyRetryPolicy":{"numRetries":20,"minDelayTarget":1,"maxDelayTarget":1}}"#
            _ = await Self.sns(port, "Subscribe", [("TopicArn", hooks), ("Protocol", "http"), ("Endpoint", hook + "/retry"),
                                                   ("Attributes.entry.1.key", "DeliveryPolicy"), ("Attributes.entry.1.value", policy)])
            let retryToken = try Self.token(await endpoint.post(to: "/retry"))
            #expect(await Self.sns(port, "ConfirmSubscription", [("TopicArn", hooks), ("Token", retryToken)])?.status == 200)
            // The endpoint fails: the publish is answered with its delivery journaled as retrying.
            endpoint.status.withLock { $0 = 500 }
            let published = await Self.sns(port, "Publish", [("TopicArn", hooks), ("Message", "hello")])
            let messageId = try #require(Self.element("MessageId", published), "\(published?.body ?? "no answer")")
            kill(process.pid, SIGKILL)
            _ = await offPool { process.waitForExit() }
            #expect(endpoint.posts.withLock { $0.contains { $0.path == "/retry" && $0.body.contains(messageId) } })

            endpoint.status.withLock { $0 = 200 }
            try await Self.afterTheKill(folder.path, data, endpoint, hooks: hooks, fifo: fifo, fifoId: fifoId, queueSub: queueSub,
                                        pendingSub: pendingSub, pendingToken: pendingToken, messageId: messageId)
        }
    }

    /// The second half: restart on the same data directory and read everything back.
    static func afterTheKill(_ workspace: String, _ data: String, _ endpoint: Endpoint, hooks: String, fifo: String, fifoId: String?, queueSub: String,
                             pendingSub: String, pendingToken: String, messageId: String) async throws {
        let count = endpoint.posts.withLock { $0.count }
        let (process, port, dataLine) = try await Self.start(workspace, data)
        #expect(dataLine?.contains(", 2 topics, 3 subscriptions, 1 topic retry") == true, "\(dataLine ?? "none")")
        // The retry resumes on the real clock from its stored time and now succeeds.
        let retried = await endpoint.post(to: "/retry", skipping: count) { $0.contains(messageId) }
        #expect(retried.contains("\"Type\":\"Notification\""))
        // The token sent before the kill still confirms the pending subscription.
        #expect(Self.element("SubscriptionArn", await Self.sns(port, "ConfirmSubscription", [("TopicArn", hooks), ("Token", pendingToken)])) == pendingSub)
        #expect(await Self.sns(port, "GetTopicAttributes", [("TopicArn", hooks)])?.body.contains("<key>DisplayName</key><value>Hooks</value>") == true)
        #expect(await Self.sns(port, "ListTagsForResource", [("ResourceArn", hooks)])?.body.contains("<Key>team</Key><Value>a</Value>") == true)
        #expect(await Self.sns(port, "GetSubscriptionAttributes", [("SubscriptionArn", queueSub)])?.status == 200)
        // A duplicate within 5 minutes is still deduplicated.
        #expect(Self.element("MessageId", await Self.sns(port, "Publish", [("TopicArn", fifo), ("Message", "x"), ("MessageGroupId", "g")])) == fifoId)
        kill(process.pid, SIGTERM)
        #expect(await offPool { process.waitForExit() } == 0)
    }

    @Test func aCorruptSubscriptionRecordStopsTheStartNamingTheFileAndOffset() async throws {
        let folder = RunCommandAdminTests.Folder(Self.rules)
        defer { folder.remove() }
        let data = folder.path + "/data"
        defer { try? FileManager.default.removeItem(atPath: data) }
        try FileManager.default.createDirectory(atPath: data + "/journal", withIntermediateDirectories: true)
        let file = data + "/journal/00000000000000000001.journal"
        let payload = #"{"arn":"arn:aws:sns:us-east-1:123456789012:declared:1","s":{}}"#
        #expect(FileManager.default.createFile(atPath: file, contents: Data(RunDataDirectoryTests.segment(type: 22, payload: payload))))
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let process = try #require(await offPool { SpawnedProcess(binary, ["run", "--port", "0", "--workspace", folder.path, "--data-dir", data]) })
        let errors = await offPool { process.readAllErrors() }
        #expect(await offPool { process.waitForExit() } != 0)
        #expect(errors.contains("the record at offset 16 of \(file) cannot be recovered: a subscriptionPut record for arn:aws:sns:us-east-1:123456789012:declared:1 has no \"topic\" string that its ARN starts with; eventrouter does not start rather than drop data"), "\(errors)")
    }
}
