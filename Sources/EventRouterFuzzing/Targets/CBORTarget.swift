import EventRouter
import EventRouterHTTP

/// The Kinesis CBOR codec (`application/x-amz-cbor-1.1`, what the Java SDKs send): any bytes
/// are decoded or refused with a message and an offset inside the input; a decoded value
/// encodes to bytes that decode to the same value (floats bit for bit, NaN as NaN) and encode
/// again to the same bytes; ``CBORJSON`` gives exactly the JSON a reference conversion gives
/// (integers and tag-1 milliseconds as exact decimal text, byte strings as base64, other tags
/// transparent) or refuses exactly what the reference refuses; that JSON survives the reply
/// direction (``CBORJSON/cbor(_:blobs:timestamps:)`` and back); and the request reader
/// (`JSONInput(cbor:)`) never traps.
struct CBORTarget: FuzzTarget {
    let name = "cbor"
    let summary = "CBORDecoder: decoded or refused with a message and offset; encode/decode round trip bit for bit; CBORJSON = reference (exact integers, tag 1 ms, base64); JSON→CBOR→JSON"

    var seeds: [[UInt8]] {
        // Kinesis PutRecord, PutRecords, GetShardIterator (tag-1 milliseconds) and GetRecords bodies, as the Java SDK writes them.
        let requests: [CBORValue] = [
            .textMap([("StreamName", .text("s")), ("Data", .bytes([0x78, 0x00, 0xff])), ("PartitionKey", .text("p")), ("ExplicitHashKey", .null)]),
            .textMap([("StreamName", .text("s")), ("Records", .array([.textMap([("Data", .bytes([1, 2, 3])), ("PartitionKey", .text("1"))]),
                                                                       .textMap([("Data", .bytes([])), ("PartitionKey", .text("2"))])]))]),
            .textMap([("StreamName", .text("s")), ("ShardId", .text("shardId-000000000000")), ("ShardIteratorType", .text("AT_TIMESTAMP")),
                      ("Timestamp", .tagged(1, .unsigned(1_704_067_200_123)))]),
            .textMap([("ShardIterator", .text("AAAA")), ("Limit", .integer(1000))]),
        ]
        // RFC 8949 Appendix A items the unit tests read, indefinite lengths and tags included.
        let items = [
            "9f018202039f0405ffff", "bf61610161629f0203ffff", "5f42010243030405ff", "7f657374726561646d696e67ff",
            "c11a514b67b0", "c1fb41d452d9ec200000", "d74401020304", "f97bff", "fa47c35000", "fb7e37e43c8800759c", "f90001",
            "3bffffffffffffffff", "1bffffffffffffffff", "c13bffffffffffffffff", "f8ff", "f7", "f97e00", "fbfff8000000000001",
        ]
        return requests.map(CBOREncoder.encode) + items.map(Self.hexBytes)
    }

