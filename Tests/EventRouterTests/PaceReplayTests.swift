import Synchronization
import Testing
@testable import EventRouter

@Suite struct PaceReplayTests {
    static let rules = #"""
        {"Accounts": [{"Id": "111122223333"}],
         "Queues": [{"QueueName": "seen"}],
         "Archives": [{"ArchiveName": "everything", "EventSourceArn": "arn:aws:events:us-east-1:123456789012:event-bus/default"}],
         "Rules": [{"Name": "all", "EventPattern": {"source": [{"prefix": ""}]}, "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:seen"}]}]}
        """#
    static let events = #"""
        {"detail-type":"A","source":"app","time":"2024-05-01T10:00:00Z","detail":{}}
        {"detail-type":"B","source":"app","time":"2024-05-01T10:01:30Z","detail":{}}
        {"Source":"app","DetailType":"C","Detail":"{}"}
        {"Source":"app","DetailType":"D","Detail":"{}","Time":"2024-05-01T10:05:00Z"}
        """#

    func run(_ options: ReplayRunner.Options, events: String = Self.events) async throws -> (ReplaySummary, RouterRuntime) {
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.rules)]).workspace)
        return try await ReplayRunner.run(text: events, workspace: workspace, options: options)
    }

    func archived(_ runtime: RouterRuntime) -> [ArchivedEvent] {
        runtime.router.archives.archives(named: "everything").first?.allEvents ?? []
    }

    @Test func originalPaceReceivesEventsAtTheirTimes() async throws {
        var options = ReplayRunner.Options(virtualTime: true, seed: 1)
        options.pace = .original
        let (summary, runtime) = try await run(options)
        #expect(summary.rejected.isEmpty)
        let t0 = try #require(Timestamp(iso8601: "2024-05-01T10:00:00Z"))
        #expect(archived(runtime).map { $0.receivedAt - t0 } == [.zero, .seconds(90), .seconds(90), .seconds(300)])
    }

    @Test func scaledPaceDividesTheGaps() async throws {
        var options = ReplayRunner.Options(virtualTime: true, seed: 1)
        options.pace = .scaled(10)
        let (_, runtime) = try await run(options)
        let t0 = try #require(Timestamp(iso8601: "2024-05-01T10:00:00Z"))
        #expect(archived(runtime).map { $0.receivedAt - t0 } == [.zero, .seconds(9), .seconds(9), .seconds(30)])
    }

    @Test func maxPaceDoesNotWait() async throws {
        let (_, runtime) = try await run(ReplayRunner.Options(virtualTime: true, seed: 1))
        let times = Set(archived(runtime).map(\.receivedAt))
        #expect(times.count == 1)
    }

    @Test func replayNameTagsEveryEventAndKeepsThemOutOfArchives() async throws {
        var options = ReplayRunner.Options(virtualTime: true, seed: 1)
        options.replayName = "again"
        let (summary, runtime) = try await run(options)
        #expect(summary.rejected.isEmpty)
        let bodies = runtime.stateJSON()["queues"]?["arn:aws:sqs:us-east-1:123456789012:seen"]?["messages"]?.arrayValue ?? []
        #expect(bodies.count == 4)
        #expect(bodies.allSatisfy { (try? JSONParser.parse($0["Body"]?.stringValue ?? ""))?["replay-name"] == "again" })
        #expect(archived(runtime).isEmpty)
    }

    @Test func aLinesAccountIsTheSenderAndNeedsPermission() async throws {
        let lines = #"""
            {"Source":"app","DetailType":"X","Detail":"{}","Account":"111122223333","EventBusName":"arn:aws:events:us-east-1:123456789012:event-bus/default"}
            {"Source":"app","DetailType":"Y","Detail":"{}","Account":"111122223333"}
            {"detail-type":"Z","source":"app","account":"111122223333","detail":{}}
            """#
        let (summary, runtime) = try await run(ReplayRunner.Options(virtualTime: true, seed: 1), events: lines)
        #expect(summary.rejected.map(\.line) == [1])
        #expect(summary.rejected.first?.reason == "AccessDeniedException: account 111122223333 is not allowed to put events on arn:aws:events:us-east-1:123456789012:event-bus/default: the bus has no resource policy; add a statement allowing events:PutEvents for 111122223333")
        #expect(summary.accepted == 2)       // lines 2 and 3 go to 111122223333's own default bus
        #expect(archived(runtime).isEmpty)
    }

    @Test func progressIsReportedPerEvent() async throws {
        let out = FakeOutput()
        var options = ReplayRunner.Options(virtualTime: true, seed: 1)
        let clock = ManualClock()
        options.progress = { total in
            ReplayProgressReporter(total: total, configuration: .init(isTerminal: true, terminalInterval: .zero, terminalDelay: .zero), clock: clock, write: out.write)
        }
        _ = try await run(options)
        #expect(out.writes.count == 5)
        #expect(out.writes.last?.contains("] 4/4 events 100%") == true)
        #expect(out.writes.last?.hasSuffix("\n") == true)
    }
}
