import Foundation
import Testing
@testable import EventRouter

/// Issue 10 item 3: replay reads LF, CRLF, entries-array and single-entry files alike, and
/// rejects what it cannot read with the line and byte.
@Suite struct ReplayInputTests {
    static let entries = [
        #"{"Source":"shop","DetailType":"Placed","EventBusName":"orders","Detail":"{\"id\":1}"}"#,
        #"{"Source":"shop","DetailType":"Cancelled","EventBusName":"orders","Detail":"{\"id\":2}"}"#,
        #"{"detail-type":"Changed","source":"inventory","detail":{"sku":"a"}}"#,
    ]

    func replay(_ text: String) async throws -> (ReplaySummary, RouterRuntime) {
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: ReplayRunnerTests.rules)]).workspace)
        return try await ReplayRunner.run(text: text, workspace: workspace, options: .init(virtualTime: true, seed: 5))
    }

    func replay(file bytes: [UInt8]) async throws -> ReplaySummary {
        let folder = try FunctionTempFolder()
        let path = folder.path + "/events"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: ReplayRunnerTests.rules)]).workspace)
        return try await ReplayRunner.run(file: path, workspace: workspace, options: .init(virtualTime: true, seed: 5)).0
    }

    @Test func lfCrlfArrayAndSingleEntryFilesGiveTheSameResults() async throws {
        let lf = Self.entries.joined(separator: "\n") + "\n"
        let shapes = [
            ("CRLF", Self.entries.joined(separator: "\r\n") + "\r\n"),
            ("CRLF with a byte-order mark and blank lines", "\u{FEFF}\r\n" + Self.entries.joined(separator: "\r\n\r\n")),
            ("array", "[" + Self.entries.joined(separator: ",") + "]"),
            ("pretty array with CRLF", "  [\r\n  " + Self.entries.joined(separator: ",\r\n  ") + "\r\n]\r\n"),
        ]
        let (expected, expectedRuntime) = try await replay(lf)
        #expect(expected.eventsRead == 3)
        #expect(expected.accepted == 3)
        #expect(expected.deliveries.succeeded == 3)
        for (name, text) in shapes {
            let (summary, runtime) = try await replay(text)
            #expect(summary.text == expected.text, "\(name)")
            #expect(runtime.stateJSON() == expectedRuntime.stateJSON(), "\(name)")
        }
        let (one, oneRuntime) = try await replay(Self.entries[0])
        let single = "{\r\n  \"Source\": \"shop\",\r\n  \"DetailType\": \"Placed\",\r\n  \"EventBusName\": \"orders\",\r\n  \"Detail\": \"{\\\"id\\\":1}\"\r\n}\r\n"
        let (pretty, prettyRuntime) = try await replay(single)
        #expect(pretty.text == one.text)
        #expect(pretty.eventsRead == 1 && pretty.accepted == 1)
        #expect(prettyRuntime.stateJSON() == oneRuntime.stateJSON())
    }

    @Test func arrayElementsFailAloneWithTheLineTheyStartOn() async throws {
        let text = "[\n  " + Self.entries[0] + ",\n  [1],\n  {\"Source\": \"shop\",\n   \"DetailType\": \"X\", \"EventBusName\": \"nope\", \"Detail\": \"{}\"},\n  " + Self.entries[2] + "\n]"
        let (summary, _) = try await replay(text)
        #expect(summary.eventsRead == 4)
        #expect(summary.rejected.map(\.line) == [3, 4])
        #expect(summary.rejected.first?.reason == "each array element must be a JSON object (an event envelope or a PutEvents entry), not array")
        #expect(summary.accepted == 2)
    }

    @Test func aBrokenArrayFileIsAnErrorNamingLineAndByte() async throws {
        let error = await #expect(throws: EventRouterError.self) { try await replay("[\r\n" + Self.entries[0] + ",\r\n{\"Source\": }\r\n]") }
        #expect(error?.message == "the events file starts with '[' but is not a JSON array of events: line 3, byte 12: expected a JSON value, found '}'")
    }

    @Test func anNDJSONFileWhoseFirstEventIsAnArrayStaysNDJSON() async throws {
        let (summary, _) = try await replay("[1,2]\n" + Self.entries[0])
        #expect(summary.rejected.map(\.line) == [1])
        #expect(summary.rejected.first?.reason == "each line must be a JSON object (an event envelope or a PutEvents entry), not array")
        #expect(summary.accepted == 1)
    }

    @Test func invalidUTF8InAReplayFileRejectsThatLineWithTheByte() async throws {
        var bytes = Array((Self.entries[0] + "\r\n").utf8)
        bytes += Array(#"{"Source":"shop","DetailType":"Placed","EventBusName":"orders","Detail":"{\"id\":"#.utf8) + [0xFF] + Array("}\"}\r\n".utf8)
        bytes += Array(Self.entries[2].utf8)
        let summary = try await replay(file: bytes)
        #expect(summary.eventsRead == 3)
        #expect(summary.rejected.map(\.line) == [2])
        #expect(summary.rejected.first?.reason == "malformed JSON: invalid JSON at byte 81: byte 0xFF is not valid UTF-8")
        #expect(summary.accepted == 2)
    }

    @Test func onlyRegularFilesAreReplayed() async throws {
        let folder = try FunctionTempFolder()
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: ReplayRunnerTests.rules)]).workspace)
        let error = await #expect(throws: EventRouterError.self) {
            _ = try await ReplayRunner.run(file: folder.path, workspace: workspace, options: .init())
        }
        #expect(error?.message == "cannot read the events file: cannot read \(folder.path): it is a directory, not a regular file")
    }

    @Test func streamRecordsFilesWithCRLFAreReadLineByLine() throws {
        let records = try StreamStateFileOperations.parseRecords("{\"Data\":\"a\",\"PartitionKey\":\"k\"}\r\n\r\n{\"Data\":\"b\",\"PartitionKey\":\"k\"}\r\n")
        #expect(records == [PutRecordsEntry(data: "a", partitionKey: "k"), PutRecordsEntry(data: "b", partitionKey: "k")])
        let array = try StreamStateFileOperations.parseRecords("\r\n[{\"Data\":\"a\",\"PartitionKey\":\"k\"}]\r\n")
        #expect(array == [PutRecordsEntry(data: "a", partitionKey: "k")])
    }
}
