import Synchronization
import Testing
@testable import EventRouter
import EventRouterTesting

/// The deliveries' journal: one `event.accepted` per PutEvents call, retries (`delivery.attempt`)
/// and settled deliveries (`delivery.done`) submitted once per batch of attempts, and recovery
/// resuming a delivery's retries and next-attempt time.
@Suite struct DeliveryJournalTests {
    static let targetArn = "arn:aws:sqs:us-east-1:123456789012:target"
    static let ruleArn = "arn:aws:events:us-east-1:123456789012:rule/orders/r"
    static let bus = "arn:aws:events:us-east-1:123456789012:event-bus/orders"

    let clock = ManualClock()
    let targets = TargetRegistry()

    func request(_ id: String, retries: Int = 2) -> DeliveryRequest {
        let event = Event(id: id, detailType: "Placed", source: "shop", account: "123456789012", time: clock.now, region: "us-east-1",
                          detail: ["orderId": .string(id)])
        return DeliveryRequest(event: event, ruleArn: Self.ruleArn, targetId: "t", targetArn: Self.targetArn, body: .success(event.jsonText),
                               policy: RetryPolicy(maximumRetryAttempts: retries), acceptedAt: clock.now)
    }

    func scheduler(_ journal: DeliveryJournal) -> DeliveryScheduler {
        let scheduler = DeliveryScheduler(clock: .virtual(clock), random: SharedRandom(seed: 42), targets: targets)
        scheduler.journal.withLock { $0 = journal }
        return scheduler
    }

    @Test func retriesAndSettledDeliveriesAreJournaledOncePerBatch() async throws {
        let recorder = RecordingStateJournal()
        let journal = DeliveryJournal(journal: recorder)
        targets.register(RecordingTarget.alwaysThrottling(clock: clock), for: Self.targetArn)
        let scheduler = scheduler(journal)
        let requests = [request("e-1"), request("e-2")]
        _ = journal.accepted(requests.map { ($0, busArn: Self.bus) }, at: clock.now)
        scheduler.enqueue(requests)
        _ = await scheduler.runDue(at: clock.now)  // both first attempts fail: one record for both retries
        var records = recorder.records.withLock { $0 }
        #expect(records.map(\.type) == [40, 41])
        let accepted = try DeliveryRecordCodec.decodeAccepted(records[0].payload)
        #expect(accepted.events.map(\.id) == ["e-1", "e-2"])
        #expect(accepted.acceptedAt == clock.now.nanosecondsSinceEpoch)
        let attempts = try DeliveryRecordCodec.decodeAttempts(records[1].payload)
        #expect(attempts.map(\.key.eventId) == ["e-1", "e-2"])
        #expect(attempts.map(\.retries) == [1, 1])
        #expect(attempts.map(\.due).min() == scheduler.nextDueTime?.nanosecondsSinceEpoch)
        #expect(journal.pending.map(\.value.retries) == [1, 1])
        #expect(journal.pending.map(\.value.due) == attempts.map { Optional($0.due) })

        await scheduler.settle()  // two retries each, then dropped (no dead-letter queue): settled
        records = recorder.records.withLock { $0 }
        let done = try records.filter { $0.type == 42 }.flatMap { try DeliveryRecordCodec.decodeDone($0.payload) }
        #expect(Set(done.map(\.eventId)) == ["e-1", "e-2"])
        #expect(records.filter { $0.type == 41 }.count >= 2)
        #expect(journal.pending.isEmpty)
    }

    @Test func recoveryResumesTheRetriesAndTheNextAttemptTime() async throws {
        let recorder = RecordingStateJournal()
        let journal = DeliveryJournal(journal: recorder)
        let first = request("e-1", retries: 10), second = request("e-2", retries: 10)
        _ = journal.accepted([(first, busArn: Self.bus), (second, busArn: Self.bus)], at: clock.now)
        let due = clock.now + .seconds(90)
        journal.retry(first, retries: 3, due: due)
        journal.done(second)
        journal.flush()
        var recovery = DeliveryRecovery()
        for record in recorder.records.withLock({ $0 }) {
            let type = try #require(StateRecordType(rawValue: record.type))
            #expect(try recovery.apply(type, record.payload))
        }
        #expect(recovery.count == 1)
        let entry = try #require(recovery.pending[DeliveryKey(first)])
        #expect(entry.retries == 3)
        #expect(entry.due == due.nanosecondsSinceEpoch)
        #expect(entry.acceptedAt == clock.now.nanosecondsSinceEpoch)

        // The scheduler resumes it: the next attempt is number 4, at the stored time.
        let target = RecordingTarget(clock: clock)
        targets.register(target, for: Self.targetArn)
        let scheduler = scheduler(DeliveryJournal(journal: recorder))
        let next = Timestamp(nanosecondsSinceEpoch: try #require(entry.due))
        scheduler.enqueue([first]) { _ in (entry.retries, next) }
        await scheduler.settle()
        #expect(target.deliveries.map(\.attempt) == [4])
        #expect(target.deliveryTimes == [due])
    }

    @Test func theSnapshotSectionCarriesRetriesAndTimes() throws {
        let journal = DeliveryJournal(journal: RecordingStateJournal())
        let r = request("e-1")
        _ = journal.accepted([(r, busArn: Self.bus)], at: clock.now)
        journal.retry(r, retries: 2, due: clock.now + .seconds(5))
        var recovery = DeliveryRecovery()
        try recovery.applySnapshotSection(journal.snapshotJSON())
        let entry = try #require(recovery.pending[DeliveryKey(r)])
        #expect(entry.retries == 2)
        #expect(entry.due == (clock.now + .seconds(5)).nanosecondsSinceEpoch)
        #expect(entry.busArn == Self.bus)
        #expect(try JSONParser.parse(entry.eventText) == r.event.json)
    }

    @Test func sessionSixJSONRecordsStillRecover() throws {
        var recovery = DeliveryRecovery()
        let key = "e-1|\(Self.ruleArn)|t"
        let event = request("e-1").event.json.jsonText
        let accepted = #"{"d":[{"k":"\#(key)","e":\#(event),"b":"\#(Self.bus)","r":"\#(Self.ruleArn)"},"#
            + #"{"k":"e-2|\#(Self.ruleArn)|t","e":\#(event),"b":"\#(Self.bus)","r":"\#(Self.ruleArn)"}]}"#
        #expect(try recovery.apply(.eventAccepted, Array(accepted.utf8)))
        #expect(try recovery.apply(.deliveryDone, Array(#"{"k":"e-2|\#(Self.ruleArn)|t"}"#.utf8)))
        #expect(recovery.pending.keys.map(\.eventId) == ["e-1"])
        #expect(recovery.pending.values.first?.acceptedAt == nil)
        let error = #expect(throws: StateJournalFailure.self) { _ = try recovery.apply(.deliveryDone, Array(#"{"k":"no-bars"}"#.utf8)) }
        #expect(error?.message == "a deliveryDone record has no key \"k\" of the form eventId|ruleArn|targetId")
    }
}