    var dictionary: [[UInt8]] {
        [[0x9f], [0xbf], [0xff], [0x5f], [0x7f], [0xc1], [0xc0], [0xd8, 0x20], [0xf9, 0x7c, 0x00], [0xf9, 0x7e, 0x00], [0xf9, 0x80, 0x00],
         [0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
         [0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x7b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf0],
         [0x5a, 0xff, 0xff, 0xff, 0xff], [0xba, 0x00, 0x01, 0x00, 0x00], [0x62, 0xc3, 0x28], [0x63, 0xed, 0xa0, 0x80],
         [0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81], [0xc6, 0xc6, 0xc6, 0xc6], [0x1c], [0xf8, 0x10], [0xfa, 0x7f, 0x80, 0x00, 0x01],
         Array("d4Data".utf8), [0x6c] + Array("PartitionKey".utf8)]
    }

    func run(_ input: [UInt8]) throws(FuzzFailure) -> FuzzOutcome {
        // The request path never traps, whatever the body.
        do { _ = try JSONInput(cbor: input) } catch {
            try require(!error.message.isEmpty, "JSONInput(cbor:) refused without a message")
        }
        let value: CBORValue
        do { value = try CBORDecoder.decode(input) } catch {
            try require(!error.message.isEmpty, "a CBORError without a message")
            try require(error.offset >= 0 && error.offset <= input.count, "error offset \(error.offset) outside the \(input.count) input bytes: \(error)")
            return .rejected
        }
        let encoded = CBOREncoder.encode(value)
        let again: CBORValue
        do { again = try CBORDecoder.decode(encoded) } catch {
            throw FuzzFailure("the encoding of a decoded value does not decode: \(error); value \(value)")
        }
        try require(Self.same(value, again), "encode/decode changed the value: \(value) became \(again)")
        try require(CBOREncoder.encode(again) == encoded, "encoding is not stable: \(value)")

        let reference = Self.referenceJSON(value)
        let json: JSONValue
        do { json = try CBORJSON.json(value) } catch {
            try require(reference == nil, "CBORJSON refused \(value) (\(error)) but the reference reads \(reference?.jsonText ?? "")")
            try require(!error.message.isEmpty, "a CBORJSON error without a message")
            return .rejected
        }
        guard let reference else { throw FuzzFailure("CBORJSON accepted \(value) as \(json.jsonText) but the reference refuses it") }
        try require(json.jsonText == reference.jsonText, "CBORJSON gave \(json.jsonText), the reference \(reference.jsonText) for \(value)")
        // The reply direction: the JSON as CBOR reads back as the same JSON (numbers by value).
        do {
            let back = try CBORJSON.json(CBORJSON.cbor(json))
            try require(back == json, "JSON → CBOR → JSON changed \(json.jsonText) into \(back.jsonText)")
        } catch {
            throw FuzzFailure("JSON → CBOR → JSON refused \(json.jsonText): \(error)")
        }
        return .accepted
    }

    /// Whether two values are the same item: floats compared bit for bit (any NaN equals any NaN,
    /// as the encoder writes every NaN as the half-precision quiet NaN).
    static func same(_ a: CBORValue, _ b: CBORValue) -> Bool {
        switch (a, b) {
        case (.float(let x), .float(let y)): return (x.isNaN && y.isNaN) || x.bitPattern == y.bitPattern
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.map(let x), .map(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { same($0.key, $1.key) && same($0.value, $1.value) }
        case (.tagged(let s, let x), .tagged(let t, let y)): return s == t && same(x, y)
        default: return a == b
        }
    }

    /// The JSON a CBOR request item stands for, written independently of ``CBORJSON`` from what
    /// its documentation promises; `nil` where it must be refused.
    static func referenceJSON(_ value: CBORValue) -> JSONValue? {
        switch value {
        case .unsigned(let n): return .number(JSONNumber(validatedText: String(n)))
        case .negative(let n): return .number(JSONNumber(validatedText: "-" + String(UInt128(n) + 1)))
        case .bytes(let b): return .string(Base64.encode(b))
        case .text(let s): return .string(s)
        case .array(let items):
            var out: [JSONValue] = []
            for item in items {
                guard let j = referenceJSON(item) else { return nil }
                out.append(j)
            }
            return .array(out)
        case .map(let pairs):
            var members: [JSONObject.Member] = []
            for pair in pairs {
                guard case .text(let key) = pair.key, let j = referenceJSON(pair.value) else { return nil }
                members.append(JSONObject.Member(key: key, value: j))
            }
            return .object(JSONObject(members))
        case .tagged(1, .unsigned(let ms)): return .number(JSONNumber(validatedText: decimalSeconds(UInt128(ms), negative: false)))
        case .tagged(1, .negative(let n)): return .number(JSONNumber(validatedText: decimalSeconds(UInt128(n) + 1, negative: true)))
        case .tagged(1, .float(let s)): return s.isFinite ? .number(JSONNumber(s)) : nil
        case .tagged(1, _): return nil
        case .tagged(_, let content): return referenceJSON(content)
        case .bool(let b): return .bool(b)
        case .null, .undefined: return .null
        case .simple: return nil
        case .float(let d): return d.isFinite ? .number(JSONNumber(d)) : nil
        }
    }

    /// `milliseconds / 1000` as exact decimal text (three fraction digits when there is a fraction).
    static func decimalSeconds(_ milliseconds: UInt128, negative: Bool) -> String {
        var text = (negative ? "-" : "") + String(milliseconds / 1000)
        var fraction = String(milliseconds % 1000)
        if fraction != "0" {
            fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
            text += "." + fraction
        }
        return text
    }

    static func hexBytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var digits = hex.utf8.makeIterator()
        while let a = digits.next(), let b = digits.next() {
            out.append(UInt8(String(decoding: [a, b], as: UTF8.self), radix: 16) ?? 0)
        }
        return out
    }
}
