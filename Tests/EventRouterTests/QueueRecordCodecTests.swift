import Testing
@testable import EventRouter

/// The binary queue records (`message.put` v2, type 8), the snapshot's binary queues section
/// and its sectioned payload (docs/durability.md, "Queue records and the snapshot's queues
/// section"): round trips, recovery through them, and every kind of bad bytes named.
@Suite struct QueueRecordCodecTests {
    static let arn = "arn:aws:sqs:us-east-1:123456789012:q.fifo"

    static func fullMessage() -> QueueMessage {
        var m = QueueMessage(
            id: 9, messageId: "m-1", body: "héllo\u{0}world", attributes: [
                "s": MessageAttributeValue(dataType: "String", stringValue: "v", binaryValue: nil),
                "b": MessageAttributeValue(dataType: "Binary", stringValue: nil, binaryValue: [0, 1, 255]),
            ],
            sentTimestamp: Timestamp(nanosecondsSinceEpoch: 1_700_000_000_123_456_789),
            enqueuedAt: Timestamp(nanosecondsSinceEpoch: 1_600_000_000_000_000_000), state: .inFlight,
            visibleAt: Timestamp(nanosecondsSinceEpoch: 1_700_000_030_000_000_000), groupId: "G", deduplicationId: "D")
        m.sequenceNumber = "00000000000000000042"
        m.deadLetterSourceArn = "arn:aws:sqs:us-east-1:123456789012:src.fifo"
        m.receivedAt = Timestamp(nanosecondsSinceEpoch: 1_700_000_000_500_000_000)
        m.firstReceiveTimestamp = Timestamp(nanosecondsSinceEpoch: 1_700_000_000_400_000_000)
        m.receiptNonce = 0xdead_beef
        m.receiveCount = 3
        return m
    }

    @Test func aMessageWithEveryFieldRoundTrips() throws {
        let m = Self.fullMessage()
        let record = QueueRecordCodec.messagePutRecord(arn: Self.arn, m)
        #expect(record.type == StateRecordType.messagePutBinary.rawValue)
        let (arn, d) = try QueueRecordCodec.decodeMessagePut(record.payload)
        #expect(arn == Self.arn)
        #expect(d.messageId == m.messageId && d.body == m.body && d.attributes == m.attributes)
        #expect(d.sentTimestamp == m.sentTimestamp && d.enqueuedAt == m.enqueuedAt && d.visibleAt == m.visibleAt)
        #expect(d.state == .inFlight && d.receivedAt == m.receivedAt && d.firstReceiveTimestamp == m.firstReceiveTimestamp)
        #expect(d.receiptNonce == 0xdead_beef && d.receiveCount == 3)
        #expect(d.groupId == "G" && d.deduplicationId == "D" && d.sequenceNumber == m.sequenceNumber && d.deadLetterSourceArn == m.deadLetterSourceArn)
        // A plain message (no optional field) round trips too, and re-encodes to the same bytes.
        let plain = QueueMessage(id: 1, messageId: "p", body: "", attributes: [:], sentTimestamp: Timestamp(nanosecondsSinceEpoch: 5),
                                 enqueuedAt: Timestamp(nanosecondsSinceEpoch: 5), state: .visible, visibleAt: Timestamp(nanosecondsSinceEpoch: 5))
        let plainRecord = QueueRecordCodec.messagePutRecord(arn: Self.arn, plain)
        let back = try QueueRecordCodec.decodeMessagePut(plainRecord.payload).message
        #expect(QueueRecordCodec.messagePutRecord(arn: Self.arn, back).payload == plainRecord.payload)
        #expect(back.extras == nil && back.receivedAt == nil)
    }

    /// Offsets in the record of ``fullMessage()``: version 1, ARN 4 + 41, MessageId 4 + 3,
    /// Body 4 + 12 → the SentTimestamp at 69, the state byte at 93.
    static func corrupted(_ change: (inout [UInt8]) -> Void) -> [UInt8] {
        var bytes = QueueRecordCodec.messagePutRecord(arn: arn, fullMessage()).payload
        change(&bytes)
        return bytes
    }

    static let badRecords: [(String, [UInt8], String)] = [
        ("empty", [], "a message.put (binary) record is corrupt at byte 0 (version): 1 byte needed, 0 left"),
        ("newer version", corrupted { $0[0] = 2 },
         "a message.put (binary) record is corrupt at byte 0 (version): version 2, this eventrouter reads version 1 (written by a newer one?)"),
        ("cut short", corrupted { $0.removeLast(5) },
         "a message.put (binary) record is corrupt at byte 247 (StringValue of message attribute s of message m-1 length): 4 bytes needed, 0 left"),
        ("ARN length past the end", corrupted { $0[4] = 0x7f },
         "a message.put (binary) record is corrupt at byte 5 (queue ARN): 2130706473 bytes needed, 247 left"),
        ("state byte", corrupted { $0[93] = 7 },
         "a message.put (binary) record is corrupt at byte 93 (state of message m-1): 7 is not 0 (delayed), 1 (visible) or 2 (in flight)"),
        ("time out of range", corrupted { for i in 69..<77 { $0[i] = 0xff } },
         "a message.put (binary) record is corrupt at byte 69 (SentTimestamp of message m-1): -1 ns is outside the supported times (1970-01-01T00:00:00Z to 2199-12-31T23:59:59.999Z)"),
        ("body not UTF-8", corrupted { $0[57] = 0xff },
         "a message.put (binary) record is corrupt at byte 53 (Body of message m-1): the 12 bytes are not valid UTF-8"),
        ("trailing bytes", corrupted { $0 += [1, 2] },
         "a message.put (binary) record is corrupt at byte 251 (after message m-1): 2 unexpected bytes"),
    ]

