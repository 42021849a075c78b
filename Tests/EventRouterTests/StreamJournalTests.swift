import Synchronization
import Testing
@testable import EventRouter

/// Streams through the journal (issue 14): creates, reshards, retention and tag changes, deletes,
/// PutRecord(s) and mapping checkpoints submit records; rebuilding from them (with or without a
/// snapshot) gives the same streams, records under the same sequence numbers, and numbers that
/// go on after the highest.
@Suite struct StreamJournalTests {
    static func entries(_ data: [String]) -> [PutRecordsEntry] { data.map { PutRecordsEntry(data: $0, partitionKey: $0) } }

    /// Every record of `stream` as "ShardId SequenceNumber data", in shard then write order.
    static func records(_ stream: DataStream) -> [String] {
        stream.snapshot.shards.flatMap { shard in shard.records.map { "\(shard.shardId) \($0.sequenceNumber) \($0.data)" } }
    }

    /// A fresh registry rebuilt from `journal`'s records (after `snapshot`), with `declared`
    /// created first (as the rule files do).
    static func recover(_ journal: RecordingStateJournal, clock: ManualClock, snapshot: [UInt8]? = nil,
                        declared: [StreamConfiguration] = []) throws -> (StreamRegistry, (streams: Int, records: Int)) {
        var recovery = StateRecovery()
        if let snapshot { try recovery.applySnapshot(snapshot) }
        for record in journal.records.withLock({ $0 }) { try recovery.apply(record) }
        let registry = StreamRegistry(clock: clock)
        for configuration in declared { try registry.create(configuration) }
        return (registry, try recovery.streams.restore(into: registry))
    }

    @Test func createsReshardsRecordsAndDeletesRecoverFromTheRecords() throws {
        let clock = ManualClock()
        let journal = RecordingStateJournal()
        let registry = StreamRegistry(clock: clock)
        registry.attachJournal(journal)
        let s = try registry.create(StreamConfiguration(name: "s", shardCount: 2))
        _ = try s.putRecords(Self.entries(["a", "b", "c", "d"]))
        clock.advance(by: .seconds(1))
        try s.splitShard(shardId: "shardId-000000000000", newStartingHashKey: "1000")
        _ = try s.putRecord(data: "e", partitionKey: "e")
        try s.update { (state: inout DataStreamState, _) throws(StreamError) in
            try state.setRetentionPeriod(hours: 48, increase: true)
            try state.addTags(["team": "orders"])
        }
        let gone = try registry.create(StreamConfiguration(name: "gone", shardCount: 1))
        _ = try gone.putRecord(data: "lost with its stream", partitionKey: "k")
        try registry.remove("gone")
        let before = Self.records(s)

        let (recovered, counts) = try Self.recover(journal, clock: clock)
        #expect(counts.streams == 1 && counts.records == 5)
        let s2 = try recovered.stream("s")
        #expect(Self.records(s2) == before)
        #expect(s2.snapshot.shards.count == 4)
        #expect(s2.configuration.retentionPeriodHours == 48)
        #expect(s2.snapshot.tags == ["team": "orders"])
        #expect(throws: StreamError.self) { try recovered.stream("gone") }
        // Sequence numbers go on after the highest.
        let highest = try #require(s.snapshot.shards.compactMap(\.lastSequenceNumber).max())
        let next = try s2.putRecord(data: "f", partitionKey: "f")
        #expect(try #require(SequenceNumber(next.sequenceNumber)).counter > highest.counter)
    }

    @Test func aSnapshotPlusRecordsAlreadyInItRecoverEachRecordOnce() throws {
        let clock = ManualClock()
        let journal = RecordingStateJournal()
        let registry = StreamRegistry(clock: clock)
        registry.attachJournal(journal)
        let s = try registry.create(StreamConfiguration(name: "s", shardCount: 2))
        _ = try s.putRecords(Self.entries(["a", "b", "c"]))
        // Captured after all of these records: replaying them on top adds nothing.
        let snapshot = Array(JSONValue.object(["streams": registry.journalJSON()]).jsonText.utf8)
        _ = try s.putRecords(Self.entries(["d", "e"]))
        let (recovered, counts) = try Self.recover(journal, clock: clock, snapshot: snapshot)
        #expect(counts.records == 5)
        #expect(Self.records(try recovered.stream("s")) == Self.records(s))
    }

