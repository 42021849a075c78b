#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import Testing
import EventRouter
import EventRouterTesting

/// The crash harness (issue 14 item 4): `eventrouter run --data-dir` is driven by concurrent
/// clients over real sockets — PutEvents to a rule whose targets are two queues (the detail; the whole envelope, journaled as a reference to the event), SendMessage to a queue nobody reads, SendMessage +
/// ReceiveMessage + DeleteMessage on a second queue — which log every acknowledged id; the server
/// is killed with SIGKILL at a seeded random moment (after a seeded number of acknowledged
/// sends, while the consumer is mid-flight), restarted on the same data directory, and the state
/// read through the API must hold every acknowledged message (at least once) and no message
/// whose delete was acknowledged. PutRecords to a stream declared in the rule file and to one
/// created through CreateStream (in round 0) log each record's acknowledged shard and sequence
/// number: after every restart each must be there once, under that very sequence number.
///
/// `swift test` runs 20 kills. The long version:
/// `EVENTROUTER_CRASH_KILLS=500 EVENTROUTER_CRASH_SEED=7 swift test --skip-build --filter CrashHarnessTests`.
@Suite struct CrashHarnessTests {
    static let rules = #"""
        {"Queues": [{"QueueName": "acked"}, {"QueueName": "churn", "VisibilityTimeout": 2}, {"QueueName": "events"}, {"QueueName": "whole"}],
         "Streams": [{"Name": "records", "ShardCount": 2}],
         "Rules": [{"Name": "crash", "EventPattern": {"source": ["crash.test"]},
                    "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:events", "InputPath": "$.detail"},
                                {"Id": "w", "Arn": "arn:aws:sqs:us-east-1:123456789012:whole"}]}]}
        """#

    /// What the clients saw acknowledged, over every round.
    struct Log: Sendable {
        var acked: [String] = []
        var events: [String] = []
        var churnSent: [String] = []
        var deleteTried: Set<String> = []
        var deleted: Set<String> = []
        /// Stream record data → "STREAM SHARD SEQUENCE" as PutRecords acknowledged it.
        var records: [String: String] = [:]
    }

    /// The streams records are written to: declared in the rule file, created through the API.
    static let streams = ["records", "apistream"]

    final class SharedLog: Sendable {
        private let value = Mutex(Log())
        func withLock<R>(_ body: (inout Log) -> R) -> R { value.withLock { body(&$0) } }
    }

    static func request(_ socket: LoopbackSocket, port: Int, _ operation: String, _ body: String) -> TestResponse? {
        let events = operation == "PutEvents", kinesis = operation == "PutRecords" || operation == "CreateStream"
        let target = events ? "AWSEvents" : kinesis ? "Kinesis_20131202" : "AmazonSQS", service = events ? "events" : kinesis ? "kinesis" : "sqs"
        socket.send("POST / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/x-amz-json-1.\(events || kinesis ? 1 : 0)\r\nX-Amz-Target: \(target).\(operation)\r\n"
            + "Authorization: AWS4-HMAC-SHA256 Credential=AKIDCRASH/20260101/us-east-1/\(service)/aws4_request, SignedHeaders=host, Signature=00\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        return socket.readResponse()
    }

    static func queueURL(_ port: Int, _ name: String) -> String { "http://127.0.0.1:\(port)/123456789012/\(name)" }

    /// One round: start, drive, kill. Returns the process (dead) — the caller restarts.
    static func round(_ round: Int, port: Int, pid: pid_t, killAfter: Int, log: SharedLog) async {
        async let sender: Void = offPool {
            guard let socket = LoopbackSocket(port: port) else { kill(pid, SIGKILL); return }
            var acks = 0, i = 0
            while true {
                i += 1
                if i % 3 == 0 {
                    let id = "e-\(round)-\(i)"
                    let entry = #"{"Entries":[{"Source":"crash.test","DetailType":"t","Detail":"{\"n\":\"\#(id)\"}"}]}"#
                    guard let response = request(socket, port: port, "PutEvents", entry) else { break }
                    guard response.status == 200, response.body.contains("EventId") else {
                        kill(pid, SIGKILL)
                        break
                    }
                    log.withLock { $0.events.append(id) }
                    continue
                }
                if i % 4 == 1 {
                    let stream = streams[(i / 4) % 2]
                    let data = ["r-\(round)-\(i)-0", "r-\(round)-\(i)-1"]
                    let entries = data.map { #"{"Data":"\#(Data($0.utf8).base64EncodedString())","PartitionKey":"\#($0)"}"# }
                    let body = #"{"StreamName":"\#(stream)","Records":[\#(entries.joined(separator: ","))]}"#
                    guard let response = request(socket, port: port, "PutRecords", body) else { break }
                    guard response.status == 200, let json = try? JSONParser.parse(response.body), let results = json["Records"]?.arrayValue,
                        results.count == 2
                    else {
                        kill(pid, SIGKILL)
                        break
                    }
                    log.withLock { l in
                        for (d, r) in zip(data, results) {
                            if let shard = r["ShardId"]?.stringValue, let seq = r["SequenceNumber"]?.stringValue { l.records[d] = "\(stream) \(shard) \(seq)" }
                        }
                    }
                    continue
                }
                let toChurn = i % 2 == 0
                let body = "\(toChurn ? "c" : "a")-\(round)-\(i)"
                let url = queueURL(port, toChurn ? "churn" : "acked")
                guard let response = request(socket, port: port, "SendMessage", #"{"QueueUrl":"\#(url)","MessageBody":"\#(body)"}"#) else { break }
                if response.status == 200 {
                    log.withLock { toChurn ? $0.churnSent.append(body) : $0.acked.append(body) }
                    acks += 1
                    if acks == killAfter { kill(pid, SIGKILL) }
                } else {
                    break
                }
            }
            // However the loop ended, the round ends with a kill (the process is not reaped
            // yet, so its pid cannot have been reused).
            kill(pid, SIGKILL)
        }
        async let consumer: Void = offPool {
            guard let socket = LoopbackSocket(port: port) else { return }
            let url = queueURL(port, "churn")
            while true {
                guard let response = request(socket, port: port, "ReceiveMessage", #"{"QueueUrl":"\#(url)","MaxNumberOfMessages":10}"#),
                    response.status == 200, let json = try? JSONParser.parse(response.body)
                else { return }
                for message in json["Messages"]?.arrayValue ?? [] {
                    guard let body = message["Body"]?.stringValue, let handle = message["ReceiptHandle"]?.stringValue else { continue }
                    log.withLock { _ = $0.deleteTried.insert(body) }
                    guard let deleted = request(socket, port: port, "DeleteMessage", #"{"QueueUrl":"\#(url)","ReceiptHandle":"\#(handle)"}"#) else { return }
                    if deleted.status == 200 { log.withLock { _ = $0.deleted.insert(body) } }
                }
            }
        }
        _ = await (sender, consumer)
    }

    /// The client numbers (`"n"`) of the events delivered to the `events` queue (their details),
    /// and to the `whole` queue (the envelopes: journaled as `message.put.event`, naming the
    /// event instead of repeating its text), counted only when the whole envelope came back.
    static func eventNumbers(_ queues: [String: [String]]) -> Set<String> {
        Set((queues["events"] ?? []).compactMap { (try? JSONParser.parse($0))?["n"]?.stringValue })
    }

    static func wholeEventNumbers(_ queues: [String: [String]]) -> Set<String> {
        Set((queues["whole"] ?? []).compactMap { body in
            guard let json = try? JSONParser.parse(body), json["source"]?.stringValue == "crash.test", json["id"]?.stringValue != nil,
                json.jsonText == body
            else { return nil }
            return json["detail"]?["n"]?.stringValue
        })
    }

    /// The bodies of every message of each queue, and every stream record as "STREAM SHARD
    /// SEQUENCE" → its data (`nil` values: a data seen twice), read through GET /_eventrouter/state.
    static func bodies(port: Int) async -> (queues: [String: [String]], records: [String: [String]], streams: Set<String>)? {
        await offPool {
            guard let socket = LoopbackSocket(port: port) else { return nil }
            socket.send("GET /_eventrouter/state HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            guard let response = socket.readResponse(), response.status == 200, let json = try? JSONParser.parse(response.body),
                let queues = json["queues"]?.objectValue
            else { return nil }
            var result: [String: [String]] = [:]
            for member in queues.members {
                let name = String(member.key.split(separator: ":").last ?? "")
                result[name] = member.value["messages"]?.arrayValue?.compactMap { $0["Body"]?.stringValue } ?? []
            }
            var records: [String: [String]] = [:]
            var streams: Set<String> = []
            for member in json["streams"]?.objectValue?.members ?? [] {
                let name = String(member.key.split(separator: "/").last ?? "")
                streams.insert(name)
                for shard in member.value["shards"]?.arrayValue ?? [] {
                    let id = shard["ShardId"]?.stringValue ?? "?"
                    for record in shard["records"]?.arrayValue ?? [] {
                        guard let data = record["Data"]?.stringValue, let seq = record["SequenceNumber"]?.stringValue else { continue }
                        records[data, default: []].append("\(name) \(id) \(seq)")
                    }
                }
            }
            return (result, records, streams)
        }
    }

    @Test func everyAcknowledgedMessageSurvivesKillMinus9AndNoDeletedOneComesBack() async throws {
        let environment = ProcessInfo.processInfo.environment
        let kills = environment["EVENTROUTER_CRASH_KILLS"].flatMap { Int($0) } ?? 20
        var random = SeededGenerator(seed: environment["EVENTROUTER_CRASH_SEED"].flatMap { UInt64($0) } ?? 14)
        let folder = RunCommandAdminTests.Folder(Self.rules)
        let data = folder.path + "/data"
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let log = SharedLog()
        var lost: [String] = [], resurrected: [String] = [], moved: [String] = []
        for round in 0...kills {
            // Small snapshots, so kill -9 also lands in snapshots and compaction, and restarts stay fast.
            let arguments = ["run", "--port", "0", "--quiet", "--workspace", folder.path, "--data-dir", data, "--snapshot-every-kib", "64"]
            let process = try #require(await offPool { SpawnedProcess(binary, arguments) })
            let line = await offPool { process.readLine() }
            let prefix = "eventrouter listening on http://127.0.0.1:"
            let port = try #require(line.flatMap { $0.hasPrefix(prefix) ? Int($0.dropFirst(prefix.count)) : nil }, "round \(round): \(line ?? "none")")
            // Check what the previous rounds acknowledged.
            let snapshot = log.withLock { $0 }
            // Recovered PutEvents deliveries are made by the scheduler once the server runs, so an
            // acknowledged event may reach its queue just after the listening line: read the state
            // again (each read is a round trip to the server) until every acknowledged event is there.
            var read = try #require(await Self.bodies(port: port), "round \(round): no state")
            var reads = 1
            while reads < 1000, !Set(snapshot.events).isSubset(of: Self.eventNumbers(read.queues).intersection(Self.wholeEventNumbers(read.queues))) {
                read = try #require(await Self.bodies(port: port), "round \(round): no state")
                reads += 1
            }
            let (state, records, streams) = read
            let acked = Set(state["acked"] ?? []), churn = Set(state["churn"] ?? [])
            let events = Self.eventNumbers(state)
            if round == 0 {
                let created = await offPool { () -> Int in
                    guard let socket = LoopbackSocket(port: port) else { return 0 }
                    return Self.request(socket, port: port, "CreateStream", #"{"StreamName":"apistream","ShardCount":2}"#)?.status ?? 0
                }
                try #require(created == 200, "CreateStream apistream: HTTP \(created)")
            } else if !streams.contains("apistream") {
                lost.append("the stream apistream (round \(round))")
            }
            for (data, at) in snapshot.records where records[data] != [at] {
                if records[data] == nil { lost.append("record \(data) (\(at))") } else { moved.append("record \(data): acknowledged as \(at), found \(records[data] ?? [])") }
            }
            lost += snapshot.acked.filter { !acked.contains($0) }
            lost += snapshot.events.filter { !events.contains($0) }
            let whole = Self.wholeEventNumbers(state)
            lost += snapshot.events.filter { !whole.contains($0) }.map { "the envelope of \($0)" }
            lost += snapshot.churnSent.filter { !churn.contains($0) && !snapshot.deleteTried.contains($0) }
            resurrected += snapshot.deleted.filter { churn.contains($0) }
            if round == kills {
                kill(process.pid, SIGTERM)
                #expect(await offPool { process.waitForExit() } == 0)
                break
            }
            await Self.round(round, port: port, pid: process.pid, killAfter: 5 + Int(random.next() % 60), log: log)
            _ = await offPool { process.waitForExit() }
        }
        let final = log.withLock { $0 }
        #expect(lost.isEmpty, "acknowledged but lost: \(lost.prefix(20))")
        #expect(resurrected.isEmpty, "deleted but back: \(resurrected.prefix(20))")
        #expect(moved.isEmpty, "records not once under their acknowledged sequence number: \(moved.prefix(20))")
        #expect(final.records.count >= kills * 2, "too few acknowledged records to mean anything: \(final.records.count)")
        #expect(final.acked.count >= kills * 2, "too few acknowledged sends to mean anything: \(final.acked.count)")
        #expect(!final.deleted.isEmpty)
        print("crash harness: \(kills) kills, \(final.acked.count + final.churnSent.count) acknowledged sends, \(final.events.count) acknowledged events, \(final.deleted.count) acknowledged deletes, \(final.records.count) acknowledged stream records, \(lost.count) lost, \(resurrected.count) resurrected, \(moved.count) records moved or doubled")
    }
}
