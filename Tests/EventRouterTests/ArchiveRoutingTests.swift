import Testing
@testable import EventRouter

@Suite struct ArchiveRoutingTests {
    static let bus = "arn:aws:events:us-east-1:123456789012:event-bus/orders"
    static let archiveArn = "arn:aws:events:us-east-1:123456789012:archive/placed"
    static let all = "arn:aws:sqs:us-east-1:123456789012:all"
    static let big = "arn:aws:sqs:us-east-1:123456789012:big"
    static let rules = #"""
        {"EventBuses": [{"Name": "orders"}],
         "Queues": [{"QueueName": "all"}, {"QueueName": "big"}],
         "Archives": [{"ArchiveName": "placed", "EventSourceArn": "arn:aws:events:us-east-1:123456789012:event-bus/orders",
                       "EventPattern": {"detail-type": ["OrderPlaced"]}, "RetentionDays": 1}],
         "Rules": [
           {"Name": "all-orders", "EventBusName": "orders", "EventPattern": {"source": ["shop"]},
            "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:all"}]},
           {"Name": "big-orders", "EventBusName": "orders", "EventPattern": {"source": ["shop"], "detail": {"total": [{"numeric": [">", 100]}]}},
            "Targets": [{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:123456789012:big"}]}]}
        """#

    /// Puts OrderPlaced events (totals 50, 500, 150) at +10 s, +70 s and +200 s, and one OrderShipped at +20 s.
    func fixture() async throws -> (AccountFixture, Timestamp) {
        let f = try AccountFixture(Self.rules)
        let t0 = f.clock.now
        func put(_ type: String, _ total: Int, at seconds: Int) async throws {
            f.clock.advance(to: t0 + .seconds(seconds))
            try await f.put(PutEventsEntry(source: "shop", detailType: type, detail: #"{"total": \#(total)}"#, eventBusName: "orders"))
        }
        try await put("OrderPlaced", 50, at: 10)
        try await put("OrderShipped", 50, at: 20)
        try await put("OrderPlaced", 500, at: 70)
        try await put("OrderPlaced", 150, at: 200)
        f.clock.advance(to: t0 + .seconds(600))
        return (f, t0)
    }

    func store(_ f: AccountFixture) throws -> ArchiveStore { try #require(f.router.archives.archive(arn: Self.archiveArn)) }

    @Test func theArchiveKeepsWhatItsPatternMatchesWithReceiptTimes() async throws {
        let (f, t0) = try await fixture()
        let kept = try store(f).allEvents
        #expect(kept.map(\.receivedAt) == [t0 + .seconds(10), t0 + .seconds(70), t0 + .seconds(200)])
        #expect(kept.allSatisfy { $0.json["detail-type"] == "OrderPlaced" })
        let state = f.runtime.stateJSON()["archives"]?[Self.archiveArn]
        #expect(state?["events"] == 3)
        #expect(state?["sizeBytes"]?.intValue == kept.reduce(0) { $0 + $1.sizeBytes })
    }

    @Test func retentionDropsOldEventsOnTheManualClock() async throws {
        let (f, t0) = try await fixture()
        f.clock.advance(to: t0 + .seconds(86_400 + 10))      // the first event is now one day old
        #expect(try store(f).eventCount == 2)
        f.clock.advance(to: t0 + .seconds(86_400 + 200))
        #expect(try store(f).eventCount == 0)
    }

    @Test func replayPutsTheWindowBackWithReplayNameAndNeverReArchives() async throws {
        let (f, t0) = try await fixture()
        let before = f.bodies(Self.all).count
        let request = ArchiveReplayRequest(replayName: "fix-1", archiveArn: Self.archiveArn, eventStartTime: t0,
                                           eventEndTime: t0 + .seconds(120), destinationBusArn: Self.bus)
        let report = try await ArchiveReplayRunner.run(request, router: f.router)
        #expect(report.machine.state == .completed)
        #expect(report.machine.replayedEvents == 2)
        #expect(report.buckets == [t0, t0 + .seconds(60)])
        #expect(report.machine.eventLastReplayedTime == t0 + .seconds(70))
        let replayed = f.bodies(Self.all).dropFirst(before)
        #expect(replayed.map { $0["detail"]?["total"] } == [50, 500])
        #expect(replayed.allSatisfy { $0["replay-name"] == "fix-1" })
        #expect(try store(f).eventCount == 3)                 // not archived again
        #expect(report.deliveries.succeeded == 3)            // all-orders twice, big-orders once
    }

    @Test func replayOnlyReachesTheNamedRules() async throws {
        let (f, t0) = try await fixture()
        let (allBefore, bigBefore) = (f.bodies(Self.all).count, f.bodies(Self.big).count)
        let request = try ArchiveReplayRunner.request(archive: "placed", from: t0, to: t0 + .seconds(600), rules: ["big-orders"],
                                                      replayName: nil, workspace: try #require(WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.rules)]).workspace))
        #expect(request.replayName == "placed-replay")
        let report = try await ArchiveReplayRunner.run(request, router: f.router)
        #expect(report.machine.replayedEvents == 3)
        #expect(f.bodies(Self.all).count == allBefore)
        #expect(f.bodies(Self.big).dropFirst(bigBefore).map { $0["detail"]?["total"] } == [500, 150])
        #expect(report.text.contains("  rules:         big-orders\n"))
        #expect(report.text.hasPrefix("archive replay placed-replay: COMPLETED\n"))
    }

    @Test func requestErrorsNameWhatIsWrong() throws {
        let workspace = try #require(WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: Self.rules)]).workspace)
        func message(_ archive: String, rules: [String] = []) -> String? {
            do {
                _ = try ArchiveReplayRunner.request(archive: archive, from: .epoch, to: .epoch + .seconds(1), rules: rules, replayName: nil, workspace: workspace)
                return nil
            } catch { return error.message }
        }
        #expect(message("placd") == "no archive named 'placd' in the workspace (did you mean 'placed'?); archives: placed")
        #expect(message("placed", rules: ["big-order"]) == "no rule 'big-order' on \(Self.bus), the bus of archive placed (did you mean 'big-orders'?); its rules: all-orders, big-orders")
    }

    @Test func crossBusReplayIsRefused() async throws {
        let (f, t0) = try await fixture()
        let request = ArchiveReplayRequest(replayName: "x", archiveArn: Self.archiveArn, eventStartTime: t0, eventEndTime: t0 + .seconds(60),
                                           destinationBusArn: "arn:aws:events:us-east-1:123456789012:event-bus/default")
        await #expect(throws: EventRouterError.self) { _ = try await ArchiveReplayRunner.run(request, router: f.router) }
    }
}
