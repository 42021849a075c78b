import Synchronization
import Testing
@testable import EventRouter

/// Archives and replays through the journal (issue 14): archives created, changed and deleted
/// through the API, the events every archive keeps (one `archive.events` record per archive per
/// PutEvents call), and the replays with their progress rebuild from the records (with or
/// without a snapshot); a replay interrupted by a crash resumes after its last recorded bucket.
@Suite struct ArchiveJournalTests {
    static let orders = "arn:aws:events:us-east-1:123456789012:event-bus/orders"
    static let fileArchive = "arn:aws:events:us-east-1:123456789012:archive/placed"
    static let rules = #"""
        {"EventBuses": [{"Name": "orders"}],
         "Archives": [{"ArchiveName": "placed", "EventSourceArn": "arn:aws:events:us-east-1:123456789012:event-bus/orders",
                       "EventPattern": {"detail-type": ["OrderPlaced"]}, "RetentionDays": 1}]}
        """#

    static func runtime(_ clock: ManualClock) throws -> RouterRuntime {
        let result = WorkspaceLoader.validate(files: [(name: "Rules/a.json", text: rules)])
        let workspace = try #require(result.workspace, "\(result.problems.map(\.description))")
        return try RouterRuntime(workspace: workspace, clock: .virtual(clock), seed: 7)
    }

    static func definition(_ name: String, bus: String = orders, retentionDays: Int = 0, description: String? = nil) throws -> ArchiveDefinition {
        ArchiveDefinition(name: name, source: try #require(BusReference(arn: bus)), retentionDays: retentionDays, description: description)
    }

    static func put(_ runtime: RouterRuntime, _ details: [String], type: String = "OrderPlaced") throws {
        let entries = details.map { PutEventsEntry(source: "shop", detailType: type, detail: $0, eventBusName: "orders") }
        let result = try runtime.router.putEvents(entries)
        #expect(result.entries.allSatisfy { $0.errorCode == nil })
    }

    /// A fresh runtime rebuilt from `records` (after `snapshot`), as start-up does.
    static func recover(_ records: [StateRecord], clock: ManualClock, snapshot: [UInt8]? = nil,
                        attaching journal: RecordingStateJournal? = nil) throws -> (RouterRuntime, StateRecovery.Counts) {
        var recovery = StateRecovery()
        if let snapshot { try recovery.applySnapshot(snapshot) }
        for record in records { try recovery.apply(record) }
        let runtime = try runtime(clock)
        let counts = try journal.map { try recovery.restore(into: runtime, attaching: $0) } ?? recovery.restore(into: runtime)
        return (runtime, counts)
    }

    /// Each archive's ARN → its event count and size, then each event's id and receipt time in order.
    static func contents(_ runtime: RouterRuntime) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: runtime.router.archives.all.map { store in
            let stats = store.statistics
            return (store.arn, ["\(stats.events) events, \(stats.sizeBytes) bytes"]
                + store.allEvents.map { "\($0.json["id"]?.stringValue ?? "?") at \($0.receivedAt.nanosecondsSinceEpoch)" })
        })
    }

    @Test func archivesTheirEventsAndChangesRecoverFromTheRecords() throws {
        let clock = ManualClock()
        let journal = RecordingStateJournal()
        let runtime = try Self.runtime(clock)
        runtime.attachJournal(journal)
        let now = clock.now
        let info = ArchiveRegistry.Info(patternText: nil, created: now, modified: now, createdThroughAPI: true)
        runtime.router.archives.add(try Self.definition("everything"), info: info)
        runtime.router.archives.add(try Self.definition("gone"), info: info)
        clock.advance(by: .nanoseconds(1_234_567))  // receipt times are kept to the nanosecond
        // Escapes the bus kept as written: the size counts the bytes received.
        try Self.put(runtime, [#"{"n": 1, "name": "caf\u00e9"}"#, #"{"n": 2.50, "s": "a\/b"}"#])
        clock.advance(by: .seconds(30))
        try Self.put(runtime, [#"{"n": 3}"#], type: "OrderShipped")
        var changed = info
        changed.modified = clock.now
        runtime.router.archives.update(try Self.definition("everything", retentionDays: 7, description: "all of it"), info: changed)
        try Self.put(runtime, [#"{"n": 4}"#])
        runtime.router.archives.remove(arn: "arn:aws:events:us-east-1:123456789012:archive/gone")
        // One archive.events record per archive per PutEvents call.
        let types = journal.records.withLock { $0.map(\.type) }
        #expect(types == [62, 62, 64, 64, 64, 64, 64, 62, 64, 64, 64, 63])
        let before = Self.contents(runtime)
        #expect(before[Self.fileArchive]?.first?.hasPrefix("3 events") == true)

        let (recovered, counts) = try Self.recover(journal.records.withLock { $0 }, clock: clock)
        #expect(Self.contents(recovered) == before)
        #expect(counts.archives == 2 && counts.archivedEvents == 7)
        let everything = try #require(recovered.router.archives.archive(arn: "arn:aws:events:us-east-1:123456789012:archive/everything"))
        #expect(everything.definition.retentionDays == 7 && everything.definition.description == "all of it")
        #expect(recovered.router.archives.info(arn: everything.arn) == changed)
        #expect(recovered.router.archives.info(arn: Self.fileArchive) == nil)
        #expect(recovered.router.archives.archive(arn: Self.fileArchive)?.definition.retentionDays == 1)
        // Sequence numbers go on after the highest; retention applies from the stored receipt times.
        recovered.attachJournal(RecordingStateJournal())
        try Self.put(recovered, [#"{"n": 5}"#])
        #expect(everything.allEvents.map(\.sequence) == [1, 2, 3, 4, 5])
        clock.advance(by: .seconds(86_400 - 30))
        #expect(recovered.router.archives.archive(arn: Self.fileArchive)?.eventCount == 2)
    }

    @Test func aSnapshotPlusRecordsAlreadyInItRecoverEachEventOnce() throws {
        let clock = ManualClock()
        let journal = RecordingStateJournal()
        let runtime = try Self.runtime(clock)
        runtime.attachJournal(journal)
        try Self.put(runtime, [#"{"n": 1}"#, #"{"n": 2}"#])
        // Captured after these records (as just after a roll): replaying them on top adds nothing.
        let snapshot = runtime.journalSnapshot()
        try Self.put(runtime, [#"{"n": 3}"#])
        let (recovered, counts) = try Self.recover(journal.records.withLock { $0 }, clock: clock, snapshot: snapshot)
        #expect(counts.archivedEvents == 3)
        #expect(Self.contents(recovered) == Self.contents(runtime))
    }

    @Test func aReplayInterruptedByACrashResumesAfterItsLastRecordedBucketAndCompletes() async throws {
        let clock = ManualClock()
        let journal = RecordingStateJournal()
        let runtime = try Self.runtime(clock)
        runtime.attachJournal(journal)
        let t0 = clock.now
        for (i, second) in [10, 70, 75, 130].enumerated() {
            clock.advance(to: t0 + .seconds(second))
            try Self.put(runtime, [#"{"n": \#(i)}"#])
        }
        clock.advance(to: t0 + .seconds(600))
        let request = ArchiveReplayRequest(replayName: "again", archiveArn: Self.fileArchive, eventStartTime: t0,
                                           eventEndTime: clock.now, destinationBusArn: Self.orders)
        let replays = runtime.archiveReplays.started
        let arn = "arn:aws:events:us-east-1:123456789012:replay/again"
        #expect(replays.add(ReplayRecord(request: request, arn: arn, account: "123456789012", started: clock.now)))
        replays.run(arn: arn)
        await replays.waitForReplays()
        #expect(replays.replay(arn: arn)?.state == .completed)
        #expect(runtime.router.statistics.accepted == 8)
        // Killed right after the first bucket's progress was stored.
        let all = journal.records.withLock { $0 }
        let cut = try #require(all.firstIndex { $0.type == 65 && String(decoding: $0.payload, as: UTF8.self).contains("\"last\"") })
        let (recovered, counts) = try Self.recover(Array(all[...cut]), clock: clock, attaching: RecordingStateJournal())
        #expect(counts.replays == 1)
        await recovered.archiveReplays.started.waitForReplays()
        let resumed = try #require(recovered.archiveReplays.started.replay(arn: arn))
        #expect(resumed.state == .completed)
        #expect(resumed.stateReason == "Replay completed")
        #expect(resumed.lastReplayed == t0 + .seconds(130))
        // The events after the recorded position (buckets 2 and 3) were put again, and only they.
        #expect(recovered.router.statistics.accepted == 3)
    }

    @Test func aReplayBeingCancelledWhenTheProcessDiedEndsCancelled() throws {
        let clock = ManualClock()
        let runtime = try Self.runtime(clock)
        let request = ArchiveReplayRequest(replayName: "stop", archiveArn: Self.fileArchive, eventStartTime: clock.now - .seconds(60),
                                           eventEndTime: clock.now, destinationBusArn: Self.orders)
        var record = ReplayRecord(request: request, arn: "arn:aws:events:us-east-1:123456789012:replay/stop", account: "123456789012", started: clock.now)
        record.state = .cancelling
        let put = StateRecord(type: 65, payload: Array(JSONValue.object(["arn": .string(record.arn), "r": record.journalJSON]).jsonText.utf8))
        let (recovered, _) = try Self.recover([put], clock: clock)
        #expect(recovered.archiveReplays.started.replay(arn: record.arn)?.state == .cancelled)
        _ = runtime
    }

    @Test(arguments: [
        (UInt8(64), #"{"arn":"A"}"#, #"a archiveEvents record for A has no event list "e""#),
        (UInt8(64), #"{"arn":"A","e":[[1,2,3]]}"#, "a archiveEvents record for A: event 0 is not [sequence (from 1), receivedAt (ns since the epoch), size in bytes, event object]: [1,2,3]"),
        (UInt8(62), #"{"arn":"A"}"#, #"a archivePut record for A has no archive definition "a""#),
        (UInt8(65), #"{"arn":"R"}"#, #"a replayPut record for R has no replay "r""#),
        (UInt8(65), #"{"arn":"R","r":{"state":"DONE"}}"#, "a replayPut record for R: the replay's \"state\" must be one of STARTING, RUNNING, CANCELLING, COMPLETED, CANCELLED, FAILED, not 'DONE'"),
        (UInt8(63), #"{}"#, #"a archiveDelete record has no "arn""#),
    ])
    func aCorruptArchiveRecordIsRefusedSayingWhatIsWrong(type: UInt8, payload: String, message: String) {
        var recovery = StateRecovery()
        #expect(throws: StateJournalFailure.self) { try recovery.apply(StateRecord(type: type, payload: Array(payload.utf8))) }
        do { try recovery.apply(StateRecord(type: type, payload: Array(payload.utf8))) } catch { #expect(error.message == message) }
    }

    @Test(arguments: [
        (#"{"arn":"arn:aws:events:us-east-1:123456789012:archive/x","new":true,"a":{"ArchiveName":"x","EventSourceArn":"nope"}}"#,
         "cannot restore: the archive.put record for arn:aws:events:us-east-1:123456789012:archive/x has a definition that does not read: $.EventSourceArn: 'EventSourceArn' must be an event bus ARN like arn:aws:events:us-east-1:123456789012:event-bus/NAME, got 'nope'"),
        (#"{"arn":"arn:aws:events:us-east-1:123456789012:archive/lost","e":[[1,5,2,{}]]}"#,
         "cannot restore: the journal holds events of archive arn:aws:events:us-east-1:123456789012:archive/lost, which was neither created through the API nor is declared in the rule files; declare it again (Archives in a rule file), or move the data directory aside to start empty"),
    ])
    func anArchiveThatDoesNotFitStopsTheRestoreNamingIt(payload: String, message: String) throws {
        let type: UInt8 = payload.contains("\"new\"") ? 62 : 64
        #expect(throws: StateJournalFailure.self) { _ = try Self.recover([StateRecord(type: type, payload: Array(payload.utf8))], clock: ManualClock()) }
        do { _ = try Self.recover([StateRecord(type: type, payload: Array(payload.utf8))], clock: ManualClock()) } catch let error as StateJournalFailure {
            #expect("cannot restore: " + error.message == message)
        }
    }
}
