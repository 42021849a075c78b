#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import EventRouterHTTP
import EventRouterTesting

/// The built `eventrouter run`: workspace access keys, admin state and shutdown, log lines, --quiet.
@Suite struct RunCommandAdminTests {
    /// A workspace folder with one rule file, removed by `remove()`.
    struct Folder {
        let path: String
        init(_ rules: String) {
            path = "/tmp/eventrouter-run-admin-\(getpid())-\(UInt32.random(in: 0 ... .max))"
            mkdir(path, 0o755)
            mkdir(path + "/Rules", 0o755)
            let file = fopen(path + "/Rules/a.json", "w")
            fputs(rules, file)
            fclose(file)
        }
        func remove() {
            unlink(path + "/Rules/a.json")
            rmdir(path + "/Rules")
            rmdir(path)
        }
    }

    static let rules = #"{"Accounts": [{"Id": "210987654321", "AccessKeys": [{"AccessKeyId": "AKIDWORKSPACE", "SecretAccessKey": "secret"}]}], "Queues": [{"QueueName": "orders"}]}"#

    /// Starts the binary; returns it and its port once the listening line is read.
    static func start(_ arguments: [String]) async throws -> (SpawnedProcess, Int) {
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let process = try #require(await offPool { SpawnedProcess(binary, ["run", "--port", "0"] + arguments) })
        let line = await offPool { process.readLine() }
        let prefix = "eventrouter listening on http://127.0.0.1:"
        let port = try #require(line.flatMap { $0.hasPrefix(prefix) ? Int($0.dropFirst(prefix.count)) : nil }, "first line: \(line ?? "none")")
        return (process, port)
    }

    @Test func workspaceKeysStateAndRemoteShutdownThroughTheBinary() async throws {
        let folder = Folder(Self.rules)
        defer { folder.remove() }
        let (process, port) = try await Self.start(["--workspace", folder.path, "--allow-remote-shutdown", "--log-level", "debug", "--strict-auth"])
        let start = await offPool { process.readLine() }
        #expect(start?.contains("strict SigV4 authentication (1 access key)") == true, "\(start ?? "")")
        #expect(start?.hasSuffix("resources created through the API last until this process ends") == true, "\(start ?? "")")
        let (state, identity, shutdown) = await offPool { () -> (TestResponse?, TestResponse?, TestResponse?) in
            let socket = LoopbackSocket(port: port)
            socket?.send("GET /_eventrouter/state HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let state = socket?.readResponse()
            let body = "Action=GetCallerIdentity&Version=2011-06-15"
            var request = HTTPRequest(method: "POST", target: "/", headers: HTTPHeaders([
                ("Host", "127.0.0.1"), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("X-Amz-Date", "20240102T030405Z")]),
                body: Array(body.utf8))
            request = AWSEndpointTests.signed(request, key: "AKIDWORKSPACE", secret: "secret", service: "sts", region: "us-east-1")
            var text = "POST / HTTP/1.1\r\n"
            for field in request.headers.fields { text += "\(field.name): \(field.value)\r\n" }
            socket?.send(text + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
            let identity = socket?.readResponse()
            socket?.send("POST /_eventrouter/shutdown HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")
            return (state, identity, socket?.readResponse())
        }
        #expect(state?.status == 200)
        #expect(state?.body.contains(#""arn:aws:sqs:us-east-1:123456789012:orders":{"messages":[]"#) == true, "\(state?.body ?? "")")
        #expect(identity?.status == 200, "\(identity?.body ?? "")")
        #expect(identity?.body.contains("<Account>210987654321</Account>") == true, "the workspace's key acts for its account")
        #expect(shutdown?.status == 202)
        let status = await offPool { process.waitForExit() }
        #expect(status == 0)
        var lines: [String] = []
        while let line = await offPool({ process.readLine() }) { lines.append(line) }
        #expect(lines.contains("debug [request] GET /_eventrouter/state (status=200)"), "\(lines)")
        #expect(lines.contains("notice [general] shutdown requested with POST /_eventrouter/shutdown"), "\(lines)")
        #expect(lines.last == "info [general] eventrouter stopped", "\(lines)")
    }

    @Test func quietPrintsOnlyTheListeningLineAndSIGTERMEndsWithZero() async throws {
        let folder = Folder(Self.rules)
        defer { folder.remove() }
        let (process, port) = try await Self.start(["--workspace", folder.path, "--quiet"])
        let refused = await offPool { () -> TestResponse? in
            let socket = LoopbackSocket(port: port)
            socket?.send("POST /_eventrouter/shutdown HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")
            return socket?.readResponse()
        }
        #expect(refused?.status == 403)
        let clock = ContinuousClock()
        let signalled = clock.now
        kill(process.pid, SIGTERM)
        let status = await offPool { process.waitForExit() }
        #expect(status == 0)
        #expect(clock.now - signalled < .seconds(10))
        #expect(await offPool { process.readLine() } == nil, "nothing after the listening line")
    }

    /// Regression: the signal sources were registered asynchronously, after SIG_IGN, so a SIGTERM
    /// sent right after the listening line was lost half of the time under load. `timeout -s KILL`
    /// turns a lost signal into status 137 instead of a hanging test (it forwards SIGTERM).
    @Test func aSIGTERMRightAfterTheListeningLineIsNeverLost() async throws {
        let folder = Folder(Self.rules)
        defer { folder.remove() }
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        var statuses: [Int32] = []
        for _ in 0..<8 {
            let process = try #require(await offPool {
                SpawnedProcess("/usr/bin/timeout", ["-s", "KILL", "20", binary, "run", "--port", "0", "--quiet", "--workspace", folder.path])
            })
            _ = await offPool { process.readLine() }
            kill(process.pid, SIGTERM)
            statuses.append(await offPool { process.waitForExit() })
        }
        #expect(statuses == Array(repeating: 0, count: 8))
    }

    @Test(arguments: [
        (["--log-level", "loud"], "--log-level must be one of error, warn, info, debug, got 'loud'"),
        (["--strict-auth"], "--strict-auth needs the keys it accepts: declare them under Accounts[].AccessKeys in a rule file, or pass --access-keys FILE"),
        (["--async-retry-delays", "soon"], "--async-retry-delays takes one or two delays in seconds from 0 to 3600, comma-separated (e.g. 0.2,0.4), got 'soon'"),
        (["--async-retry-delays", "1,2,3"], "--async-retry-delays takes one or two delays in seconds (e.g. 0.2,0.4), got 3 in '1,2,3'"),
    ])
    func refusesToStartWithAMessage(arguments: [String], message: String) async throws {
        let folder = Folder(#"{"Queues": [{"QueueName": "orders"}]}"#)
        defer { folder.remove() }
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let process = try #require(await offPool { SpawnedProcess(binary, ["run", "--port", "0", "--workspace", folder.path] + arguments) })
        let errors = await offPool { process.readAllErrors() }
        let status = await offPool { process.waitForExit() }
        #expect(status != 0)
        #expect(errors.contains(message), "\(errors)")
    }
}
