import Synchronization
import Testing
@testable import EventRouter
import EventRouterTesting

/// `message.put.event` (9): a rule's message to a queue whose body is the event's own text is
/// journaled naming its pending delivery instead of repeating the text, and recovery takes the
/// text from the `event.accepted` record before it, from a snapshot taken in between, or from
/// the message a snapshot already holds; the record settles the delivery (no `delivery.done`);
/// a body found nowhere stops the start.
@Suite struct MessagePutEventTests {
    static let ruleArn = "arn:aws:events:us-east-1:123456789012:rule/orders/r"
    static let bus = "arn:aws:events:us-east-1:123456789012:event-bus/orders"

    let clock = ManualClock()
    let targets = TargetRegistry()
    let journal = RecordingStateJournal()
    let queues: QueueRegistry
    let queue: MessageQueue
    let scheduler: DeliveryScheduler
    let deliveries: DeliveryJournal

    init() throws {
        queues = QueueRegistry(clock: clock, seed: 7)
        queues.attachJournal(journal)
        queue = try queues.createQueue(QueueConfiguration(name: "target"))
        targets.registerProvider(forService: "sqs") { [queues] _ in QueueTarget(queues: queues) }
        // A real (not driven) clock: attempts run as the server runs them (DeliveryScheduler+Concurrent.swift).
        scheduler = DeliveryScheduler(clock: .real(clock), random: SharedRandom(seed: 42), targets: targets)
        deliveries = DeliveryJournal(journal: journal)
        scheduler.journal.withLock { $0 = deliveries }
    }

    /// Requests for events `ids` to the queue, the body being the event's text (or `body`).
    func requests(_ ids: [String], targetId: String = "t", body: ((Event) -> String)? = nil) -> [DeliveryRequest] {
        let route = DeliveryRoute(ruleArn: Self.ruleArn, targetId: targetId, targetArn: ARN(text: queue.arn), policy: RetryPolicy())
        return ids.map { id in
            let event = Event(id: id, detailType: "Placed", source: "shop", account: "123456789012", time: clock.now, region: "us-east-1",
                              detail: ["orderId": .string(id), "note": .string("caf\u{e9} \"quoted\"")])
            return DeliveryRequest(event: event, route: route, body: .success(body?(event) ?? event.jsonText), acceptedAt: clock.now)
        }
    }

    /// Accepts `requests` (journaled, as PutEvents does) and delivers them.
    func acceptAndDeliver(_ requests: [DeliveryRequest], between: () -> Void = {}) async {
        _ = deliveries.accepted(requests.map { ($0, busArn: Self.bus) }, at: clock.now)
        between()
        scheduler.enqueue(requests)
        _ = await scheduler.runDue(at: clock.now)
    }

    var records: [StateRecord] { journal.records.withLock { $0 } }

    /// The snapshot payload as the runtime takes it: queues and the pending deliveries.
    func snapshot() -> [UInt8] {
        StateSnapshotSections.encode(queues: { QueueSnapshotSection.capture(queues, into: &$0) }, json: ["deliveries": deliveries.snapshotJSON()])
    }

    /// The bodies recovered from `snapshot` and `records`, in arrival order.
    static func recoveredBodies(snapshot: [UInt8]? = nil, _ records: [StateRecord]) throws -> [String] {
        try recover(snapshot: snapshot, records).bodies
    }

    /// Recovers `records` (after `snapshot`): the queue's bodies and the deliveries still pending.
    static func recover(snapshot: [UInt8]? = nil, _ records: [StateRecord]) throws -> (bodies: [String], pending: Int) {
        var recovery = StateRecovery()
        if let snapshot { try recovery.applySnapshot(snapshot) }
        for record in records { try recovery.apply(record) }
        let registry = QueueRegistry(clock: ManualClock(), seed: 77)
        _ = try recovery.restore(queues: registry)
        return (try QueueJournalTests.bodies(registry, "target"), recovery.deliveries.count)
    }

    @Test func theAcceptedRecordBeforeTheMessageGivesItsBodyAndTheMessageSettlesIt() async throws {
        let requests = requests(["e-1", "e-2", "e-3"])
        await acceptAndDeliver(requests)
        // queue.put, event.accepted, message.put.event — no delivery.done: the message's record settles its delivery.
        #expect(records.map(\.type) == [1, 40, 9])
        #expect(records[2].payload.count < requests.map { $0.event.jsonText.utf8.count }.reduce(0, +))
        #expect(deliveries.pending.isEmpty)
        let (bodies, pending) = try Self.recover(records)
        #expect(bodies == requests.map(\.event.jsonText))
        #expect(pending == 0)  // not delivered again
        // kill -9 before the message record was stored: the delivery is pending, delivered again.
        #expect(try Self.recover(Array(records.dropLast())) == ([], 3))
    }

