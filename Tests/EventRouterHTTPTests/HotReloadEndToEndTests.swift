#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import EventRouter
@testable import EventRouterHTTP
import EventRouterTesting

/// Hot reload through `WorkspaceWatcher` on a manual clock, and through the built binary:
/// edit a rule file of a running `eventrouter run`, then a PutEvents reaches the new target;
/// `eventrouter export rules` writes an API-created queue as a rule file the router then adopts.
@Suite struct HotReloadEndToEndTests {
    static let account = "123456789012"

    static func rules(target: String) -> String {
        #"{"Queues": [{"QueueName": "a"}, {"QueueName": "b"}], "Rules": [{"Name": "r", "EventPattern": {"source": ["shop"]}, "# +
            #""Targets": [{"Id": "t", "Arn": "arn:aws:sqs:us-east-1:123456789012:\#(target)"}]}]}"#
    }

    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "er-reload-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path + "/Rules", withIntermediateDirectories: true)
        return path
    }

    static func write(_ text: String, to path: String) throws { try text.write(toFile: path, atomically: true, encoding: .utf8) }

    @Test func theWatcherChecksTheFilesOnItsClock() async throws {
        let path = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.write(Self.rules(target: "a"), to: path + "/Rules/main.json")
        let workspace = try WorkspaceLoader.load(directory: path)
        let clock = ManualClock()
        let runtime = try RouterRuntime(workspace: workspace, clock: .virtual(clock), seed: 1)
        let (outcomes, continuation) = AsyncStream.makeStream(of: WorkspaceReloader.Outcome.self)
        let watcher = WorkspaceWatcher(reloader: WorkspaceReloader(runtime: runtime, workspace: workspace, directory: path,
                                                                   origins: ResourceOrigins(workspace: workspace)),
                                       clock: clock, interval: .seconds(1), report: { continuation.yield($0) })
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await watcher.run() }
            await clock.waitForSleepers(1)
            try? Self.write(Self.rules(target: "b"), to: path + "/Rules/main.json")
            clock.advance(by: .milliseconds(999))
            #expect(clock.sleeperCount == 1, "no check before the interval")
            clock.advance(by: .milliseconds(1))
            var iterator = outcomes.makeAsyncIterator()
            let outcome = await iterator.next()
            #expect(outcome?.status == .applied)
            #expect(outcome?.lines.first == "reloaded 1 rule file: 1 rule change")
            watcher.stop()
        }
        #expect(runtime.router.rule(named: "r", busArn: "arn:aws:events:us-east-1:123456789012:event-bus/default")?.targets.first?.arn
                == "arn:aws:sqs:us-east-1:123456789012:b")
    }

    /// One JSON request on a fresh connection.
    static func call(_ port: Int, target: String, version: String, _ body: String) -> TestResponse? {
        let socket = LoopbackSocket(port: port)
        socket?.send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: \(target)\r\nContent-Type: application/x-amz-json-\(version)\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        return socket?.readResponse()
    }

    /// Reads stdout lines until one satisfies `match` (or the output ends); returns it.
    static func waitForLine(_ process: SpawnedProcess, _ match: @escaping @Sendable (String) -> Bool) async -> String? {
        await offPool {
            while let line = process.readLine() { if match(line) { return line } }
            return nil
        }
    }

    @Test func anEditedRuleFileRoutesToItsNewTargetAndAnExportIsAdopted() async throws {
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let path = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.write(Self.rules(target: "a"), to: path + "/Rules/main.json")
        let process = try #require(await offPool {
            SpawnedProcess(binary, ["run", "--port", "0", "--in-memory", "--workspace", path, "--reload-interval", "0.05"])
        })
        defer { kill(process.pid, SIGKILL); _ = process.waitForExit() }
        let line = await offPool { process.readLine() }
        let prefix = "eventrouter listening on http://127.0.0.1:"
        let port = try #require(line.flatMap { $0.hasPrefix(prefix) ? Int($0.dropFirst(prefix.count)) : nil }, "first line: \(line ?? "none")")

        // An invalid edit is refused (problems on stderr), then a valid one is applied.
        try Self.write(#"{"Rules": [{"Name": "r"}]}"#, to: path + "/Rules/main.json")
        let refused = await Self.waitForLine(process) { $0.contains("[reload]") }
        #expect(refused == "error [reload] reload refused: 1 error in 1 file; the running definition stays (fix the files: the next save is checked again)")
        try Self.write(Self.rules(target: "b"), to: path + "/Rules/main.json")
        let applied = await Self.waitForLine(process) { $0.contains("[reload]") }
        #expect(applied == "notice [reload] reloaded 1 rule file: 1 rule change")

        let queueB = "http://127.0.0.1:\(port)/123456789012/b"
        let (put, received) = await offPool { () -> (TestResponse?, TestResponse?) in
            let put = Self.call(port, target: "AWSEvents.PutEvents", version: "1.1",
                                #"{"Entries": [{"Source": "shop", "DetailType": "T", "Detail": "{\"n\":1}"}]}"#)
            let received = Self.call(port, target: "AmazonSQS.ReceiveMessage", version: "1.0", #"{"QueueUrl": "\#(queueB)", "WaitTimeSeconds": 10}"#)
            return (put, received)
        }
        #expect(put?.status == 200)
        #expect(put?.body.contains(#""FailedEntryCount":0"#) == true, "\(put?.body ?? "")")
        #expect(received?.status == 200)
        #expect(received?.body.contains(#"\"source\":\"shop\""#) == true, "the event reached the new target: \(received?.body ?? "")")

        // A queue created through the API, exported into the watched folder, comes from the files from then on.
        let created = await offPool { Self.call(port, target: "AmazonSQS.CreateQueue", version: "1.0", #"{"QueueName": "api-q", "Attributes": {"VisibilityTimeout": "40"}}"#) }
        #expect(created?.status == 200, "\(created?.body ?? "")")
        let export = try #require(await offPool {
            SpawnedProcess(binary, ["export", "rules", "--url", "http://127.0.0.1:\(port)", "--out", path + "/Rules"])
        })
        let wrote = await offPool { export.readLine() }
        #expect(wrote == "wrote \(path)/Rules/api-123456789012-us-east-1.json (1 queue)")
        #expect(await offPool { export.waitForExit() } == 0)
        let adopted = await Self.waitForLine(process) { $0.contains("already exists") }
        #expect(adopted == "info [reload] queue arn:aws:sqs:us-east-1:123456789012:api-q already exists (created through the API): it now comes from Rules/api-123456789012-us-east-1.json")
        let again = await offPool { () -> TestResponse? in
            let socket = LoopbackSocket(port: port)
            socket?.send("GET /_eventrouter/export HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            return socket?.readResponse()
        }
        #expect(again?.body == #"{"Files":[],"Skipped":[]}"#, "nothing left to export")
    }

    @Test(arguments: [
        (["export"], 2, "eventrouter export: say what to export: eventrouter export rules, or eventrouter export cloudformation"),
        (["export", "queues"], 2, "eventrouter export: unknown export 'queues'; the export command has: rules, cloudformation"),
        (["export", "rules", "--url", "http://x", "--state", "y"], 2, "eventrouter export: give --url or --state, not both"),
        (["export", "rules", "--state", "/nonexistent/export.json"], 2, "eventrouter export: --state: no file /nonexistent/export.json"),
        (["export", "rules", "--url", "ftp://x"], 2, "eventrouter export: --url must be an http URL such as http://127.0.0.1:4566, got 'ftp://x'"),
        (["export", "rules", "--state", "STATE:{\"a\": 1}"], 1,
         "eventrouter export: the export has no \"Files\" list: give --state a file saved from GET /_eventrouter/export of a running 'eventrouter run'"),
        (["export", "rules", "--state", "STATE:{\"Files\": [{\"Name\": \"../x.json\", \"Document\": {}}]}"], 1,
         "eventrouter export: the export's Files[0] needs a \"Name\" (a file name ending in .json, no folders) and a \"Document\" object"),
        (["export", "rules", "--state", "STATE:{\"Files\": "], 1, "eventrouter export: the export is not valid JSON: "),
        (["run", "--reload-interval", "0"], 2, "eventrouter run: --reload-interval takes seconds from 0.05 to 3600 (e.g. 0.5), got '0'"),
    ] as [([String], Int32, String)])
    func badExportAndReloadOptionsSayWhatToChange(arguments: [String], status: Int32, message: String) async throws {
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let path = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var arguments = arguments
        for (i, argument) in arguments.enumerated() where argument.hasPrefix("STATE:") {
            try Self.write(String(argument.dropFirst(6)), to: path + "/export.json")
            arguments[i] = path + "/export.json"
        }
        let full = arguments.first == "export" ? arguments + ["--out", path + "/Rules"] : arguments + ["--in-memory", "--workspace", path]
        let process = try #require(await offPool { SpawnedProcess(binary, full) })
        let errors = await offPool { process.readAllErrors() }
        #expect(await offPool { process.waitForExit() } == status)
        #expect(errors.split(separator: "\n").first.map(String.init)?.hasPrefix(message) == true, "\(errors)")
    }
}
