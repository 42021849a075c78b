#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import EventRouter
@testable import EventRouterHTTP
import EventRouterTesting

/// The built `eventrouter run --data-dir` keeps the function side through `kill -9`
/// (docs/durability.md, "Functions"): settings put through the Lambda API, event source mappings
/// created through it (same UUIDs; a stream mapping resumes after its checkpoint), and
/// asynchronous invocations accepted (202) before the kill — one killed mid-attempt runs again,
/// one waiting for a retry keeps its attempt count. Waits on log lines, a FIFO and long polls.
@Suite struct FunctionDataDirectoryTests {
    static let account = "123456789012"
    static func arn(_ function: String) -> String { "arn:aws:lambda:us-east-1:\(account):function:\(function)" }

    /// Starts `run` on `data`; returns the process and its port once the data line is read.
    static func start(_ path: String, data: String) async throws -> (SpawnedProcess, Int, String?) {
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let process = try #require(await offPool {
            SpawnedProcess(binary, ["run", "--port", "0", "--workspace", path, "--data-dir", data, "--async-retry-delays", "2", "--no-reload"])
        })
        let line = await offPool { process.readLine() }
        let prefix = "eventrouter listening on http://127.0.0.1:"
        let port = try #require(line.flatMap { $0.hasPrefix(prefix) ? Int($0.dropFirst(prefix.count)) : nil }, "first line: \(line ?? "none")")
        _ = await offPool { process.readLine() }
        return (process, port, await offPool { process.readLine() })
    }

    static func lambda(_ port: Int, _ method: String, _ path: String, _ body: String = "", event: Bool = false) -> TestResponse? {
        LambdaRuntimeAPIRunTests.lambda(port, method, path, body, headers: event ? [("X-Amz-Invocation-Type", "Event")] : [])
    }

    static func json(_ response: TestResponse?) -> JSONValue? { response.flatMap { try? JSONValue(parsing: $0.body) } }

    /// A long-poll ReceiveMessage on `queue`: the first message's body as JSON.
    static func receive(_ port: Int, _ queue: String) -> JSONValue? {
        let socket = LoopbackSocket(port: port)
        guard let socket else { return nil }
        let response = CrashHarnessTests.request(socket, port: port, "ReceiveMessage",
                                                 #"{"QueueUrl": "\#(CrashHarnessTests.queueURL(port, queue))", "WaitTimeSeconds": 20}"#)
        return json(response)?["Messages"]?.arrayValue?.first?["Body"]?.stringValue.flatMap { try? JSONValue(parsing: $0) }
    }

    /// One PutRecords of `data` (one record each) to the stream `clicks`.
    static func putRecords(_ port: Int, _ data: [String]) -> TestResponse? {
        guard let socket = LoopbackSocket(port: port) else { return nil }
        let records = data.map { #"{"Data": "\#(Data($0.utf8).base64EncodedString())", "PartitionKey": "k"}"# }.joined(separator: ", ")
        return CrashHarnessTests.request(socket, port: port, "PutRecords", #"{"StreamName": "clicks", "Records": [\#(records)]}"#)
    }

    @Test func settingsMappingsAndAsyncInvocationsSurviveKillMinus9() async throws {
        let path = NSTemporaryDirectory() + "er-fn-data-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        let data = path + "/data", fifo = path + "/started", runs = path + "/runs.txt", seen = path + "/seen.txt"
        try LambdaRuntimeAPIRunTests.write(#"{"Queues": [{"QueueName": "done"}, {"QueueName": "failed"}, {"QueueName": "in"}], "Streams": [{"Name": "clicks", "ShardCount": 1}]}"#,
                                           to: path + "/Rules/main.json")
        // slow: its first attempt announces itself on the FIFO and hangs (the kill lands there).
        try LambdaRuntimeAPIRunTests.write(#"{"Runtime": "python3.12", "Handler": "app.handler", "Timeout": 120}"#, to: path + "/Functions/slow/function.json")
        try LambdaRuntimeAPIRunTests.write("""
            import os, time
            def handler(event, context):
                if not os.path.exists("\(path)/slow-started"):
                    open("\(path)/slow-started", "w").close()
                    with open("\(fifo)", "w") as f:
                        f.write("started\\n")
                    time.sleep(30)
                return {"ok": event}
            """, to: path + "/Functions/slow/app.py")
        // failing: always fails, counting its runs.
        try LambdaRuntimeAPIRunTests.write(#"{"Runtime": "python3.12", "Handler": "app.handler", "Timeout": 30}"#, to: path + "/Functions/failing/function.json")
        try LambdaRuntimeAPIRunTests.write("""
            def handler(event, context):
                with open("\(runs)", "a") as f:
                    f.write("run\\n")
                raise Exception("always fails")
            """, to: path + "/Functions/failing/app.py")
        // sink: the mappings' function, writing down what it read.
        try LambdaRuntimeAPIRunTests.write(#"{"Runtime": "python3.12", "Handler": "app.handler", "Timeout": 30}"#, to: path + "/Functions/sink/function.json")
        try LambdaRuntimeAPIRunTests.write("""
            import base64
            def handler(event, context):
                with open("\(seen)", "a") as f:
                    for r in event.get("Records", []):
                        if "kinesis" in r:
                            f.write("k:" + base64.b64decode(r["kinesis"]["data"]).decode() + "\\n")
                        else:
                            f.write("q:" + r["body"] + "\\n")
                return {}
            """, to: path + "/Functions/sink/app.py")
        #expect(mkfifo(fifo, 0o600) == 0)

        let (process, port, _) = try await Self.start(path, data: data)
        var alive = true
        defer { if alive { kill(process.pid, SIGKILL); _ = process.waitForExit() } }

        // Settings through the API.
        let put = await offPool {
            (Self.lambda(port, "PUT", "/2019-09-25/functions/slow/event-invoke-config",
                         #"{"MaximumRetryAttempts": 1, "DestinationConfig": {"OnSuccess": {"Destination": "arn:aws:sqs:us-east-1:\#(Self.account):done"}}}"#),
             Self.lambda(port, "PUT", "/2019-09-25/functions/failing/event-invoke-config",
                         #"{"MaximumRetryAttempts": 1, "DestinationConfig": {"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:\#(Self.account):failed"}}}"#),
             Self.lambda(port, "PUT", "/2017-10-31/functions/sink/concurrency", #"{"ReservedConcurrentExecutions": 7}"#))
        }
        #expect(put.0?.status == 200 && put.1?.status == 200 && put.2?.status == 200, "\(put.0?.body ?? "") \(put.1?.body ?? "") \(put.2?.body ?? "")")
        // Mappings through the API: a queue and a stream read by sink.
        let (queueMapping, streamMapping) = await offPool {
            (Self.json(Self.lambda(port, "POST", "/2015-03-31/event-source-mappings/",
                                   #"{"FunctionName": "sink", "EventSourceArn": "arn:aws:sqs:us-east-1:\#(Self.account):in", "BatchSize": 1}"#)),
             Self.json(Self.lambda(port, "POST", "/2015-03-31/event-source-mappings/",
                                   #"{"FunctionName": "sink", "EventSourceArn": "arn:aws:kinesis:us-east-1:\#(Self.account):stream/clicks", "StartingPosition": "TRIM_HORIZON", "Enabled": false}"#)))
        }
        let queueUUID = try #require(queueMapping?["UUID"]?.stringValue, "\(String(describing: queueMapping))")
        let streamUUID = try #require(streamMapping?["UUID"]?.stringValue, "\(String(describing: streamMapping))")
        // Enabled through UpdateEventSourceMapping; two records read and checkpointed.
        let enabled = await offPool { Self.lambda(port, "PUT", "/2015-03-31/event-source-mappings/\(streamUUID)", #"{"Enabled": true, "BatchSize": 5}"#) }
        #expect(enabled?.status == 202, "\(enabled?.body ?? "")")
        _ = await offPool { Self.putRecords(port, ["one", "two"]) }
        let batch = await HotReloadEndToEndTests.waitForLine(process) { $0.contains("batch of 2 from arn:aws:kinesis") }
        #expect(batch != nil)

        // Async invocations: failing fails once and waits for its retry; slow is killed mid-attempt.
        let failing = await offPool { Self.lambda(port, "POST", "/2015-03-31/functions/failing/invocations", #"{"n": 1}"#, event: true) }
        #expect(failing?.status == 202)
        let retry = await HotReloadEndToEndTests.waitForLine(process) { $0.contains("retry at") }
        #expect(retry != nil)
        let slow = await offPool { Self.lambda(port, "POST", "/2015-03-31/functions/slow/invocations", #"{"n": 2}"#, event: true) }
        #expect(slow?.status == 202)
        let started = await offPool { () -> String? in
            guard let f = fopen(fifo, "r") else { return nil }
            defer { fclose(f) }
            var buffer = [CChar](repeating: 0, count: 64)
            guard fgets(&buffer, 64, f) != nil else { return nil }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        #expect(started == "started\n")
        kill(process.pid, SIGKILL)
        _ = await offPool { process.waitForExit() }
        alive = false

        let (restarted, port2, dataLine) = try await Self.start(path, data: data)
        var running = true
        defer { if running { kill(restarted.pid, SIGKILL); _ = restarted.waitForExit() } }
        #expect(dataLine?.contains("3 function settings, 2 event source mappings, 2 async invocations") == true, "\(dataLine ?? "none")")

        // The settings and the mappings, as they were.
        let (config, concurrency, mappings) = await offPool {
            (Self.json(Self.lambda(port2, "GET", "/2019-09-25/functions/slow/event-invoke-config")),
             Self.json(Self.lambda(port2, "GET", "/2019-09-30/functions/sink/concurrency")),
             Self.json(Self.lambda(port2, "GET", "/2015-03-31/event-source-mappings/?FunctionName=sink")))
        }
        #expect(config?["MaximumRetryAttempts"] == 1)
        #expect(config?["DestinationConfig"]?["OnSuccess"]?["Destination"] == .string("arn:aws:sqs:us-east-1:\(Self.account):done"))
        #expect(concurrency?["ReservedConcurrentExecutions"] == 7)
        let listed = mappings?["EventSourceMappings"]?.arrayValue ?? []
        #expect(listed.compactMap { $0["UUID"]?.stringValue } == [queueUUID, streamUUID], "\(listed)")
        #expect(listed.last?["State"] == "Enabled")
        #expect(listed.last?["BatchSize"] == 5)

        // slow ran again and succeeded; failing had one attempt left (2 runs in all).
        let (success, failure) = await offPool { (Self.receive(port2, "done"), Self.receive(port2, "failed")) }
        #expect(success?["requestContext"]?["condition"] == "Success")
        #expect(success?["requestPayload"] == ["n": 2])
        #expect(failure?["requestContext"]?["condition"] == "RetriesExhausted")
        #expect(failure?["requestContext"]?["approximateInvokeCount"] == 2)
        #expect(failure?["requestPayload"] == ["n": 1])
        #expect((try? String(contentsOfFile: runs, encoding: .utf8)) == "run\nrun\n", "the attempt before the kill counts")

        // The stream mapping reads after its checkpoint; the queue mapping polls.
        _ = await offPool { Self.putRecords(port2, ["three"]) }
        _ = await HotReloadEndToEndTests.waitForLine(restarted) { $0.contains("batch of 1 from arn:aws:kinesis") }
        _ = await offPool { () -> TestResponse? in
            guard let socket = LoopbackSocket(port: port2) else { return nil }
            return CrashHarnessTests.request(socket, port: port2, "SendMessage", #"{"QueueUrl": "\#(CrashHarnessTests.queueURL(port2, "in"))", "MessageBody": "four"}"#)
        }
        _ = await HotReloadEndToEndTests.waitForLine(restarted) { $0.contains("batch of 1 from arn:aws:sqs") }
        #expect((try? String(contentsOfFile: seen, encoding: .utf8)) == "k:one\nk:two\nk:three\nq:four\n")

        // Deleted and created again, a stream mapping starts from its own position, not the old checkpoint.
        let deleted = await offPool { Self.lambda(port2, "DELETE", "/2015-03-31/event-source-mappings/\(streamUUID)") }
        #expect(deleted?.status == 202)
        let again = await offPool {
            Self.json(Self.lambda(port2, "POST", "/2015-03-31/event-source-mappings/",
                                  #"{"FunctionName": "sink", "EventSourceArn": "arn:aws:kinesis:us-east-1:\#(Self.account):stream/clicks", "StartingPosition": "TRIM_HORIZON"}"#))
        }
        #expect(again?["UUID"]?.stringValue.map { $0 != streamUUID && $0 != queueUUID } == true)
        _ = await HotReloadEndToEndTests.waitForLine(restarted) { $0.contains("batch of 3 from arn:aws:kinesis") }
        #expect((try? String(contentsOfFile: seen, encoding: .utf8)) == "k:one\nk:two\nk:three\nq:four\nk:one\nk:two\nk:three\n")
        kill(restarted.pid, SIGTERM)
        #expect(await offPool { restarted.waitForExit() } == 0)
        running = false
    }
}

extension FunctionDataDirectoryTests {
    @Test(arguments: [
        (UInt8(51), #"{"arn":"arn:aws:lambda:us-east-1:123456789012:function:fn","k":1,"t":0,"n":0,"th":0}"#,
         #"an invokeQueued record for arn:aws:lambda:us-east-1:123456789012:function:fn has no request id "id" or payload "p""#),
        (UInt8(50), #"{"arn":"arn:aws:lambda:us-east-1:123456789012:function:fn","c":{"MaximumRetryAttempts":1,"MaximumEventAgeInSeconds":5}}"#,
         "a functionConfig record for arn:aws:lambda:us-east-1:123456789012:function:fn has MaximumEventAgeInSeconds 5; it must be a whole number from 60 to 21600"),
    ])
    func aCorruptFunctionRecordStopsTheStartNamingTheFileAndOffset(type: UInt8, payload: String, reason: String) async throws {
        let workspace = RunDataDirectoryTests.Workspace()
        defer { workspace.remove() }
        let data = workspace.path + "/data"
        try FileManager.default.createDirectory(atPath: data + "/journal", withIntermediateDirectories: true)
        let file = data + "/journal/00000000000000000001.journal"
        #expect(FileManager.default.createFile(atPath: file, contents: Data(RunDataDirectoryTests.segment(type: type, payload: payload))))
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let process = try #require(await offPool { SpawnedProcess(binary, ["run", "--port", "0", "--workspace", workspace.path, "--data-dir", data]) })
        let errors = await offPool { process.readAllErrors() }
        #expect(await offPool { process.waitForExit() } != 0)
        #expect(errors.contains("the record at offset 16 of \(file) cannot be recovered: \(reason); eventrouter does not start rather than drop data: restore the data directory from a backup, or move it aside to start empty"), "\(errors)")
    }
}
