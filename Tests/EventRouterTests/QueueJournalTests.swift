import Synchronization
import Testing
@testable import EventRouter

/// A ``StateJournal`` that keeps its records in memory (and can refuse them, as a full disk does).
final class RecordingStateJournal: StateJournal {
    let records = Mutex<[StateRecord]>([])
    let failure = Mutex<String?>(nil)

    func submit(_ records: [StateRecord]) -> StateJournalTicket {
        if let message = failure.withLock({ $0 }) { return StateJournalTicket(Failed(message: message)) }
        self.records.withLock { $0.append(contentsOf: records) }
        return .none
    }

    struct Failed: StateJournalPending {
        let message: String
        func stored() async throws(StateJournalFailure) { throw StateJournalFailure(message) }
        func whenStored(_ body: @escaping @Sendable (StateJournalFailure?) -> Void) { body(StateJournalFailure(message)) }
    }

    /// A fresh registry rebuilt from the records (as start-up does from the journal).
    func recover(clock: ManualClock, snapshot: [UInt8]? = nil) throws -> (QueueRegistry, StateRecovery.Counts) {
        var recovery = StateRecovery()
        if let snapshot { try recovery.applySnapshot(snapshot) }
        for record in records.withLock({ $0 }) { try recovery.apply(record) }
        let registry = QueueRegistry(clock: clock, seed: 77)
        return (registry, try recovery.restore(queues: registry))
    }
}

@Suite struct QueueJournalTests {
    static func bodies(_ registry: QueueRegistry, _ name: String) throws -> [String] {
        let state = registry.stateJSON()
        let queue = try registry.queue(named: name)
        return state[queue.arn]?["messages"]?.arrayValue?.compactMap { $0["Body"]?.stringValue } ?? []
    }

    @Test func sendReceiveDeleteVisibilityAndPurgeRecoverFromTheRecords() async throws {
        let clock = ManualClock()
        let journal = RecordingStateJournal()
        let registry = QueueRegistry(clock: clock, seed: 3)
        registry.attachJournal(journal)
        let q = try registry.createQueue(QueueConfiguration(name: "q", visibilityTimeout: 30))
        let fifo = try registry.createQueue(QueueConfiguration(name: "f.fifo", contentBasedDeduplication: true))
        for body in ["a", "b", "c", "d"] { _ = try await q.sendMessage(body: body) }
        let received = try await q.receiveMessages(maxNumberOfMessages: 2, visibilityTimeout: 600)
        #expect(received.map(\.body) == ["a", "b"])
        #expect(try await q.deleteMessage(receiptHandle: received[0].receiptHandle))
        try await q.changeMessageVisibility(receiptHandle: received[1].receiptHandle, visibilityTimeout: 900)
        let sent = try await fifo.sendMessage(body: "x", groupId: "G")
        let gone = try registry.createQueue(QueueConfiguration(name: "gone"))
        _ = try await gone.sendMessage(body: "lost with its queue")
        try registry.deleteQueue("gone")

        let (recovered, counts) = try journal.recover(clock: clock)
        #expect(counts == StateRecovery.Counts(queues: 2, messages: 4))
        #expect(try Self.bodies(recovered, "q") == ["b", "c", "d"])
        let q2 = try recovered.queue(named: "q")
        #expect(try await q2.statistics() == QueueStatistics(visible: 2, notVisible: 1, delayed: 0))
        // A FIFO duplicate within 5 minutes is still recognised; sequence numbers go on.
        let f2 = try recovered.queue(named: "f.fifo")
        let again = try await f2.sendMessage(body: "x", groupId: "G")
        #expect(again.messageId == sent.messageId)
        // The in-flight message keeps its receipt handle and its deadline (900 s from the change).
        clock.advance(by: .seconds(899))
        #expect(try await q2.statistics().notVisible == 1)
        #expect(try await q2.deleteMessage(receiptHandle: received[1].receiptHandle))
        #expect(throws: QueueError.self) { try recovered.queue(named: "gone") }

        // Purge: nothing comes back.
        _ = try await q.purge()
        let (afterPurge, _) = try journal.recover(clock: clock)
        #expect(try Self.bodies(afterPurge, "q") == [])
    }

