import Testing
import EventRouterCore

/// ``Timestamp/iso8601`` and ``Timestamp/iso8601Milliseconds`` (written digit by digit for years
/// 0–9999; `Int64` nanoseconds reach 1677–2262) give what the formatting by padded parts gives.
@Suite struct TimestampFormatTests {
    static let nanoseconds: [Int64] = {
        var values: [Int64] = [0, 1, -1, 999_999, 1_000_000, -1_000_000, 999_999_999, -999_999_999, 1_000_000_000, -1_000_000_001,
                               1_714_564_800_123_000_000, 1_709_164_800_000_000_000 - 1, 951_782_400_000_000_000, 946_684_799_999_000_000,
                               -5_364_662_400_000_000_000, 7_258_118_400_000_000_000, .max, .min]
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<500 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values.append(Int64(bitPattern: x))
            values.append(Int64(bitPattern: x) % 4_102_444_800_000_000_000)  // up to 2100, either side of 1970
        }
        return values
    }()

    @Test func digitsAsTheParts() {
        for ns in Self.nanoseconds {
            let t = Timestamp(nanosecondsSinceEpoch: ns)
            #expect(t.iso8601Milliseconds == t.formatByParts(fractionDigits: 3), "\(ns)")
            #expect(t.iso8601 == t.formatByParts(fractionDigits: 0), "\(ns)")
        }
        #expect(Timestamp(nanosecondsSinceEpoch: 1_714_564_800_123_000_000).iso8601Milliseconds == "2024-05-01T12:00:00.123Z")
        #expect(Timestamp(nanosecondsSinceEpoch: -1).iso8601Milliseconds == "1969-12-31T23:59:59.999Z")
    }
}
