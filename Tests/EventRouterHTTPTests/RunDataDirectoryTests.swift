#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import EventRouterTesting

/// The built `eventrouter run` with a data directory: the start line says where data lives, the
/// default is `.eventrouter` in the workspace, a second `run` on the same directory is refused
/// naming the first one's pid (and starts once the first is killed with SIGKILL), and bad
/// storage options are refused with a message.
@Suite struct RunDataDirectoryTests {
    /// A workspace with one queue in a fresh folder, removed with everything in it.
    struct Workspace {
        let folder = RunCommandAdminTests.Folder(#"{"Queues": [{"QueueName": "orders"}]}"#)
        var path: String { folder.path }
        func remove() { try? FileManager.default.removeItem(atPath: folder.path) }
    }

    /// Starts `run`, reads the listening line, the serving line and the data line.
    static func start(_ arguments: [String]) async throws -> (SpawnedProcess, dataLine: String?) {
        let (process, _) = try await RunCommandAdminTests.start(arguments)
        _ = await offPool { process.readLine() }
        return (process, await offPool { process.readLine() })
    }

    static func stop(_ process: SpawnedProcess) async {
        kill(process.pid, SIGTERM)
        let status = await offPool { process.waitForExit() }
        #expect(status == 0)
    }

    @Test func aSecondRunOnTheSameDataDirectoryIsRefusedNamingTheFirstOnesPid() async throws {
        let workspace = Workspace()
        defer { workspace.remove() }
        let data = workspace.path + "/data"
        // RunCommandAdminTests.start passes --in-memory first; a later --data-dir would clash,
        // so this test spawns the binary itself.
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let first = try #require(await offPool { SpawnedProcess(binary, ["run", "--port", "0", "--workspace", workspace.path, "--data-dir", data, "--fsync", "always"]) })
        let listening = await offPool { first.readLine() }
        #expect(listening?.hasPrefix("eventrouter listening on http://127.0.0.1:") == true, "\(listening ?? "none")")
        _ = await offPool { first.readLine() }
        let dataLine = await offPool { first.readLine() }
        #expect(dataLine == "data: \(data)/ (journal, fsync always; what the API creates, sends and accepts is kept; recovered 0 queues, 0 messages, 0 streams, 0 stream records, 0 pending deliveries from 0 journal records in 0 segments)")
        let second = try #require(await offPool { SpawnedProcess(binary, ["run", "--port", "0", "--workspace", workspace.path, "--data-dir", data]) })
        let errors = await offPool { second.readAllErrors() }
        let status = await offPool { second.waitForExit() }
        #expect(status == 1)
        #expect(errors == "eventrouter run: the data directory \(data) is in use by another eventrouter (pid \(first.pid), per \(data)/lock); stop that process first, or pass another --data-dir, or --in-memory\n")
        // kill -9: no shutdown code runs, the kernel releases the lock with the process.
        kill(first.pid, SIGKILL)
        _ = await offPool { first.waitForExit() }
        let third = try #require(await offPool { SpawnedProcess(binary, ["run", "--port", "0", "--quiet", "--workspace", workspace.path, "--data-dir", data]) })
        let again = await offPool { third.readLine() }
        #expect(again?.hasPrefix("eventrouter listening on") == true, "\(again ?? "none")")
        await Self.stop(third)
    }

    @Test func theDefaultDataDirectoryIsDotEventrouterInTheWorkspace() async throws {
        let workspace = Workspace()
        defer { workspace.remove() }
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let process = try #require(await offPool { SpawnedProcess(binary, ["run", "--port", "0", "--workspace", workspace.path]) })
        _ = await offPool { process.readLine() }
        _ = await offPool { process.readLine() }
        let dataLine = await offPool { process.readLine() }
        #expect(dataLine == "data: \(workspace.path)/.eventrouter/ (journal, fsync batch; what the API creates, sends and accepts is kept; recovered 0 queues, 0 messages, 0 streams, 0 stream records, 0 pending deliveries from 0 journal records in 0 segments)")
        #expect(FileManager.default.contents(atPath: workspace.path + "/.eventrouter/format") == Data("2\n".utf8))
        await Self.stop(process)
    }

