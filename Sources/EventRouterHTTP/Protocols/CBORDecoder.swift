/// Decodes one CBOR data item (RFC 8949 §3) from bytes: definite and indefinite lengths, tags,
/// half/single/double floats, simple values. Strict: trailing bytes, truncated items,
/// reserved additional information, invalid UTF-8 text, a break outside an indefinite item and
/// nesting deeper than ``maximumDepth`` are errors, never crashes.
public struct CBORDecoder {
    /// The deepest nesting of arrays, maps and tags accepted.
    public static let maximumDepth = 64

    private let bytes: [UInt8]
    private var offset = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The single item that makes up `bytes`.
    /// - Throws: ``CBORError`` naming the problem and its offset.
    public static func decode(_ bytes: [UInt8]) throws(CBORError) -> CBORValue {
        var decoder = CBORDecoder(bytes)
        let value = try decoder.item(depth: 0)
        guard decoder.offset == bytes.count else {
            throw CBORError("\(bytes.count - decoder.offset) bytes follow the first data item; send exactly one item", offset: decoder.offset)
        }
        return value
    }

    private mutating func byte() throws(CBORError) -> UInt8 {
        guard offset < bytes.count else { throw CBORError("the input ends inside a data item (truncated)", offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    private mutating func take(_ count: UInt64) throws(CBORError) -> ArraySlice<UInt8> {
        guard count <= UInt64(bytes.count - offset) else {
            throw CBORError("a string claims \(count) bytes but only \(bytes.count - offset) remain (truncated)", offset: offset)
        }
        let n = Int(count)
        defer { offset += n }
        return bytes[offset..<offset + n]
    }

    /// The argument of a head with additional information `info` (RFC 8949 §3).
    private mutating func argument(_ info: UInt8) throws(CBORError) -> UInt64 {
        switch info {
        case 0..<24: return UInt64(info)
        case 24...27:
            let count = 1 << Int(info - 24)
            var value: UInt64 = 0
            for _ in 0..<count { value = value << 8 | UInt64(try byte()) }
            return value
        default:
            throw CBORError("additional information \(info) is reserved or not allowed here", offset: offset - 1)
        }
    }

    private mutating func item(depth: Int) throws(CBORError) -> CBORValue {
        guard depth <= Self.maximumDepth else {
            throw CBORError("items are nested more than \(Self.maximumDepth) deep", offset: offset)
        }
        let start = offset
        let initial = try byte()
        let major = initial >> 5, info = initial & 0x1f
        switch major {
        case 0: return .unsigned(try argument(info))
        case 1: return .negative(try argument(info))
        case 2, 3:
            var content: [UInt8] = []
            if info == 31 {
                while true {
                    let chunkStart = offset
                    let head = try byte()
                    if head == 0xff { break }
                    guard head >> 5 == major, head & 0x1f != 31 else {
                        throw CBORError("a chunk of an indefinite-length string must be a definite string of the same type", offset: chunkStart)
                    }
                    content += try take(try argument(head & 0x1f))
                }
            } else {
                content = Array(try take(try argument(info)))
            }
            if major == 2 { return .bytes(content) }
            guard let text = String(validating: content, as: UTF8.self) else {
                throw CBORError("a text string is not valid UTF-8", offset: start)
            }
            return .text(text)
        case 4:
            var items: [CBORValue] = []
            if info == 31 {
                while try peekBreak() == false { items.append(try item(depth: depth + 1)) }
            } else {
                let count = try argument(info)
                guard count <= UInt64(bytes.count - offset) else { throw CBORError("an array claims \(count) items but the input is shorter", offset: start) }
                for _ in 0..<count { items.append(try item(depth: depth + 1)) }
            }
            return .array(items)
        case 5:
            var pairs: [CBORValue.Pair] = []
            if info == 31 {
                while try peekBreak() == false { pairs.append(CBORValue.Pair(try item(depth: depth + 1), try item(depth: depth + 1))) }
            } else {
                let count = try argument(info)
                guard count <= UInt64(bytes.count - offset) else { throw CBORError("a map claims \(count) pairs but the input is shorter", offset: start) }
                for _ in 0..<count { pairs.append(CBORValue.Pair(try item(depth: depth + 1), try item(depth: depth + 1))) }
            }
            return .map(pairs)
        case 6:
            let tag = try argument(info)
            return .tagged(tag, try item(depth: depth + 1))
        default:
            return try simpleOrFloat(info, start: start)
        }
    }

    /// Consumes a break (0xff) if one is next.
    private mutating func peekBreak() throws(CBORError) -> Bool {
        guard offset < bytes.count else { throw CBORError("an indefinite-length item has no break (0xff)", offset: offset) }
        if bytes[offset] == 0xff {
            offset += 1
            return true
        }
        return false
    }

    private mutating func simpleOrFloat(_ info: UInt8, start: Int) throws(CBORError) -> CBORValue {
        switch info {
        case 20: return .bool(false)
        case 21: return .bool(true)
        case 22: return .null
        case 23: return .undefined
        case 24:
            let value = try byte()
            guard value >= 32 else { throw CBORError("simple value \(value) must use the one-byte form", offset: start) }
            return .simple(value)
        case 25: return .float(Self.half(UInt16(try argument(info))))
        case 26: return .float(Double(Float(bitPattern: UInt32(try argument(info)))))
        case 27: return .float(Double(bitPattern: try argument(info)))
        case 31: throw CBORError("a break (0xff) outside an indefinite-length item", offset: start)
        case 28...30: throw CBORError("additional information \(info) is reserved", offset: start)
        default: return .simple(info)
        }
    }

    /// IEEE 754 half precision to `Double` (RFC 8949 Appendix D).
    static func half(_ bits: UInt16) -> Double {
        let exponent = Int(bits >> 10 & 0x1f), mantissa = Double(bits & 0x3ff)
        let magnitude: Double
        switch exponent {
        case 0: magnitude = mantissa * 0x1p-24
        case 31: magnitude = mantissa == 0 ? .infinity : .nan
        default: magnitude = (mantissa + 1024) * Double(sign: .plus, exponent: exponent - 25, significand: 1)
        }
        return bits & 0x8000 != 0 ? -magnitude : magnitude
    }
}
