import Testing
import EventRouterTesting
@testable import EventRouter

/// Topic deliveries through the journal, in the engine: a FIFO group's message retrying and the
/// one waiting behind it are journaled (records 25), recovered into a fresh registry with their
/// attempt counts and next attempt times, and delivered there in order; the FIFO window comes
/// back with them.
@Suite struct TopicJournalRecoveryTests {
    static let q = TopicFIFOTests.q

    @Test func aFIFOGroupWaitingBehindARetryIsDeliveredInOrderAfterARestart() async throws {
        let sink = RecordingSubscriptionSink()
        sink.script(Self.q, Array(repeating: .retriable(code: "ServiceUnavailable", message: "busy"), count: 4))
        let f = try TopicFixture(queues: ["q.fifo"], topics: [TopicFIFOTests.topic], sink: sink)
        let journal = RecordingStateJournal()
        f.topics.journal.attach(journal, model: TopicRecovery())
        let topic = try f.topic("t.fifo")
        let m1 = try await topic.publish(message: "g1-first", messageGroupId: "g1")
        let m2 = try await topic.publish(message: "g1-second", messageGroupId: "g1")
        #expect(m1.deliveries.map(\.status) == [.retrying])
        #expect(m2.deliveries.map(\.status) == [.waiting])

        var state = StateRecovery()
        for record in journal.records.withLock({ $0 }) { try state.apply(record) }
        let after = RecordingSubscriptionSink()
        let g = try TopicFixture(queues: ["q.fifo"], topics: [TopicFIFOTests.topic], sink: after)
        let restored = try state.topics.restore(into: g.topics)
        #expect(restored.retries == 2 && restored.notRestored.isEmpty, "\(restored.notRestored)")
        // The retry is due 1 s after the first attempts (SNS's policy for queues), on the stored time.
        #expect(g.topics.timedStatusNow(at: g.clock.now)?.nextDeadline == g.clock.now + .seconds(1))
        await g.topics.settle(advancing: g.clock)
        let order = after.deliveries(to: Self.q).filter { $0.result == .success }.map { try? JSONParser.parse($0.body)["Message"]?.stringValue }
        #expect(order == ["g1-first", "g1-second"])
        let recovered = try g.topic("t.fifo")
        #expect(await recovered.pendingRetries == 0)
        // The window came back too: the same message again is the original.
        let again = try await recovered.publish(message: "g1-first", messageGroupId: "g1")
        #expect(again.deduplicated && again.messageId == m1.messageId && again.sequenceNumber == m1.sequenceNumber)
        let next = try await recovered.publish(message: "g1-third", messageGroupId: "g1")
        #expect(next.sequenceNumber == "10000000000000000003")
    }

    @Test func aWaitingDeliveryWhoseGroupHeadSettledIsDueAtOnceAfterARestart() async throws {
        let sink = RecordingSubscriptionSink()
        sink.script(Self.q, Array(repeating: .retriable(code: "ServiceUnavailable", message: "busy"), count: 4))
        let f = try TopicFixture(queues: ["q.fifo"], topics: [TopicFIFOTests.topic], sink: sink)
        let journal = RecordingStateJournal()
        f.topics.journal.attach(journal, model: TopicRecovery())
        let topic = try f.topic("t.fifo")
        let m1 = try await topic.publish(message: "g1-first", messageGroupId: "g1")
        _ = try await topic.publish(message: "g1-second", messageGroupId: "g1")
        // The head's records left out: as if it had settled and the process died before the next ran.
        var state = StateRecovery()
        for record in journal.records.withLock({ $0 }) where !String(decoding: record.payload, as: UTF8.self).contains(#""m":"\#(m1.messageId)""#) {
            try state.apply(record)
        }
        let after = RecordingSubscriptionSink()
        let g = try TopicFixture(queues: ["q.fifo"], topics: [TopicFIFOTests.topic], sink: after)
        #expect(try state.topics.restore(into: g.topics).retries == 1)
        #expect(g.topics.timedStatusNow(at: g.clock.now)?.nextDeadline == g.clock.now)
        await g.topics.settle(advancing: g.clock)
        let order = after.deliveries(to: Self.q).filter { $0.result == .success }.map { try? JSONParser.parse($0.body)["Message"]?.stringValue }
        #expect(order == ["g1-second"])
    }
}