    @Test func aSnapshotPlusRecordsAlreadyInItRecoverTheSameState() async throws {
        let clock = ManualClock()
        let journal = RecordingStateJournal()
        let registry = QueueRegistry(clock: clock, seed: 3)
        registry.attachJournal(journal)
        let q = try registry.createQueue(QueueConfiguration(name: "q"))
        for body in ["a", "b", "c"] { _ = try await q.sendMessage(body: body) }
        let first = try #require(try await q.receiveMessages().first)
        _ = try await q.deleteMessage(receiptHandle: first.receiptHandle)
        // A snapshot captured after all of these records: replaying them on top changes nothing.
        let snapshot = Array(JSONValue.object(["queues": registry.stateJSON()]).jsonText.utf8)
        _ = try await q.sendMessage(body: "d")
        let (recovered, counts) = try journal.recover(clock: clock, snapshot: snapshot)
        #expect(try Self.bodies(recovered, "q") == ["b", "c", "d"])
        #expect(counts.messages == 3)
    }

    @Test func aRecordTheJournalCannotStoreFailsTheRequestWithServiceUnavailable() async throws {
        let clock = ManualClock()
        let journal = RecordingStateJournal()
        let registry = QueueRegistry(clock: clock, seed: 3)
        registry.attachJournal(journal)
        let q = try registry.createQueue(QueueConfiguration(name: "q"))
        journal.failure.withLock { $0 = "cannot store in the journal DIR/journal/1.journal: no space left on the device (ENOSPC); the request was not stored" }
        let error = await #expect(throws: QueueError.self) { _ = try await q.sendMessage(body: "a") }
        #expect(error?.code == .serviceUnavailable)
        #expect(error?.message == "The request was not stored, so it did not take effect as far as any later start is concerned: cannot store in the journal DIR/journal/1.journal: no space left on the device (ENOSPC); the request was not stored. Retry once the data directory has room again; reads keep being served.")
        // Reads are served; space returns and sends succeed again.
        #expect(try await q.statistics().visible == 1)
        journal.failure.withLock { $0 = nil }
        _ = try await q.sendMessage(body: "b")
    }

    @Test func attributesTagsAndCreatedTimestampRecoverFromTheRecords() async throws {
        let clock = ManualClock()
        let journal = RecordingStateJournal()
        let registry = QueueRegistry(clock: clock, seed: 3)
        registry.attachJournal(journal)
        let q = try registry.createQueue(QueueConfiguration(name: "q", visibilityTimeout: 30))
        let created = q.currentMetadata.created
        clock.advance(by: .seconds(90))
        try q.tag(["team": "orders", "tier": "1"])
        q.untag(["tier"])
        var changed = q.configuration
        changed.visibilityTimeout = 120
        try registry.setAttributes(of: q, to: changed)

        let (recovered, _) = try journal.recover(clock: clock)
        let q2 = try recovered.queue(named: "q")
        #expect(q2.configuration.visibilityTimeout == 120)
        #expect(q2.currentMetadata == q.currentMetadata)
        #expect(q2.currentMetadata.created == created && q2.currentMetadata.tags == ["team": "orders"])
    }

    @Test func theCreateAndAttributeRecordsReachTheRequestsCollector() async throws {
        let journal = RecordingStateJournal()
        let registry = QueueRegistry(clock: ManualClock(), seed: 3)
        registry.attachJournal(journal)
        journal.failure.withLock { $0 = "disk full" }
        // CreateQueue's record is awaited by its request: a record not stored fails it.
        await #expect(throws: StateJournalFailure.self) {
            _ = try await StateJournalTickets.storing { () throws(QueueError) in try registry.createQueue(QueueConfiguration(name: "q")) }
        }
    }

    @Test func aBadRecordIsNamed() throws {
        var recovery = StateRecovery()
        #expect(throws: StateJournalFailure.self) { try recovery.apply(StateRecord(type: 200, payload: [])) }
        do {
            try recovery.apply(StateRecord(type: 200, payload: []))
        } catch {
            #expect(error.message == "a journal record has type 200, which this eventrouter does not know (written by a newer one?)")
        }
        do {
            try recovery.apply(StateRecord(type: 3, payload: Array("{\"arn\":\"x\"}".utf8)))
        } catch {
            #expect(error.message == "a messagePut record has no message with a MessageId")
        }
        // A queue.put whose metadata does not read stops the start naming the queue and key.
        try recovery.apply(StateRecord(type: 1, payload: Array(#"{"arn":"arn:aws:sqs:us-east-1:123456789012:q","Metadata":{"CreatedTimestamp":12}}"#.utf8)))
        let registry = QueueRegistry(clock: ManualClock(), seed: 1)
        let error = #expect(throws: StateJournalFailure.self) { _ = try recovery.restore(queues: registry) }
        #expect(error?.message == #"the recovered queues do not fit: InvalidParameterValue: queues["arn:aws:sqs:us-east-1:123456789012:q"].Metadata.CreatedTimestamp must be epoch milliseconds as a string, got 12."#)
    }
}