    @Test func aSnapshotBetweenTheAcceptedRecordAndTheMessageRecordCarriesTheText() async throws {
        let requests = requests(["e-1", "e-2"])
        var payload: [UInt8] = [], before = 0
        await acceptAndDeliver(requests) {
            payload = snapshot()  // rolled after event.accepted: the delivery is pending in it
            before = records.count
        }
        let after = Array(records[before...])
        #expect(after.map(\.type) == [9])
        let (bodies, pending) = try Self.recover(snapshot: payload, after)
        #expect(bodies == requests.map(\.event.jsonText))
        #expect(pending == 0)
        #expect(try Self.recover(snapshot: payload, []) == ([], 2))
    }

    @Test func aSnapshotCapturedAfterTheDeliverySettledHoldsTheMessageItself() async throws {
        // The roll came before the message record but the capture after the delivery settled:
        // no pending delivery in the snapshot, the message (with its body) in its queues section.
        let requests = requests(["e-1"])
        await acceptAndDeliver(requests)
        let payload = snapshot()
        #expect(deliveries.pending.isEmpty)
        let tail = records.filter { $0.type == 9 }
        #expect(try Self.recover(snapshot: payload, tail) == ([requests[0].event.jsonText], 0))
    }

    @Test func aMessageThatLeftBeforeTheCaptureNeedsNoBody() async throws {
        let requests = requests(["e-1"])
        await acceptAndDeliver(requests)
        let received = try await queue.receiveMessages(maxNumberOfMessages: 1)
        #expect(try await queue.deleteMessage(receiptHandle: #require(received.first).receiptHandle))
        let payload = snapshot()  // neither the delivery nor the message is in it
        let tail = records.filter { [9, 5].contains($0.type) }
        #expect(tail.map(\.type) == [9, 5])
        #expect(try Self.recoveredBodies(snapshot: payload, tail) == [])
    }