    @Test func inMemorySaysSo() async throws {
        let workspace = Workspace()
        defer { workspace.remove() }
        let (process, dataLine) = try await Self.start(["--workspace", workspace.path])
        #expect(dataLine == "data: in memory")
        #expect(!FileManager.default.fileExists(atPath: workspace.path + "/.eventrouter"))
        await Self.stop(process)
    }

    /// A journal segment holding one framed record of `type` with `payload` (a valid frame: the
    /// CRC matches, so recovery reads it and the engine judges the payload).
    static func segment(type: UInt8, payload: String) -> [UInt8] {
        func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        let body = Array(payload.utf8)
        return Array("ERJL".utf8) + le(UInt32(1)) + le(UInt64(1)) + le(UInt32(body.count)) + le(CRC32C.checksum([type] + body)) + [type] + body
    }

    @Test(arguments: [
        (UInt8(13), #"{"arn":"arn:aws:kinesis:us-east-1:123456789012:stream/s"}"#, #"a streamRecords record for arn:aws:kinesis:us-east-1:123456789012:stream/s has no "r" list"#),
        (UInt8(10), #"{"arn":"arn:aws:kinesis:us-east-1:123456789012:stream/s","s":{"shards":[]}}"#, "the recovered streams do not fit: state streams[\"arn:aws:kinesis:us-east-1:123456789012:stream/s\"].shards must be a non-empty array of shards ({\"ShardId\", \"records\"})"),
    ])
    func aCorruptStreamRecordStopsTheStartNamingTheFileAndOffset(type: UInt8, payload: String, reason: String) async throws {
        let workspace = Workspace()
        defer { workspace.remove() }
        let data = workspace.path + "/data"
        try FileManager.default.createDirectory(atPath: data + "/journal", withIntermediateDirectories: true)
        let file = data + "/journal/00000000000000000001.journal"
        #expect(FileManager.default.createFile(atPath: file, contents: Data(Self.segment(type: type, payload: payload))))
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let process = try #require(await offPool { SpawnedProcess(binary, ["run", "--port", "0", "--workspace", workspace.path, "--data-dir", data]) })
        let errors = await offPool { process.readAllErrors() }
        #expect(await offPool { process.waitForExit() } != 0)
        #expect(errors.contains("the record at offset 16 of \(file) cannot be recovered: \(reason); eventrouter does not start rather than drop data: restore the data directory from a backup, or move it aside to start empty") || errors.contains("cannot recover the state in \(data): \(reason)"), "\(errors)")
    }

    @Test(arguments: [
        (["--in-memory", "--data-dir", "x"], "--in-memory keeps no data directory: drop --data-dir or --in-memory"),
        (["--in-memory", "--fsync", "off"], "--fsync applies to a data directory: drop --fsync or --in-memory"),
        (["--fsync", "sometimes"], "--fsync must be one of always, batch, off, got 'sometimes'"),
        (["--in-memory", "--snapshot-every-kib", "64"], "--snapshot-every-kib applies to a data directory: drop --snapshot-every-kib or --in-memory"),
        (["--snapshot-every-kib", "0"], "--snapshot-every-kib must be from 1 to 1048576 (KiB), got 0"),
    ])
    func badStorageOptionsAreRefused(arguments: [String], message: String) async throws {
        let workspace = Workspace()
        defer { workspace.remove() }
        let binary = RunCommandEndToEndTests.binary
        try #require(access(binary, X_OK) == 0, "\(BuiltExecutable.missing("eventrouter"))")
        let process = try #require(await offPool { SpawnedProcess(binary, ["run", "--port", "0", "--workspace", workspace.path] + arguments) })
        let errors = await offPool { process.readAllErrors() }
        #expect(await offPool { process.waitForExit() } == 2)
        #expect(errors.hasPrefix("eventrouter run: \(message)\n"), "\(errors)")
        #expect(!FileManager.default.fileExists(atPath: workspace.path + "/.eventrouter"))
    }
}
