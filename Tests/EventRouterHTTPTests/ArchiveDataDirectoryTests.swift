#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import EventRouter
import EventRouterTesting

/// Archives and replays of `eventrouter run --data-dir` through kill -9: archives created,
/// changed and deleted through the API, the events of those and of a rule file's archive
/// (EventCount and SizeBytes equal after the restart), and replays (DescribeReplay and
/// ListReplays answer the same) survive; a corrupt archive record stops the start naming it.
@Suite struct ArchiveDataDirectoryTests {
    static let rules = #"""
        {"Queues": [{"QueueName": "seen"}],
         "Archives": [{"ArchiveName": "declared", "EventSourceArn": "arn:aws:events:us-east-1:123456789012:event-bus/default",
                       "EventPattern": {"source": ["shop"]}}],
         "Rules": [{"Name": "to-seen", "EventPattern": {"source": ["shop"]},
                    "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:seen"}]}]}
        """#

    static func request(_ socket: LoopbackSocket, port: Int, _ operation: String, _ body: String) -> TestResponse? {
        socket.send("POST / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSEvents.\(operation)\r\n"
            + "Authorization: AWS4-HMAC-SHA256 Credential=AKIDARCHIVE/20260101/us-east-1/events/aws4_request, SignedHeaders=host, Signature=00\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        return socket.readResponse()
    }

    /// Sends each (operation, body) in order over one connection; returns each answer's status and JSON.
    static func calls(_ port: Int, _ list: [(String, String)]) async -> [(status: Int, json: JSONValue)] {
        await offPool {
            guard let socket = LoopbackSocket(port: port) else { return [] }
            return list.map { op, body in
                let response = request(socket, port: port, op, body)
                return (response?.status ?? 0, response.flatMap { try? JSONParser.parse($0.body) } ?? .null)
            }
        }
    }

    /// Starts `run` on `data`; returns the process, its port and the data line.
    static func start(_ folder: RunCommandAdminTests.Folder, data: String) async throws -> (SpawnedProcess, Int, String) {
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let process = try #require(await offPool { SpawnedProcess(binary, ["run", "--port", "0", "--workspace", folder.path, "--data-dir", data]) })
        let line = await offPool { process.readLine() }
        let prefix = "eventrouter listening on http://127.0.0.1:"
        let port = try #require(line.flatMap { $0.hasPrefix(prefix) ? Int($0.dropFirst(prefix.count)) : nil }, "\(line ?? "none")")
        _ = await offPool { process.readLine() }
        return (process, port, await offPool { process.readLine() } ?? "")
    }

    static func killed(_ process: SpawnedProcess) async {
        kill(process.pid, SIGKILL)
        _ = await offPool { process.waitForExit() }
    }

    /// What the API says about the archives and the replay (times and counts included).
    static let reads: [(String, String)] = [
        ("DescribeArchive", #"{"ArchiveName":"declared"}"#),
        ("DescribeArchive", #"{"ArchiveName":"made"}"#),
        ("ListArchives", "{}"),
        ("DescribeReplay", #"{"ReplayName":"again"}"#),
        ("ListReplays", "{}"),
    ]

    /// An answer with the CreationTime of the rule file's archive taken out: like every resource
    /// of the rule files, it reports when this process started.
    static func withoutDeclaredCreationTime(_ json: JSONValue) -> JSONValue {
        func strip(_ value: JSONValue) -> JSONValue {
            guard case .object(var o) = value, o["ArchiveName"]?.stringValue == "declared" else { return value }
            o["CreationTime"] = nil
            return .object(o)
        }
        guard case .object(var o) = json else { return json }
        if let list = o["Archives"]?.arrayValue { o["Archives"] = .array(list.map(strip)) }
        return strip(.object(o))
    }

    @Test func archivesTheirEventsAndReplaysSurviveKillMinus9() async throws {
        let folder = RunCommandAdminTests.Folder(Self.rules)
        let data = folder.path + "/data"
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        let bus = "arn:aws:events:us-east-1:123456789012:event-bus/default"
        let (first, port, _) = try await Self.start(folder, data: data)
        let entries = (0..<3).map { #"{"Source":"shop","DetailType":"t","Detail":"{\"n\":\#($0),\"name\":\"caf\\u00e9\"}"}"# }.joined(separator: ",")
        let setUp = await Self.calls(port, [
            ("CreateArchive", #"{"ArchiveName":"made","EventSourceArn":"\#(bus)","EventPattern":"{\"source\":[\"shop\",\"other\"]}","RetentionDays":3}"#),
            ("CreateArchive", #"{"ArchiveName":"dropped","EventSourceArn":"\#(bus)"}"#),
            ("PutEvents", #"{"Entries":[\#(entries)]}"#),
            ("PutEvents", #"{"Entries":[{"Source":"other","DetailType":"t","Detail":"{}"}]}"#),
            ("UpdateArchive", #"{"ArchiveName":"made","Description":"kept"}"#),
            ("DeleteArchive", #"{"ArchiveName":"dropped"}"#),
        ])
        #expect(setUp.map(\.status) == [200, 200, 200, 200, 200, 200], "\(setUp.map(\.json.jsonText))")
        let start = Int(Date().timeIntervalSince1970) - 3600
        let started = await Self.calls(port, [("StartReplay", #"{"ReplayName":"again","EventSourceArn":"arn:aws:events:us-east-1:123456789012:archive/declared","EventStartTime":\#(start),"EventEndTime":\#(start + 3599),"Destination":{"Arn":"\#(bus)"}}"#)])
        #expect(started.first?.status == 200, "\(started.first?.json.jsonText ?? "")")
        // The replay runs in the background: ask until it has ended (each answer is an event, no sleep).
        var state = ""
        for _ in 0..<10_000 where state != "COMPLETED" {
            state = await Self.calls(port, [("DescribeReplay", #"{"ReplayName":"again"}"#)]).first?.json["State"]?.stringValue ?? "?"
        }
        #expect(state == "COMPLETED")
        let before = await Self.calls(port, Self.reads)
        #expect(before[0].json["EventCount"]?.intValue == 3)
        #expect(before[1].json["EventCount"]?.intValue == 4)
        #expect(before[1].json["Description"]?.stringValue == "kept")
        #expect(before[2].json["Archives"]?.arrayValue?.count == 2)
        await Self.killed(first)

        let (second, port2, dataLine) = try await Self.start(folder, data: data)
        #expect(dataLine.contains("2 archives with 7 events, 1 replay"), "\(dataLine)")
        let after = await Self.calls(port2, Self.reads)
        #expect(after.count == before.count)
        for (b, a) in zip(before, after) {
            #expect(a.status == 200)
            #expect(Self.withoutDeclaredCreationTime(a.json) == Self.withoutDeclaredCreationTime(b.json))
        }
        #expect(after[1].json["CreationTime"] == before[1].json["CreationTime"])
        #expect(await Self.calls(port2, [("DescribeArchive", #"{"ArchiveName":"dropped"}"#)]).first?.status == 400)
        // Archiving goes on after the restart, counted on top.
        _ = await Self.calls(port2, [("PutEvents", #"{"Entries":[{"Source":"shop","DetailType":"t","Detail":"{}"}]}"#)])
        #expect(await Self.calls(port2, [("DescribeArchive", #"{"ArchiveName":"made"}"#)]).first?.json["EventCount"]?.intValue == 5)
        await Self.killed(second)
    }

    @Test func aCorruptArchiveRecordStopsTheStartNamingTheRecord() async throws {
        let folder = RunCommandAdminTests.Folder(Self.rules)
        let data = folder.path + "/data"
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        try FileManager.default.createDirectory(atPath: data + "/journal", withIntermediateDirectories: true)
        let file = data + "/journal/00000000000000000001.journal"
        let payload = #"{"arn":"arn:aws:events:us-east-1:123456789012:archive/declared","e":[[1,"soon",2,{}]]}"#
        #expect(FileManager.default.createFile(atPath: file, contents: Data(RunDataDirectoryTests.segment(type: 64, payload: payload))))
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let process = try #require(await offPool { SpawnedProcess(binary, ["run", "--port", "0", "--workspace", folder.path, "--data-dir", data]) })
        let errors = await offPool { process.readAllErrors() }
        #expect(await offPool { process.waitForExit() } != 0)
        let reason = #"a archiveEvents record for arn:aws:events:us-east-1:123456789012:archive/declared: event 0 is not [sequence (from 1), receivedAt (ns since the epoch), size in bytes, event object]: [1,"soon",2,{}]"#
        #expect(errors.contains("the record at offset 16 of \(file) cannot be recovered: \(reason); eventrouter does not start rather than drop data"), "\(errors)")
    }
}
