import EventRouterCore
import EventRouterStorage
import Testing

/// The record frame: round trip, layout, and every way a frame is refused.
@Suite struct JournalRecordFrameTests {
    static func segment(_ records: [JournalRecord]) -> [UInt8] {
        var bytes = JournalRecordFrame.header(segment: 3)
        for record in records { JournalRecordFrame.encode(record, into: &bytes) }
        return bytes
    }

    @Test func recordsRoundTripInOrder() {
        let records = [testRecord(0, size: 0), testRecord(1), testRecord(2, size: 1_000), JournalRecord(type: 255, payload: [0, 0, 0])]
        let bytes = Self.segment(records)
        var decoded: [JournalRecord] = []
        bytes.withUnsafeBytes { raw in
            var offset = JournalRecordFrame.headerSize
            while case .record(let record, let next) = JournalRecordFrame.decode(raw, at: offset) {
                decoded.append(record)
                offset = next
            }
            #expect(JournalRecordFrame.decode(raw, at: offset) == .end)
        }
        #expect(decoded == records)
    }

    @Test func theLayoutIsLengthCRCTypePayloadLittleEndian() {
        var bytes: [UInt8] = []
        JournalRecordFrame.encode(JournalRecord(type: 7, payload: [1, 2, 3]), into: &bytes)
        let crc = CRC32C.checksum([7, 1, 2, 3])
        #expect(bytes == [3, 0, 0, 0] + [UInt8(crc & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8((crc >> 16) & 0xFF), UInt8(crc >> 24)] + [7, 1, 2, 3])
        #expect(JournalRecordFrame.header(segment: 0x0102) == Array("ERJL".utf8) + [1, 0, 0, 0] + [2, 1, 0, 0, 0, 0, 0, 0])
    }

    /// A change to a one-record segment: bytes set, a byte flipped, or the bytes cut.
    enum Damage: Sendable {
        case set([Int: UInt8])
        case flip(Int, UInt8)
        case cut(to: Int)

        func apply(to bytes: inout [UInt8]) {
            switch self {
            case .set(let values): for (index, value) in values { bytes[index] = value }
            case .flip(let index, let mask): bytes[index] ^= mask
            case .cut(let length): bytes.removeLast(bytes.count - length)
            }
        }
    }

    @Test(arguments: [
        ("a length past the limit", Damage.set([16: 0xFF, 17: 0xFF, 18: 0xFF, 19: 0x7F]), "over the limit of 67108864"),
        ("a length past the end", .set([16: 200]), "cut short"),
        ("type 0", .set([24: 0]), "type 0"),
        ("a payload byte flipped", .flip(26, 0x01), "CRC-32C mismatch"),
        ("a CRC byte flipped", .flip(20, 0x80), "CRC-32C mismatch"),
        ("a frame cut short", .cut(to: 20), "cut short (4 of its 9 header bytes)"),
    ])
    func badFramesAreRefusedWithTheReason(name: String, damage: Damage, reason: String) {
        var bytes = Self.segment([testRecord(1)])
        damage.apply(to: &bytes)
        bytes.withUnsafeBytes { raw in
            guard case .bad(let text) = JournalRecordFrame.decode(raw, at: JournalRecordFrame.headerSize) else {
                Issue.record("\(name): decoded")
                return
            }
            #expect(text.contains(reason), "\(name): \(text)")
        }
    }

    @Test func typeZeroAndOversizedRecordsAreRefusedBeforeWriting() {
        #expect(JournalRecordFrame.problem(with: JournalRecord(type: 0, payload: [])) == "record type 0 is reserved (it would read as zero bytes); use 1…255")
        #expect(JournalRecordFrame.problem(with: testRecord(1)) == nil)
    }
}

