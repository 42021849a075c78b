import Testing
@testable import EventRouter

private func le32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

/// The binary delivery records (40–42): round trips, the "same as before" strings, and a clear
/// message for every kind of bad bytes.
@Suite struct DeliveryRecordCodecTests {
    static let rule = "arn:aws:events:us-east-1:123456789012:rule/bench/to-queue"
    static let bus = "arn:aws:events:us-east-1:123456789012:event-bus/bench"

    static let accepted = DeliveryRecordCodec.Accepted(
        acceptedAt: 1_764_860_000_123_456_789,
        events: [.init(id: "e-1", busArn: bus, text: #"{"id":"e-1","detail":{"é":"ü"}}"#), .init(id: "e-2", busArn: bus, text: #"{"id":"e-2"}"#)],
        deliveries: [.init(event: 0, ruleArn: rule, targetId: "q"), .init(event: 0, ruleArn: rule, targetId: "other"),
                     .init(event: 1, ruleArn: rule, targetId: "q")])

    @Test func acceptedRoundTripsAndRepeatedStringsAreWrittenOnce() throws {
        let bytes = DeliveryRecordCodec.encode(Self.accepted)
        #expect(bytes.first == DeliveryRecordCodec.version)
        #expect(try DeliveryRecordCodec.decodeAccepted(bytes) == Self.accepted)
        // The bus ARN and the rule ARN are written once each.
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.components(separatedBy: Self.rule).count == 2)
        #expect(text.components(separatedBy: Self.bus).count == 2)
    }

    /// PutEvents writes `event.accepted` straight from its requests: the same bytes as the
    /// ``DeliveryRecordCodec/Accepted`` they make (events split where the id or the bus changes).
    @Test func acceptedFromRequestsIsTheSameBytes() throws {
        let other = "arn:aws:events:us-east-1:123456789012:event-bus/other"
        func event(_ id: String) -> Event {
            Event(id: id, detailType: "t", source: "s", account: "123456789012", time: Timestamp(nanosecondsSinceEpoch: 0), region: "us-east-1",
                  detail: ["k": .string("caf\u{e9}")])
        }
        func request(_ e: Event, _ rule: String, _ target: String) -> DeliveryRequest {
            DeliveryRequest(event: e, ruleArn: rule, targetId: target, targetArn: "arn:aws:sqs:us-east-1:123456789012:q",
                            body: .success(e.jsonText), acceptedAt: Timestamp(nanosecondsSinceEpoch: 0))
        }
        let (e1, e2) = (event("e-1"), event("e-2"))
        let requests: [(DeliveryRequest, busArn: String)] = [
            (request(e1, Self.rule, "q"), Self.bus), (request(e1, Self.rule, "other"), Self.bus), (request(e1, "r2", "q"), Self.bus),
            (request(e2, Self.rule, "q"), Self.bus), (request(e2, Self.rule, "q"), other),  // the same event forwarded to another bus
        ]
        let expected = DeliveryRecordCodec.Accepted(
            acceptedAt: 42,
            events: [.init(id: "e-1", busArn: Self.bus, text: e1.jsonText), .init(id: "e-2", busArn: Self.bus, text: e2.jsonText),
                     .init(id: "e-2", busArn: other, text: e2.jsonText)],
            deliveries: [.init(event: 0, ruleArn: Self.rule, targetId: "q"), .init(event: 0, ruleArn: Self.rule, targetId: "other"),
                         .init(event: 0, ruleArn: "r2", targetId: "q"), .init(event: 1, ruleArn: Self.rule, targetId: "q"),
                         .init(event: 2, ruleArn: Self.rule, targetId: "q")])
        let bytes = DeliveryRecordCodec.encodeAccepted(requests, at: 42)
        #expect(bytes == DeliveryRecordCodec.encode(expected))
        #expect(try DeliveryRecordCodec.decodeAccepted(bytes) == expected)
    }

    @Test func attemptsAndDoneRoundTrip() throws {
        let keys = [DeliveryKey(eventId: "e-1", ruleArn: Self.rule, targetId: "q"), DeliveryKey(eventId: "e-2", ruleArn: Self.rule, targetId: "q"),
                    DeliveryKey(eventId: "e|3", ruleArn: "r2", targetId: "t")]
        let attempts = keys.enumerated().map { DeliveryRecordCodec.Attempt(key: $1, retries: $0 + 1, due: Int64($0) * 1_000_000_007) }
        #expect(try DeliveryRecordCodec.decodeAttempts(DeliveryRecordCodec.encode(attempts: attempts)) == attempts)
        #expect(try DeliveryRecordCodec.decodeDone(DeliveryRecordCodec.encode(done: keys)) == keys)
        #expect(try DeliveryRecordCodec.decodeDone(DeliveryRecordCodec.encode(done: [])) == [])
    }

    @Test func theSessionSixKeyTextSplitsFromTheEnd() {
        #expect(DeliveryKey(text: "id|with|bars|\(Self.rule)|t") == DeliveryKey(eventId: "id|with|bars", ruleArn: Self.rule, targetId: "t"))
        #expect(DeliveryKey(text: "no-bars") == nil)
        #expect(DeliveryKey(text: "one|bar") == nil)
    }

    @Test(arguments: [
        ([], "a delivery.done (42) record is empty (it should start with its layout version 1)"),
        ([2, 0, 0, 0, 0], "a delivery.done (42) record has layout version 2; this eventrouter reads version 1 (written by a newer one, or corrupt)"),
        ([1, 1, 0], "a delivery.done (42) record (3 bytes) is cut short or corrupt at byte 1: the number of entries needs 4 bytes, 2 are left"),
        ([1] + le32(1_000_000) + [0, 0, 0, 0], "a delivery.done (42) record (9 bytes) is cut short or corrupt at byte 5: the number of entries is 1000000, more than the 4 bytes left can hold"),
        ([1] + le32(1) + le32(UInt32.max) + le32(0) + le32(0),
         "a delivery.done (42) record (17 bytes) is cut short or corrupt at byte 5: the event id of entry 0 says \"same as before\" but there is no earlier value"),
        ([1] + le32(1) + le32(1) + [0xFF] + le32(0) + le32(0),
         "a delivery.done (42) record (18 bytes) is cut short or corrupt at byte 9: the event id of entry 0 is not valid UTF-8"),
        ([1] + le32(1) + le32(40) + [65, 65, 65, 65, 65, 65, 65, 65],
         "a delivery.done (42) record (17 bytes) is cut short or corrupt at byte 9: the event id of entry 0 needs 40 bytes, 8 are left"),
        ([1] + le32(1) + le32(1) + [65] + le32(1) + [66] + le32(1) + [67] + [9, 9],
         "a delivery.done (42) record (22 bytes) is cut short or corrupt at byte 20: 2 bytes follow the last entry"),
    ] as [([UInt8], String)])
    func badDoneBytesAreRefusedSayingWhereAndWhat(bytes: [UInt8], message: String) {
        let error = #expect(throws: StateJournalFailure.self) { _ = try DeliveryRecordCodec.decodeDone(bytes) }
        #expect(error?.message == message)
    }

    @Test func anAcceptedDeliveryNamingAMissingEventIsRefused() {
        var record = Self.accepted
        record.deliveries[2].event = 7
        let error = #expect(throws: StateJournalFailure.self) { _ = try DeliveryRecordCodec.decodeAccepted(DeliveryRecordCodec.encode(record)) }
        #expect(error?.message.hasPrefix("an event.accepted (40) record") == true)
        #expect(error?.message.hasSuffix("delivery 2 names event 7, but the record has 2 events") == true, "\(error?.message ?? "")")
    }

    @Test func aCutShortAttemptRecordIsRefusedNamingTheField() {
        let bytes = DeliveryRecordCodec.encode(attempts: [.init(key: DeliveryKey(eventId: "e", ruleArn: "r", targetId: "t"), retries: 2, due: 5)])
        let error = #expect(throws: StateJournalFailure.self) { _ = try DeliveryRecordCodec.decodeAttempts(Array(bytes.dropLast(3))) }
        #expect(error?.message == "a delivery.attempt (41) record (\(bytes.count - 3) bytes) is cut short or corrupt at byte \(bytes.count - 8): the next attempt time of entry 0 needs 8 bytes, 5 are left")
    }
}