    @Test func aStreamDeclaredInARuleFileKeepsItsObjectAndGetsItsRecordsAndCheckpointsBack() throws {
        let clock = ManualClock()
        let journal = RecordingStateJournal()
        let declared = try StreamConfiguration(name: "clicks", shardCount: 1)
        let registry = StreamRegistry(clock: clock)
        let s = try registry.create(declared)
        registry.attachJournal(journal)
        let written = try s.putRecords(Self.entries(["a", "b"]))
        guard case .success(let first) = written.records[0] else { Issue.record("not written"); return }
        s.checkpoint(mapping: "fn|clicks", shardId: first.shardId, sequenceNumber: first.sequenceNumber)

        var recovery = StateRecovery()
        for record in journal.records.withLock({ $0 }) { try recovery.apply(record) }
        let fresh = StreamRegistry(clock: clock)
        let object = try fresh.create(declared)
        _ = try recovery.streams.restore(into: fresh)
        // The object mappings and targets hold is the one that got the records.
        #expect((try fresh.stream("clicks")) === object)
        #expect(Self.records(object) == Self.records(s))
        #expect(object.snapshot.checkpoints == ["fn|clicks": [first.shardId: first.sequenceNumber]])
    }

    @Test func inMemoryNoCheckpointIsKeptOnTheStream() throws {
        let s = try StreamRegistry(clock: ManualClock()).create(StreamConfiguration(name: "s", shardCount: 1))
        s.checkpoint(mapping: "fn|s", shardId: "shardId-000000000000", sequenceNumber: "1")
        #expect(s.snapshot.checkpoints.isEmpty)
    }

    @Test(arguments: [
        (StateRecordType.streamRecords, #"{"arn":"arn:aws:kinesis:us-east-1:123456789012:stream/s"}"#,
         #"a streamRecords record for arn:aws:kinesis:us-east-1:123456789012:stream/s has no "r" list"#),
        (.streamRecords, #"{"arn":"arn:aws:kinesis:us-east-1:123456789012:stream/s","r":[{"Data":"x"}]}"#,
         #"a streamRecords record for arn:aws:kinesis:us-east-1:123456789012:stream/s has an entry without "S" (ShardId) or "SequenceNumber""#),
        (.streamPut, #"{"arn":"arn:aws:kinesis:us-east-1:123456789012:stream/s"}"#, #"a streamPut record has no stream state "s""#),
        (.streamPut, #"{"arn":"arn:aws:kinesis:us-east-1:123456789012:stream/s","s":{}}"#,
         #"a streamPut record has no stream state with "shards" for arn:aws:kinesis:us-east-1:123456789012:stream/s"#),
        (.streamDelete, #"{}"#, #"a streamDelete record has no "arn""#),
        (.mappingCheckpoint, #"{"arn":"arn:aws:kinesis:us-east-1:123456789012:stream/s","m":"f"}"#,
         #"a mappingCheckpoint record for arn:aws:kinesis:us-east-1:123456789012:stream/s needs "m" (the mapping), "S" (ShardId) and "q" (SequenceNumber)"#),
    ])
    func aBadStreamRecordIsNamed(type: StateRecordType, payload: String, message: String) {
        var recovery = StateRecovery()
        let error = #expect(throws: StateJournalFailure.self) { try recovery.apply(StateRecord(type: type.rawValue, payload: Array(payload.utf8))) }
        #expect(error?.message == message)
    }

    @Test func recordsOfAStreamNobodyDeclaresStopTheStartNamingIt() throws {
        let journal = RecordingStateJournal()
        let registry = StreamRegistry(clock: ManualClock())
        let s = try registry.create(StreamConfiguration(name: "orphan", shardCount: 1))
        registry.attachJournal(journal)
        _ = try s.putRecord(data: "a", partitionKey: "a")
        let error = #expect(throws: StateJournalFailure.self) { _ = try Self.recover(journal, clock: ManualClock()) }
        #expect(error?.message == "the journal holds records of stream arn:aws:kinesis:us-east-1:123456789012:stream/orphan, which was neither created through the API nor is declared in the rule files; declare it again (Streams in a rule file), or move the data directory aside to start empty")
    }
}
