import Testing
@testable import EventRouter

/// Archive replays are a timed component of the runtime: its one driver puts their events and
/// settles their deliveries with everything else.
@Suite struct ArchiveReplayDrivingTests {
    @Test func theRuntimesDriverPutsAQueuedReplay() async throws {
        let (f, t0) = try await ArchiveRoutingTests().fixture()
        let before = f.bodies(ArchiveRoutingTests.all).count
        let request = ArchiveReplayRequest(replayName: "fix-2", archiveArn: ArchiveRoutingTests.archiveArn, eventStartTime: t0,
                                           eventEndTime: t0 + .seconds(120), destinationBusArn: ArchiveRoutingTests.bus)
        let replays = f.runtime.archiveReplays
        let handle = try replays.start(request)
        // Queued: due now, nothing put yet.
        #expect(await replays.timedStatus(at: f.clock.now) == TimedStatus(pending: 1, nextDeadline: f.clock.now))
        #expect(replays.finished(handle)?.machine.state == nil)
        #expect(f.bodies(ArchiveRoutingTests.all).count == before)
        let settled = await f.runtime.settle()
        #expect(settled.settled)
        let report = try #require(replays.finished(handle))
        #expect(report.machine.state == .completed)
        #expect(report.machine.replayedEvents == 2)
        #expect(report.buckets == [t0, t0 + .seconds(60)])
        #expect(f.bodies(ArchiveRoutingTests.all).dropFirst(before).map { $0["detail"]?["total"] } == [50, 500])
        #expect(replays.finished(handle)?.machine.state == nil, "a report is taken once")
        #expect(await replays.timedStatus(at: f.clock.now).pending == 0)
    }

    @Test func runOnARuntimeCountsTheReplaysDeliveries() async throws {
        let (f, t0) = try await ArchiveRoutingTests().fixture()
        let request = ArchiveReplayRequest(replayName: "fix-3", archiveArn: ArchiveRoutingTests.archiveArn, eventStartTime: t0,
                                           eventEndTime: t0 + .seconds(120), destinationBusArn: ArchiveRoutingTests.bus)
        let report = try await ArchiveReplayRunner.run(request, runtime: f.runtime)
        #expect(report.deliveries.succeeded == 3)
        #expect(report.machine.replayedEvents == 2)
    }

    @Test func anInvalidRequestIsRefusedBeforeItIsQueued() async throws {
        let (f, t0) = try await ArchiveRoutingTests().fixture()
        let request = ArchiveReplayRequest(replayName: "late", archiveArn: ArchiveRoutingTests.archiveArn, eventStartTime: t0,
                                           eventEndTime: t0 + .seconds(86_400), destinationBusArn: ArchiveRoutingTests.bus)
        #expect(throws: EventRouterError.self) { try f.runtime.archiveReplays.start(request) }
        #expect(await f.runtime.archiveReplays.timedStatus(at: f.clock.now).pending == 0)
    }
}