    @Test func aMessageWhoseEventWasNeverStoredIsLeftOutAndReported() async throws {
        // The event.accepted records are missing (a write error failed their batch): the
        // messages their deliveries stored later carry events never acknowledged.
        await acceptAndDeliver(requests(["e-1", "e-2"]))
        let message = records.filter { $0.type == 9 }
        var recovery = StateRecovery()
        for record in message { try recovery.apply(record) }
        let messageIds = try QueueRecordCodec.decodeMessagePutEvent(message[0].payload).messages.map(\.message.messageId)
        let registry = QueueRegistry(clock: clock, seed: 1)
        let counts = try recovery.restore(queues: registry)
        #expect(counts.messages == 0)
        #expect(counts.droppedMessages == ["2 messages left out, whose event's PutEvents was never stored (answered with an error): the "
                    + "message.put.event (9) record 1 after the snapshot puts message \(messageIds[0]) into \(queue.arn) with the text of "
                    + "event e-1 (rule \(Self.ruleArn), target t), and no event.accepted (40) record before it nor the snapshot holds that event"])
        #expect(counts.description.hasSuffix("(" + counts.droppedMessages[0] + ")"))
        let restored = try #require(registry.queue(arn: queue.arn))
        #expect(try await restored.statistics().total == 0)
    }

    @Test func aMessageWhoseEventWasNeverStoredIsKeptWhenALaterRecordHoldsItsBody() async throws {
        await acceptAndDeliver(requests(["e-1"]))
        let received = try await queue.receiveMessages(maxNumberOfMessages: 1)  // a receive rewrites the whole message (type 8)
        #expect(received.count == 1)
        let tail = records.filter { [8, 9].contains($0.type) }
        #expect(tail.map(\.type) == [9, 8])
        var recovery = StateRecovery()
        for record in tail { try recovery.apply(record) }
        let counts = try recovery.restore(queues: QueueRegistry(clock: clock, seed: 1))
        #expect(counts.messages == 1)
        #expect(counts.droppedMessages.isEmpty)
    }

    @Test func aTextThatIsNotTheRecordedBodyIsCorrupt() async throws {
        await acceptAndDeliver(requests(["e-1"]))
        let message = try #require(records.first { $0.type == 9 })
        let id = try QueueRecordCodec.decodeMessagePutEvent(message.payload).messages[0].message.messageId
        // An event.accepted with another text under the same event id.
        let other = DeliveryRecordCodec.Accepted(acceptedAt: 0, events: [.init(id: "e-1", busArn: Self.bus, text: #"{"other":1}"#)],
                                                 deliveries: [.init(event: 0, ruleArn: Self.ruleArn, targetId: "t")])
        var recovery = StateRecovery()
        try recovery.apply(StateRecord(type: 40, payload: DeliveryRecordCodec.encode(other)))
        let body = requests(["e-1"])[0].event.jsonText
        let expected = "a message.put.event (9) record puts message \(id) into \(queue.arn) with the text of event e-1 (rule \(Self.ruleArn), "
            + "target t), but the text of its pending delivery has 11 bytes and CRC-32C "
            + hex(QueueRecordCodec.bodyChecksum(#"{"other":1}"#)) + ", not the recorded \(body.utf8.count) bytes and "
            + hex(QueueRecordCodec.bodyChecksum(body)) + ": the journal or the snapshot is corrupt"
        let error = #expect(throws: StateJournalFailure.self) { try recovery.apply(message) }
        #expect(error?.message == expected)
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    @Test func shapedInputAndDeliveriesNotJournaledKeepTheWholeMessage() async throws {
        // Input shaping: the body is not the event's text.
        let shaped = requests(["e-1", "e-2"]) { _ in #"{"shaped":true}"# }
        await acceptAndDeliver(shaped)
        // Not accepted through the journal (a replay, a scheduled rule, a forwarded event).
        let loose = requests(["e-3", "e-4"])
        scheduler.enqueue(loose)
        _ = await scheduler.runDue(at: clock.now)
        let types = records.map(\.type)
        #expect(!types.contains(9), "\(types)")
        #expect(types.filter { $0 == 8 }.count == 4)
        #expect(try Self.recoveredBodies(records) == [#"{"shaped":true}"#, #"{"shaped":true}"#] + loose.map(\.event.jsonText))
    }

    @Test func runsOfDifferentTargetsAreRecordsOfTheirOwn() async throws {
        let requests = requests(["e-1", "e-2"], targetId: "a") + requests(["e-3"], targetId: "b")
        await acceptAndDeliver(requests)
        let decoded = try records.filter { $0.type == 9 }.map { try QueueRecordCodec.decodeMessagePutEvent($0.payload) }
        #expect(decoded.map(\.targetId) == ["a", "b"])
        #expect(decoded.map { $0.messages.map(\.eventId) } == [["e-1", "e-2"], ["e-3"]])
        #expect(try Self.recoveredBodies(records) == requests.map(\.event.jsonText))
    }

    @Test func aMessageRoundTripsWithoutItsBody() throws {
        var m = QueueMessage(id: 0, messageId: "m-1", body: "the event text", attributes: ["a": .string("x")],
                             sentTimestamp: Timestamp(nanosecondsSinceEpoch: 1_700_000_000_000_000_000),
                             enqueuedAt: Timestamp(nanosecondsSinceEpoch: 1_700_000_000_000_000_001), state: .delayed,
                             visibleAt: Timestamp(nanosecondsSinceEpoch: 1_700_000_000_500_000_000))
        m.receiveCount = 3
        var w = QueueRecordCodec.MessagePutEventWriter(queueArn: "arn:q", ruleArn: "arn:r", targetId: "t", expected: 1)
        w.append(eventId: "e-1", m)
        let decoded = try QueueRecordCodec.decodeMessagePutEvent(w.finish().payload)
        #expect(decoded.queueArn == "arn:q" && decoded.ruleArn == "arn:r" && decoded.targetId == "t")
        let entry = try #require(decoded.messages.first)
        #expect(entry.eventId == "e-1" && entry.bodyCount == 14 && entry.bodyChecksum == QueueRecordCodec.bodyChecksum("the event text"))
        var back = entry.message
        back.body = m.body
        var original = BinaryRecordWriter(), decodedBack = BinaryRecordWriter()
        QueueRecordCodec.encode(m, into: &original)
        QueueRecordCodec.encode(back, into: &decodedBack)
        #expect(decodedBack.bytes == original.bytes)
    }

    /// A record of one message, with bytes changed by `edit`.
    static func corrupt(_ edit: (inout [UInt8]) -> Void) -> [UInt8] {
        let m = QueueMessage(id: 0, messageId: "m-1", body: "b", attributes: [:], sentTimestamp: Timestamp(nanosecondsSinceEpoch: 0),
                             enqueuedAt: Timestamp(nanosecondsSinceEpoch: 0), state: .visible, visibleAt: Timestamp(nanosecondsSinceEpoch: 0))
        var w = QueueRecordCodec.MessagePutEventWriter(queueArn: "q", ruleArn: "r", targetId: "t", expected: 1)
        w.append(eventId: "e", m)
        var bytes = w.finish().payload
        edit(&bytes)
        return bytes
    }

    @Test(arguments: [
        (corrupt { $0[0] = 2 }, "a message.put.event (9) record is corrupt at byte 0 (version): version 2, this eventrouter reads version 1 (written by a newer one?)"),
        (corrupt { $0[16] = 200 }, "a message.put.event (9) record is corrupt at byte 16 (the number of messages): 200 messages cannot fit in the 62 bytes left"),
        (corrupt { $0.append(0) }, "a message.put.event (9) record is corrupt at byte 82 (after its 1 message): 1 unexpected byte"),
        (corrupt { $0.removeLast(2) }, "a message.put.event (9) record is corrupt at byte 78 (message attribute count of message m-1): 4 bytes needed, 2 left"),
        (corrupt { $0[20] = 0; $0.remove(at: 24) }, "a message.put.event (9) record is corrupt at byte 24 (an event id): it is empty"),
    ] as [([UInt8], String)])
    func badBytesAreNamed(payload: [UInt8], message: String) {
        let error = #expect(throws: StateJournalFailure.self) { _ = try QueueRecordCodec.decodeMessagePutEvent(payload) }
        #expect(error?.message == message)
    }
}
