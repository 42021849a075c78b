import EventRouter
import Testing
@testable import EventRouterHTTP

/// The CBOR codec against RFC 8949 Appendix A, and its JSON bridge.
@Suite struct CBORTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var hex: String
        var value: CBORValue
        /// Whether preferred serialization writes exactly these bytes (false for indefinite-length
        /// and non-preferred inputs, which decode but re-encode shorter or definite).
        var canonical = true
        var testDescription: String { hex }
    }

    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = hex.utf8.makeIterator()
        while let a = it.next(), let b = it.next() { out.append(UInt8(String(decoding: [a, b], as: UTF8.self), radix: 16)!) }
        return out
    }

    static let vectors: [Vector] = [
        Vector(hex: "00", value: .unsigned(0)), Vector(hex: "01", value: .unsigned(1)), Vector(hex: "0a", value: .unsigned(10)),
        Vector(hex: "17", value: .unsigned(23)), Vector(hex: "1818", value: .unsigned(24)), Vector(hex: "1819", value: .unsigned(25)),
        Vector(hex: "1864", value: .unsigned(100)), Vector(hex: "1903e8", value: .unsigned(1000)),
        Vector(hex: "1a000f4240", value: .unsigned(1_000_000)), Vector(hex: "1b000000e8d4a51000", value: .unsigned(1_000_000_000_000)),
        Vector(hex: "1bffffffffffffffff", value: .unsigned(18_446_744_073_709_551_615)),
        Vector(hex: "3bffffffffffffffff", value: .negative(18_446_744_073_709_551_615)),
        Vector(hex: "20", value: .integer(-1)), Vector(hex: "29", value: .integer(-10)), Vector(hex: "3863", value: .integer(-100)),
        Vector(hex: "3903e7", value: .integer(-1000)),
        Vector(hex: "f90000", value: .float(0.0)), Vector(hex: "f98000", value: .float(-0.0)), Vector(hex: "f93c00", value: .float(1.0)),
        Vector(hex: "fb3ff199999999999a", value: .float(1.1)), Vector(hex: "f93e00", value: .float(1.5)),
        Vector(hex: "f97bff", value: .float(65504.0)), Vector(hex: "fa47c35000", value: .float(100000.0)),
        Vector(hex: "fa7f7fffff", value: .float(3.4028234663852886e+38)), Vector(hex: "fb7e37e43c8800759c", value: .float(1.0e+300)),
        Vector(hex: "f90001", value: .float(5.960464477539063e-8)), Vector(hex: "f90400", value: .float(0.00006103515625)),
        Vector(hex: "f9c400", value: .float(-4.0)), Vector(hex: "fbc010666666666666", value: .float(-4.1)),
        Vector(hex: "f97c00", value: .float(.infinity)), Vector(hex: "f9fc00", value: .float(-.infinity)),
        Vector(hex: "fa7f800000", value: .float(.infinity), canonical: false),
        Vector(hex: "f4", value: .bool(false)), Vector(hex: "f5", value: .bool(true)), Vector(hex: "f6", value: .null),
        Vector(hex: "f7", value: .undefined), Vector(hex: "f0", value: .simple(16)), Vector(hex: "f8ff", value: .simple(255)),
        Vector(hex: "c074323031332d30332d32315432303a30343a30305a", value: .tagged(0, .text("2013-03-21T20:04:00Z"))),
        Vector(hex: "c11a514b67b0", value: .tagged(1, .unsigned(1_363_896_240))),
        Vector(hex: "c1fb41d452d9ec200000", value: .tagged(1, .float(1_363_896_240.5))),
        Vector(hex: "d74401020304", value: .tagged(23, .bytes([1, 2, 3, 4]))),
        Vector(hex: "40", value: .bytes([])), Vector(hex: "4401020304", value: .bytes([1, 2, 3, 4])),
        Vector(hex: "60", value: .text("")), Vector(hex: "6161", value: .text("a")), Vector(hex: "6449455446", value: .text("IETF")),
        Vector(hex: "62225c", value: .text("\"\\")), Vector(hex: "62c3bc", value: .text("\u{00fc}")),
        Vector(hex: "63e6b0b4", value: .text("\u{6c34}")), Vector(hex: "64f0908591", value: .text("\u{10151}")),
        Vector(hex: "80", value: .array([])), Vector(hex: "83010203", value: .array([.unsigned(1), .unsigned(2), .unsigned(3)])),
        Vector(hex: "8301820203820405", value: .array([.unsigned(1), .array([.unsigned(2), .unsigned(3)]), .array([.unsigned(4), .unsigned(5)])])),
        Vector(hex: "98190102030405060708090a0b0c0d0e0f101112131415161718181819", value: .array((1...25).map { .unsigned(UInt64($0)) })),
        Vector(hex: "a0", value: .map([])),
        Vector(hex: "a201020304", value: .map([.init(.unsigned(1), .unsigned(2)), .init(.unsigned(3), .unsigned(4))])),
        Vector(hex: "a26161016162820203", value: .textMap([("a", .unsigned(1)), ("b", .array([.unsigned(2), .unsigned(3)]))])),
        Vector(hex: "826161a161626163", value: .array([.text("a"), .textMap([("b", .text("c"))])])),
        Vector(hex: "5f42010243030405ff", value: .bytes([1, 2, 3, 4, 5]), canonical: false),
        Vector(hex: "7f657374726561646d696e67ff", value: .text("streaming"), canonical: false),
        Vector(hex: "9fff", value: .array([]), canonical: false),
        Vector(hex: "9f018202039f0405ffff", value: .array([.unsigned(1), .array([.unsigned(2), .unsigned(3)]), .array([.unsigned(4), .unsigned(5)])]), canonical: false),
        Vector(hex: "bf61610161629f0203ffff", value: .textMap([("a", .unsigned(1)), ("b", .array([.unsigned(2), .unsigned(3)]))]), canonical: false),
        Vector(hex: "bf6346756ef563416d7421ff", value: .textMap([("Fun", .bool(true)), ("Amt", .integer(-2))]), canonical: false),
    ]

    @Test(arguments: vectors)
    func rfc8949AppendixA(_ v: Vector) throws {
        #expect(try CBORDecoder.decode(Self.bytes(v.hex)) == v.value)
        if v.canonical { #expect(CBOREncoder.encode(v.value) == Self.bytes(v.hex)) }
        #expect(try CBORDecoder.decode(CBOREncoder.encode(v.value)) == v.value)
    }

    @Test func nanDecodesAndEncodesAsTheHalfNaN() throws {
        guard case .float(let d) = try CBORDecoder.decode(Self.bytes("f97e00")) else { Issue.record("not a float"); return }
        #expect(d.isNaN)
        #expect(CBOREncoder.encode(.float(.nan)) == Self.bytes("f97e00"))
    }

    @Test(arguments: [
        ("", "truncated"), ("1c", "additional information 28 is reserved"), ("ff", "a break (0xff) outside an indefinite-length item"),
        ("62c3", "truncated"), ("62c328", "not valid UTF-8"), ("9f01", "has no break"), ("5f6161ff", "same type"),
        ("f801", "simple value 1 must use the one-byte form"), ("9b00000000ffffffff", "claims 4294967295 items"),
        ("0000", "1 bytes follow"),
    ])
    func malformedInputIsAnErrorNeverACrash(_ hex: String, _ fragment: String) {
        #expect(throws: CBORError.self) { try CBORDecoder.decode(Self.bytes(hex)) }
        do { _ = try CBORDecoder.decode(Self.bytes(hex)) } catch { #expect(error.description.contains(fragment), "\(error)") }
    }

    @Test func nestingIsBounded() {
        let deep = [UInt8](repeating: 0x81, count: 100) + [0x00]
        do { _ = try CBORDecoder.decode(deep); Issue.record("accepted 100 levels") } catch { #expect(error.message.contains("nested more than 64 deep")) }
    }

    @Test func requestsBecomeJSONWithBase64BlobsAndSecondTimestamps() throws {
        let item = CBORValue.textMap([("Data", .bytes([0, 0xff])), ("Timestamp", .tagged(1, .unsigned(1_704_067_200_123))),
                                      ("Seconds", .tagged(1, .float(1.5))), ("Limit", .integer(-3))])
        let json = try CBORJSON.json(item)
        #expect(json.jsonText == #"{"Data":"AP8=","Timestamp":1704067200.123,"Seconds":1.5,"Limit":-3}"#)
        #expect(throws: CBORError.self) { try CBORJSON.json(.tagged(1, .text("now"))) }
        #expect(throws: CBORError.self) { try CBORJSON.json(.map([.init(.unsigned(1), .null)])) }
    }

    @Test func repliesCarryByteStringsAndMillisecondTimestamps() throws {
        let reply = try JSONValue(parsing: #"{"Records":[{"Data":"AP8=","ApproximateArrivalTimestamp":1704067200.123,"PartitionKey":"k"}],"MillisBehindLatest":0}"#)
        let cbor = CBORJSON.cbor(reply, blobs: ["Data"], timestamps: ["ApproximateArrivalTimestamp"])
        #expect(cbor == .textMap([
            ("Records", .array([.textMap([("Data", .bytes([0, 0xff])), ("ApproximateArrivalTimestamp", .tagged(1, .unsigned(1_704_067_200_123))),
                                          ("PartitionKey", .text("k"))])])),
            ("MillisBehindLatest", .unsigned(0)),
        ]))
    }
}

extension CBORTests {
    @Test func aTimestampBeyondInt64MillisecondsStaysAFloatInsteadOfTrapping() throws {
        let reply = try JSONValue(parsing: #"{"StreamCreationTimestamp": 1e300}"#)
        #expect(CBORJSON.cbor(reply, timestamps: ["StreamCreationTimestamp"]) == .textMap([("StreamCreationTimestamp", .float(1e300))]))
    }
}

extension CBORTests {
    /// Found by the `cbor` fuzz target: −1 − n milliseconds with n = 2^64 − 1 wrapped to "-0".
    @Test(arguments: [
        ("c13bffffffffffffffff", "-18446744073709551.616"), ("c13bfffffffffffffffe", "-18446744073709551.615"),
        ("c120", "-0.001"), ("c13903e7", "-1"), ("c11bffffffffffffffff", "18446744073709551.615"),
    ])
    func aTag1TimestampOfTheMostNegativeMillisecondsIsExact(_ hex: String, _ seconds: String) throws {
        #expect(try CBORJSON.json(CBORDecoder.decode(Self.bytes(hex))).jsonText == seconds)
    }
}