    @Test(arguments: badRecords)
    func badBytesAreNamed(_ name: String, _ payload: [UInt8], _ message: String) {
        var recovery = StateRecovery()
        let error = #expect(throws: StateJournalFailure.self, "\(name)") {
            try recovery.apply(StateRecord(type: StateRecordType.messagePutBinary.rawValue, payload: payload))
        }
        #expect(error?.message == message, "\(name)")
    }

    @Test func aBinarySnapshotPlusTheRecordsAfterItRecoverTheStateAndItsReceiptHandles() async throws {
        let clock = ManualClock()
        let journal = RecordingStateJournal()
        let registry = QueueRegistry(clock: clock, seed: 3)
        registry.attachJournal(journal)
        let q = try registry.createQueue(QueueConfiguration(name: "q", visibilityTimeout: 30))
        let fifo = try registry.createQueue(QueueConfiguration(name: "f.fifo", contentBasedDeduplication: true))
        for body in ["a", "b", "c"] { _ = try await q.sendMessage(body: body) }
        let sent = try await fifo.sendMessage(body: "x", groupId: "G")
        let inFlight = try #require(try await q.receiveMessages(visibilityTimeout: 600).first)
        // Captured after all of these records (they are replayed on top: no change).
        let snapshot = StateSnapshotSections.encode(queues: QueueSnapshotSection.capture(registry), json: ["deliveries": []])
        #expect(StateSnapshotSections.isSectioned(snapshot))
        _ = try await q.sendMessage(body: "d")
        let b = try #require(try await q.receiveMessages(visibilityTimeout: 600).first)
        #expect(try await q.deleteMessage(receiptHandle: b.receiptHandle))

        let (recovered, counts) = try journal.recover(clock: clock, snapshot: snapshot)
        #expect(counts == StateRecovery.Counts(queues: 2, messages: 4))
        #expect(try QueueJournalTests.bodies(recovered, "q") == ["a", "c", "d"])
        let q2 = try recovered.queue(named: "q")
        #expect(try await q2.statistics() == QueueStatistics(visible: 2, notVisible: 1, delayed: 0))
        // The handle handed out before the restart still deletes its message.
        #expect(try await q2.deleteMessage(receiptHandle: inFlight.receiptHandle))
        // FIFO: a duplicate within 5 minutes is recognised, sequence numbers go on.
        let fifo2 = try recovered.queue(named: "f.fifo")
        let again = try await fifo2.sendMessage(body: "x", groupId: "G")
        #expect(again.messageId == sent.messageId && again.deduplicated)
        let next = try await fifo2.sendMessage(body: "y", groupId: "G")
        #expect(next.sequenceNumber.flatMap { UInt64($0) } == sent.sequenceNumber.flatMap { UInt64($0) }.map { $0 + 1 })
    }

    static func sectioned(_ change: (inout [UInt8]) -> Void) -> [UInt8] {
        let registry = QueueRegistry(clock: ManualClock(), seed: 1)
        let q = try? registry.createQueue(QueueConfiguration(name: "q"))
        _ = try? q?.sendNow(body: "a")
        var bytes = StateSnapshotSections.encode(queues: QueueSnapshotSection.capture(registry), json: ["deliveries": []])
        change(&bytes)
        return bytes
    }

    static let badSnapshots: [(String, [UInt8], String)] = [
        ("newer payload format", sectioned { $0[4] = 3 },
         "the snapshot payload is corrupt at byte 4 (version): payload format 3, this eventrouter reads format 2 (written by a newer one?)"),
        ("section longer than the payload", sectioned { $0[24] = 1 },
         "the snapshot payload is corrupt at byte 18 (section queues): its length is 281474976711256 bytes, 624 left"),
        ("queues section of a newer version", sectioned { $0[26] = 9 },
         "the snapshot's queues section is corrupt at byte 0 (version): version 9, this eventrouter reads version 1 (written by a newer one?)"),
        ("a JSON section that is not JSON", sectioned { $0[$0.count - 1] = UInt8(ascii: "}") },
         "the snapshot's section deliveries is not valid JSON"),
    ]

    @Test(arguments: badSnapshots)
    func aBadSnapshotIsNamed(_ name: String, _ payload: [UInt8], _ message: String) {
        var recovery = StateRecovery()
        let error = #expect(throws: StateJournalFailure.self, "\(name)") { try recovery.applySnapshot(payload) }
        #expect(error?.message.hasPrefix(message) == true, "\(name): \(error?.message ?? "")")
    }
}
