import EventRouter

/// Converts between CBOR bodies (`application/x-amz-cbor-1.1`, the AWS Java SDKs' Kinesis
/// encoding) and the JSON values services work with, so one service implementation answers
/// both protocols.
///
/// Requests: byte strings become base64 strings (as a JSON blob arrives) and tag 1 timestamps
/// become epoch-second numbers. The Java SDKs write tag 1 around **epoch milliseconds** (not
/// RFC 8949's seconds), so an integer under tag 1 is read as milliseconds and a float as seconds.
/// Replies: members named in `blobs` become byte strings and members named in `timestamps`
/// become tag 1 with integer epoch milliseconds, as AWS answers the Java SDKs.
public enum CBORJSON {
    /// The JSON value of a decoded CBOR item.
    /// - Throws: ``CBORError`` for map keys that are not text, non-finite floats, or a tag 1 around
    ///   something other than a number.
    public static func json(_ value: CBORValue) throws(CBORError) -> JSONValue {
        switch value {
        case .unsigned(let n): return .number(JSONNumber(validatedText: String(n)))
        case .negative(let n): return .number(JSONNumber(validatedText: n == .max ? "-18446744073709551616" : "-\(n + 1)"))
        case .bytes(let b): return .string(Base64.encode(b))
        case .text(let s): return .string(s)
        case .array(let items):
            var out: [JSONValue] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try json(item)) }
            return .array(out)
        case .map(let pairs):
            var members: [JSONObject.Member] = []
            members.reserveCapacity(pairs.count)
            for pair in pairs {
                guard case .text(let key) = pair.key else {
                    throw CBORError("a map key is \(kind(pair.key)); member names must be text strings", offset: -1)
                }
                members.append(JSONObject.Member(key: key, value: try json(pair.value)))
            }
            return .object(JSONObject(members))
        case .tagged(1, let content):
            switch content {
            case .unsigned(let ms): return .number(JSONNumber(validatedText: seconds(milliseconds: UInt128(ms), negative: false)))
            // −1 − n milliseconds: n + 1 reaches 2^64, so it is computed in 128 bits.
            case .negative(let n): return .number(JSONNumber(validatedText: seconds(milliseconds: UInt128(n) + 1, negative: true)))
            case .float(let s) where s.isFinite: return .number(JSONNumber(s))
            default: throw CBORError("tag 1 (epoch time) must enclose a number, got \(kind(content))", offset: -1)
            }
        case .tagged(_, let content): return try json(content)
        case .bool(let b): return .bool(b)
        case .null, .undefined: return .null
        case .simple(let v): throw CBORError("simple value \(v) has no meaning in an AWS request", offset: -1)
        case .float(let d):
            guard d.isFinite else { throw CBORError("a float is \(d); AWS members must be finite numbers", offset: -1) }
            return .number(JSONNumber(d))
        }
    }

    /// `ms / 1000` as exact decimal text.
    private static func seconds(milliseconds ms: UInt128, negative: Bool) -> String {
        let fraction = ms % 1000
        var text = (negative ? "-" : "") + String(ms / 1000)
        if fraction != 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: 3 - digits.count) + digits
        }
        return text
    }

    /// The CBOR form of a reply payload.
    /// - Parameters:
    ///   - blobs: member names whose string values are base64 blobs, sent as byte strings.
    ///   - timestamps: member names whose numbers are epoch seconds, sent as tag 1 milliseconds.
    public static func cbor(_ value: JSONValue, blobs: Set<String> = [], timestamps: Set<String> = []) -> CBORValue {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .string(let s): return .text(s)
        case .number(let n): return number(n)
        case .array(let items): return .array(items.map { cbor($0, blobs: blobs, timestamps: timestamps) })
        case .object(let o):
            return .map(o.members.map { m in
                if blobs.contains(m.key), case .string(let s) = m.value, let bytes = Base64.decode(s) {
                    return CBORValue.Pair(.text(m.key), .bytes(bytes))
                }
                if timestamps.contains(m.key), let seconds = m.value.doubleValue, let millis = Int64(exactly: (seconds * 1000).rounded()) {
                    return CBORValue.Pair(.text(m.key), .tagged(1, .integer(millis)))
                }
                return CBORValue.Pair(.text(m.key), cbor(m.value, blobs: blobs, timestamps: timestamps))
            })
        }
    }

    private static func number(_ n: JSONNumber) -> CBORValue {
        if let i = Int64(n.text) { return .integer(i) }
        if let u = UInt64(n.text) { return .unsigned(u) }
        return .float(n.double)
    }

    private static func kind(_ value: CBORValue) -> String {
        switch value {
        case .unsigned, .negative: "an integer"
        case .bytes: "a byte string"
        case .text: "a text string"
        case .array: "an array"
        case .map: "a map"
        case .tagged(let t, _): "tag \(t)"
        case .bool: "a boolean"
        case .null, .undefined: "null"
        case .simple: "a simple value"
        case .float: "a float"
        }
    }
}

extension JSONInput {
    /// Parses a CBOR body (empty counts as `{}`) into the members a JSON body would have.
    /// - Throws: ``AWSError`` `SerializationException` saying what is wrong and where.
    public init(cbor body: [UInt8]) throws(AWSError) {
        guard !body.isEmpty else {
            self.init(object: JSONObject())
            return
        }
        let value: JSONValue
        do {
            value = try CBORJSON.json(try CBORDecoder.decode(body))
        } catch {
            throw .serialization("the request body is not valid CBOR (\(error)); send one CBOR map (application/x-amz-cbor-1.1)")
        }
        guard case .object(let object) = value else {
            throw .serialization("the request body must be a CBOR map, not \(value.kindName)")
        }
        self.init(object: object)
    }
}
