#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import EventRouterTesting

/// PutEvents' deliveries through `kill -9` with the built `eventrouter run --data-dir`: a
/// delivery that failed and waits for a retry resumes its retry policy after the restart, and a
/// corrupt delivery record stops the start naming the file, the offset and what is wrong.
@Suite struct PutEventsDataDirectoryTests {
    /// A rule on the default bus whose target is an API destination nobody listens on (port 1 of
    /// loopback refuses the connection: a retriable failure, retried for a day).
    static let rules = """
        {"Account": "123456789012", "Region": "us-east-1",
         "Connections": [{"Name": "hooks", "AuthorizationType": "API_KEY", "AuthParameters": {"ApiKeyAuthParameters": {"ApiKeyName": "k", "ApiKeyValue": "v"}}}],
         "ApiDestinations": [{"Name": "hook", "ConnectionArn": "hooks", "InvocationEndpoint": "http://127.0.0.1:1/hook", "HttpMethod": "POST"}],
         "Rules": [{"Name": "to-hook", "EventPattern": {"source": ["shop"]},
                    "Targets": [{"Id": "hook", "Arn": "arn:aws:events:us-east-1:123456789012:api-destination/hook",
                                 "RetryPolicy": {"MaximumRetryAttempts": 185, "MaximumEventAgeInSeconds": 86400}}]}]}
        """

    /// Starts `run` on `data`; returns the process, its port and its data line.
    static func start(_ workspace: String, data: String) async throws -> (SpawnedProcess, Int, String?) {
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let process = try #require(await offPool { SpawnedProcess(binary, ["run", "--port", "0", "--workspace", workspace, "--data-dir", data, "--fsync", "always"]) })
        let line = await offPool { process.readLine() }
        let prefix = "eventrouter listening on http://127.0.0.1:"
        let port = try #require(line.flatMap { $0.hasPrefix(prefix) ? Int($0.dropFirst(prefix.count)) : nil }, "first line: \(line ?? "none")")
        _ = await offPool { process.readLine() }
        return (process, port, await offPool { process.readLine() })
    }

    /// The record types in the journal segments of `data`, in order.
    static func recordTypes(_ data: String) -> [UInt8] {
        let folder = data + "/journal"
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".journal") }.sorted()
        var types: [UInt8] = []
        for file in files {
            guard let bytes = FileManager.default.contents(atPath: folder + "/" + file).map(Array.init) else { continue }
            var offset = 16
            while offset + 9 <= bytes.count {
                let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
                guard offset + 9 + length <= bytes.count else { break }
                types.append(bytes[offset + 8])
                offset += 9 + length
            }
        }
        return types
    }

    @Test func aRetryingDeliveryResumesItsRetriesAfterKill9() async throws {
        let folder = RunCommandAdminTests.Folder(Self.rules)
        let data = folder.path + "/data"
        defer {
            try? FileManager.default.removeItem(atPath: data)
            folder.remove()
        }
        let (first, port, _) = try await Self.start(folder.path, data: data)
        let entry = #"{"Entries": [{"Source": "shop", "DetailType": "Placed", "Detail": "{\"id\":1}"}]}"#
        let response = await offPool { HotReloadEndToEndTests.call(port, target: "AWSEvents.PutEvents", version: "1.1", entry) }
        #expect(response?.status == 200)
        #expect(response?.body.contains("\"FailedEntryCount\":0") == true, "\(response?.body ?? "none")")
        // The first attempt fails at once (connection refused); wait until its retry is stored.
        var stored = false
        for _ in 0..<20_000 {
            if Self.recordTypes(data).contains(41) { stored = true; break }
            // Paced by a round trip to the server (no sleep): the scheduler runs meanwhile.
            _ = await offPool { () -> Int in
                guard let socket = LoopbackSocket(port: port) else { return 0 }
                socket.send("GET /_eventrouter/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                return socket.readResponse()?.status ?? 0
            }
        }
        #expect(stored, "no delivery.attempt record in \(Self.recordTypes(data))")
        kill(first.pid, SIGKILL)
        _ = await offPool { first.waitForExit() }

        let (second, _, dataLine) = try await Self.start(folder.path, data: data)
        #expect(dataLine?.contains("1 pending delivery (1 resuming its retries) from ") == true, "\(dataLine ?? "none")")
        await RunDataDirectoryTests.stop(second)
    }

    @Test(arguments: [
        ([UInt8](), "a delivery.done (42) record is empty (it should start with its layout version 1)"),
        ([1, 1, 0], "a delivery.done (42) record (3 bytes) is cut short or corrupt at byte 1: the number of entries needs 4 bytes, 2 are left"),
        ([7, 0, 0, 0, 0], "a delivery.done (42) record has layout version 7; this eventrouter reads version 1 (written by a newer one, or corrupt)"),
    ] as [([UInt8], String)])
    func aCorruptDeliveryRecordStopsTheStartNamingTheFileAndOffset(payload: [UInt8], reason: String) async throws {
        let workspace = RunDataDirectoryTests.Workspace()
        defer { workspace.remove() }
        let data = workspace.path + "/data"
        try FileManager.default.createDirectory(atPath: data + "/journal", withIntermediateDirectories: true)
        let file = data + "/journal/00000000000000000001.journal"
        func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        let segment = Array("ERJL".utf8) + le(UInt32(1)) + le(UInt64(1)) + le(UInt32(payload.count)) + le(CRC32C.checksum([42] + payload)) + [42] + payload
        #expect(FileManager.default.createFile(atPath: file, contents: Data(segment)))
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let process = try #require(await offPool { SpawnedProcess(binary, ["run", "--port", "0", "--workspace", workspace.path, "--data-dir", data]) })
        let errors = await offPool { process.readAllErrors() }
        #expect(await offPool { process.waitForExit() } != 0)
        #expect(errors.contains("the record at offset 16 of \(file) cannot be recovered: \(reason); eventrouter does not start rather than drop data"), "\(errors)")
    }
}
