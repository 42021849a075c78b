#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import EventRouter
@testable import EventRouterHTTP
import EventRouterTesting

/// The real `eventrouter run` serving Lambda's `Invoke` for Runtime API functions: the shell
/// `provided` bootstrap of docs/lambda-runtimes.md (as printed there) answers `RequestResponse`
/// and `Event` invocations and an event routed by a rule, a qualified Invoke says the version
/// it ran, and an edited Python handler file answers the next invocation (hot reload). Waits on
/// log lines and long polls only.
@Suite struct LambdaRuntimeAPIRunTests {
    static let account = "123456789012"

    /// The ```sh block under "A `provided` bootstrap in shell" in docs/lambda-runtimes.md.
    static func documentedBootstrap() throws -> String {
        let doc = try String(contentsOfFile: RunCommandEndToEndTests.repository + "/docs/lambda-runtimes.md", encoding: .utf8)
        let section = try #require(doc.components(separatedBy: "## A `provided` bootstrap in shell").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first)
        return block
    }

    static func python(_ version: Int) -> String {
        "def lambda_handler(event, context):\n    return {\"version\": \(version), \"name\": context.function_name}\n"
    }

    static func write(_ text: String, to path: String, executable: Bool = false) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try TestFile.write(text, to: path, executable: executable)  // O_CLOEXEC: no "Text file busy" when run
    }

    /// One rest-json Lambda request on a fresh connection.
    static func lambda(_ port: Int, _ method: String, _ path: String, _ body: String = "", headers: [(String, String)] = []) -> TestResponse? {
        let socket = LoopbackSocket(port: port)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Authorization: AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        socket?.send(head + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        return socket?.readResponse()
    }

    /// A long-poll ReceiveMessage on the queue `done`.
    static func receive(_ port: Int) -> TestResponse? {
        let socket = LoopbackSocket(port: port)
        let body = #"{"QueueUrl": "http://127.0.0.1:\#(port)/\#(Self.account)/done", "WaitTimeSeconds": 20}"#
        socket?.send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AmazonSQS.ReceiveMessage\r\n"
            + "Content-Type: application/x-amz-json-1.0\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        return socket?.readResponse()
    }

    /// The destination record in the one message `received`.
    static func record(_ received: TestResponse?) throws -> JSONValue {
        let messages = try #require(received.flatMap { try? JSONValue(parsing: $0.body) }?["Messages"]?.arrayValue, "\(received?.body ?? "")")
        #expect(messages.count == 1)
        return try #require(messages.first?["Body"]?.stringValue.flatMap { try? JSONValue(parsing: $0) })
    }

    @Test func theDocumentedShellBootstrapAnswersInvokeAndAnEditedHandlerTheNextOne() async throws {
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        try #require(access("/usr/bin/curl", X_OK) == 0 || access("/bin/curl", X_OK) == 0,
                     "the documented bootstrap needs curl: install it (apt-get install curl)")
        let path = NSTemporaryDirectory() + "er-rtapi-run-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        let done = "arn:aws:sqs:us-east-1:\(Self.account):done"
        try Self.write(#"{"Queues": [{"QueueName": "done"}], "Rules": [{"Name": "to-custom", "EventPattern": {"source": ["shop"]}, "# +
                       #""Targets": [{"Id": "c", "Arn": "arn:aws:lambda:us-east-1:\#(Self.account):function:custom"}]}]}"#,
                       to: path + "/Rules/main.json")
        try Self.write(#"{"Runtime": "provided.al2023", "Timeout": 30, "Aliases": {"live": "1"}, "# +
                       #""EventInvokeConfig": {"DestinationConfig": {"OnSuccess": {"Destination": "\#(done)"}}}}"#,
                       to: path + "/Functions/custom/function.json")
        try Self.write(try Self.documentedBootstrap(), to: path + "/Functions/custom/bootstrap", executable: true)
        try Self.write(#"{"Runtime": "python3.12", "Handler": "app.lambda_handler", "Timeout": 30}"#, to: path + "/Functions/greet-py/function.json")
        try Self.write(Self.python(1), to: path + "/Functions/greet-py/app.py")

        let process = try #require(await offPool {
            SpawnedProcess(binary, ["run", "--port", "0", "--in-memory", "--workspace", path, "--reload-interval", "0.05"])
        })
        var stopped = false
        defer { if !stopped { kill(process.pid, SIGKILL); _ = process.waitForExit() } }
        let line = await offPool { process.readLine() }
        let prefix = "eventrouter listening on http://127.0.0.1:"
        let port = try #require(line.flatMap { $0.hasPrefix(prefix) ? Int($0.dropFirst(prefix.count)) : nil }, "first line: \(line ?? "none")")

        // RequestResponse: the bootstrap's answer, the version the qualifier runs.
        let (plain, live) = await offPool {
            (Self.lambda(port, "POST", "/2015-03-31/functions/custom/invocations", #"{"n": 1}"#),
             Self.lambda(port, "POST", "/2015-03-31/functions/custom:live/invocations", #"{"n": 2}"#))
        }
        #expect(plain?.status == 200)
        #expect(plain.flatMap { try? JSONValue(parsing: $0.body) } == ["echo": ["n": 1]], "\(plain?.body ?? "")")
        #expect(plain?.headers["X-Amz-Executed-Version"] == "$LATEST")
        #expect(plain?.headers["X-Amz-Function-Error"] == nil)
        #expect(live.flatMap { try? JSONValue(parsing: $0.body) } == ["echo": ["n": 2]])
        #expect(live?.headers["X-Amz-Executed-Version"] == "1", "custom:live runs version 1")

        // Event: 202 at once; the answer reaches the OnSuccess destination with the qualifier.
        let (accepted, received) = await offPool { () -> (TestResponse?, TestResponse?) in
            let accepted = Self.lambda(port, "POST", "/2015-03-31/functions/custom:live/invocations", #"{"n": 3}"#,
                                       headers: [("X-Amz-Invocation-Type", "Event")])
            return (accepted, Self.receive(port))
        }
        #expect(accepted?.status == 202)
        let record = try Self.record(received)
        #expect(record["responsePayload"] == ["echo": ["n": 3]])
        #expect(record["requestPayload"] == ["n": 3])
        #expect(record["requestContext"]?["condition"] == "Success")
        #expect(record["requestContext"]?["functionArn"] == .string("arn:aws:lambda:us-east-1:\(Self.account):function:custom:live"))
        #expect(record["responseContext"]?["executedVersion"] == "1")

        // A rule target: an event put on the default bus reaches the bootstrap (asynchronously).
        let (put, routed) = await offPool { () -> (TestResponse?, TestResponse?) in
            let socket = LoopbackSocket(port: port)
            let body = #"{"Entries": [{"Source": "shop", "DetailType": "OrderPlaced", "Detail": "{\"orderId\":\"o-1\"}"}]}"#
            socket?.send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AWSEvents.PutEvents\r\n"
                + "Content-Type: application/x-amz-json-1.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            return (socket?.readResponse(), Self.receive(port))
        }
        #expect(put?.body.contains(#""FailedEntryCount":0"#) == true, "\(put?.body ?? "")")
        let ruleRecord = try Self.record(routed)
        #expect(ruleRecord["responsePayload"]?["echo"]?["detail"] == ["orderId": "o-1"])
        #expect(ruleRecord["responsePayload"]?["echo"]?["source"] == "shop")
        #expect(ruleRecord["requestContext"]?["functionArn"] == .string("arn:aws:lambda:us-east-1:\(Self.account):function:custom:$LATEST"))

        // Hot reload: the edited app.py answers the next invocation.
        let before = await offPool { Self.lambda(port, "POST", "/2015-03-31/functions/greet-py/invocations", "{}") }
        #expect(before.flatMap { try? JSONValue(parsing: $0.body) } == ["version": 1, "name": "greet-py"], "\(before?.body ?? "")")
        try Self.write(Self.python(2), to: path + "/Functions/greet-py/app.py")
        let reloaded = await HotReloadEndToEndTests.waitForLine(process) { $0.contains("function greet-py:") }
        #expect(reloaded == "info [reload] function greet-py: code changed; 1 idle execution environment stopped, busy ones restart after their current invocation, the next invocation runs the new code")
        let after = await offPool { Self.lambda(port, "POST", "/2015-03-31/functions/greet-py/invocations", "{}") }
        #expect(after.flatMap { try? JSONValue(parsing: $0.body) } == ["version": 2, "name": "greet-py"], "\(after?.body ?? "")")

        kill(process.pid, SIGTERM)
        #expect(await offPool { process.waitForExit() } == 0, "a clean stop ends the environments")
        stopped = true
    }
}
