import Testing
import EventRouterTesting

@Suite struct ArchiveReplayTests {
    static let start = Timestamp(nanosecondsSinceEpoch: 1_704_067_200_000_000_000)  // 2024-01-01T00:00:00Z

    func request(_ name: String = "r1", from: Duration = .zero, to: Duration = .seconds(3600), destination: String = ordersBus,
                 filter: [String] = []) throws -> ArchiveReplayRequest {
        ArchiveReplayRequest(replayName: name, archiveArn: try archiveDefinition().arn, eventStartTime: Self.start + from,
                             eventEndTime: Self.start + to, destinationBusArn: destination, filterArns: filter)
    }

    func events(at seconds: [Int]) -> [ArchivedEvent] {
        seconds.enumerated().map { ArchivedEvent(json: orderEvent($0.offset), receivedAt: Self.start + .seconds($0.element)) }
    }

    @Test func replaysInOneMinuteBucketsWithReplayName() throws {
        var machine = ReplayStateMachine(request: try request(from: .seconds(0), to: .seconds(300)),
                                         events: events(at: [5, 70, 30, 130, 400]))
        #expect(machine.state == .starting)
        #expect(machine.totalEvents == 4)
        var buckets: [[String]] = []
        var lastTimes: [Timestamp] = []
        loop: while true {
            switch machine.next() {
            case .put(let events, let bucket, let last):
                #expect(machine.state == .running)
                #expect(events.allSatisfy { $0["replay-name"]?.stringValue == "r1" })
                #expect(bucket.nanosecondsSinceEpoch % 60_000_000_000 == 0)
                buckets.append(events.compactMap { $0["id"]?.stringValue })
                lastTimes.append(last)
            case .finished(let state):
                #expect(state == .completed)
                break loop
            }
        }
        #expect(buckets == [["id-0", "id-2"], ["id-1"], ["id-3"]])
        #expect(lastTimes == [Self.start + .seconds(30), Self.start + .seconds(70), Self.start + .seconds(130)])
        #expect(machine.state == .completed)
        #expect(machine.eventLastReplayedTime == Self.start + .seconds(130))
        #expect(machine.replayedEvents == 4)
        #expect(machine.statusJSON["State"] == "COMPLETED")
        #expect(machine.statusJSON["EventLastReplayedTime"] == "2024-01-01T00:02:10.000Z")
    }

    @Test func emptyWindowCompletes() throws {
        var machine = ReplayStateMachine(request: try request(from: .seconds(600), to: .seconds(700)), events: events(at: [5]))
        #expect(machine.next() == .finished(.completed))
        #expect(machine.eventLastReplayedTime == nil)
    }

    @Test func cancelStopsAfterTheCurrentBucket() throws {
        var machine = ReplayStateMachine(request: try request(), events: events(at: [5, 70, 130]))
        guard case .put = machine.next() else { Issue.record("expected a bucket"); return }
        let cancelled = machine.cancel()
        #expect(cancelled)
        #expect(machine.state == .cancelling)
        #expect(machine.next() == .finished(.cancelled))
        #expect(machine.state == .cancelled)
        let again = machine.cancel()
        #expect(!again)
        #expect(machine.replayedEvents == 1)
    }

    @Test func failKeepsTheReason() throws {
        var machine = ReplayStateMachine(request: try request(), events: events(at: [5]))
        machine.fail("the destination bus was deleted")
        #expect(machine.next() == .finished(.failed))
        #expect(machine.statusJSON["StateReason"] == "the destination bus was deleted")
    }

    @Test func replayedEventsAreNotReArchived() throws {
        let clock = ManualClock(start: Self.start + .seconds(3600))
        let store = ArchiveStore(definition: try archiveDefinition(), clock: clock)
        store.archive(orderEvent(1), receivedAt: Self.start + .seconds(5))
        var machine = ReplayStateMachine(request: try request(), events: store.events(from: Self.start, to: Self.start + .seconds(3600)))
        guard case .put(let replayed, _, _) = machine.next() else { Issue.record("expected a bucket"); return }
        for e in replayed { #expect(store.archive(e, receivedAt: clock.now) == .skippedReplay) }
        #expect(store.eventCount == 1)
    }

    static let invalid: [(String, Duration, Duration, String, [String], String)] = [
        ("bad name!", .zero, .seconds(60), ordersBus, [], "Parameter ReplayName is not valid. Reason: it must be 1 to 64 letters, digits, '.', '-' or '_', not 'bad name!'"),
        ("r", .seconds(60), .seconds(60), ordersBus, [], "Parameter EventStartTime is not valid. Reason: EventStartTime (2024-01-01T00:01:00Z) must be before EventEndTime (2024-01-01T00:01:00Z)"),
        ("r", .zero, .seconds(7200), ordersBus, [], "Parameter EventEndTime is not valid. Reason: EventEndTime (2024-01-01T02:00:00Z) cannot be in the future (now is 2024-01-01T01:00:00Z)"),
        ("r", .zero, .seconds(60), "arn:aws:events:us-east-1:123456789012:event-bus/other", [],
         "Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted; the archive orders-archive can only be replayed to \(ordersBus)"),
        ("r", .zero, .seconds(60), ordersBus, ["arn:aws:events:us-east-1:123456789012:rule/other/x"],
         "Parameter Destination.FilterArns is not valid. Reason: 'arn:aws:events:us-east-1:123456789012:rule/other/x' is not a rule ARN on \(ordersBus) (expected arn:aws:events:us-east-1:123456789012:rule/orders/RULE)"),
    ]

    @Test(arguments: invalid)
    func validatesLikeStartReplay(name: String, from: Duration, to: Duration, destination: String, filter: [String], message: String) throws {
        let r = try request(name, from: from, to: to, destination: destination, filter: filter)
        let archive = try archiveDefinition()
        do {
            try r.validate(archive: archive, now: Self.start + .seconds(3600))
            Issue.record("expected an error")
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func acceptsRuleFiltersOnTheBus() throws {
        let r = try request(filter: ["arn:aws:events:us-east-1:123456789012:rule/orders/big-orders"])
        try r.validate(archive: try archiveDefinition(), now: Self.start + .seconds(3600))
    }
}
