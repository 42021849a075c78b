/// A strict RFC 8259 JSON reader working on UTF-8 bytes.
///
/// Every malformed input gives a ``JSONParseError`` with the byte offset and what was expected;
/// nesting deeper than ``Options/maximumDepth`` is an error, never a stack overflow.
public struct JSONParser {
    /// How strict the parser is beyond RFC 8259.
    public struct Options: Sendable {
        /// Deepest nesting of arrays and objects accepted (EventBridge allows 1100 levels).
        public var maximumDepth: Int = 1100
        /// Reject an object that has the same key twice (event patterns must not).
        public var rejectDuplicateKeys: Bool = false
        public init(maximumDepth: Int = 1100, rejectDuplicateKeys: Bool = false) {
            self.maximumDepth = maximumDepth
            self.rejectDuplicateKeys = rejectDuplicateKeys
        }
    }

    /// Parses one JSON document from `text`.
    public static func parse(_ text: String, options: Options = Options()) throws(JSONParseError) -> JSONValue {
        var copy = text
        let result: Result<JSONValue, JSONParseError> = copy.withUTF8 { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(bytes: buffer, options: options) }
        }
        return try result.get()
    }

    /// Parses one JSON document from UTF-8 `bytes`.
    public static func parse(bytes: some Collection<UInt8>, options: Options = Options()) throws(JSONParseError) -> JSONValue {
        let array = Array(bytes)
        let result: Result<JSONValue, JSONParseError> = array.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(bytes: buffer, options: options) }
        }
        return try result.get()
    }

    /// Parses one JSON document from a buffer of UTF-8 bytes.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>, options: Options = Options()) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, options: options)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.index < bytes.count {
            throw parser.error("expected end of input after the JSON value, found \(parser.describeCurrent())")
        }
        return value
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let options: Options
    private var index = 0

    private init(bytes: UnsafeBufferPointer<UInt8>, options: Options) {
        self.bytes = bytes
        self.options = options
    }

    private func error(_ reason: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(offset: offset ?? index, reason: reason)
    }

    private func describeCurrent() -> String {
        guard index < bytes.count else { return "end of input" }
        let b = bytes[index]
        if b >= 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x\(String(b, radix: 16, uppercase: true))"
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw error("expected a JSON value, found end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("expected a JSON value, found \(describeCurrent())")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = index
        let count = literal.utf8CodeUnitCount
        let ok: Bool = literal.withUTF8Buffer { lit in
            guard start + count <= bytes.count else { return false }
            for i in 0..<count where bytes[start + i] != lit[i] { return false }
            return true
        }
        guard ok else { throw error("expected '\(literal)'", at: start) }
        index += count
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > options.maximumDepth {
            throw error("nesting deeper than \(options.maximumDepth) levels")
        }
        index += 1  // {
        var members: [JSONObject.Member] = []
        var seen: Set<String>? = options.rejectDuplicateKeys ? [] : nil
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(JSONObject(members))
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("expected a string key in the object, found \(describeCurrent())")
            }
            let keyOffset = index
            let key = try parseString()
            if seen != nil, !seen!.insert(key).inserted {
                throw error("duplicate key \"\(key)\" in object", at: keyOffset)
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error("expected ':' after object key \"\(key)\", found \(describeCurrent())")
            }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            members.append(JSONObject.Member(key: key, value: value))
            skipWhitespace()
            guard index < bytes.count else { throw error("expected ',' or '}' after an object member, found end of input") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(JSONObject(members))
            }
            throw error("expected ',' or '}' after an object member, found \(describeCurrent())")
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > options.maximumDepth {
            throw error("nesting deeper than \(options.maximumDepth) levels")
        }
        index += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw error("expected ',' or ']' after an array element, found end of input") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            throw error("expected ',' or ']' after an array element, found \(describeCurrent())")
        }
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else {
            throw error("expected a digit in the number, found \(describeCurrent())")
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) {
                throw error("a number must not have a leading zero")
            }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw error("expected a digit after the decimal point, found \(describeCurrent())")
            }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw error("expected a digit in the exponent, found \(describeCurrent())")
            }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        return JSONNumber(validatedText: text)
    }

    @inline(__always) private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private mutating func parseString() throws(JSONParseError) -> String {
        let quote = index
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                return try makeString(slice, at: start)
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("control character 0x\(String(b, radix: 16)) must be escaped inside a string") }
            index += 1
        }
        guard index < bytes.count else { throw error("unterminated string", at: quote) }
        var scratch = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                return try scratch.withUnsafeBufferPointer { buf throws(JSONParseError) in try makeString(buf, at: start) }
            }
            if b < 0x20 { throw error("control character 0x\(String(b, radix: 16)) must be escaped inside a string") }
            if b != UInt8(ascii: "\\") {
                scratch.append(b)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { break }
            let e = bytes[index]
            index += 1
            switch e {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw error("high surrogate \\u\(String(scalar, radix: 16)) is not followed by a low surrogate")
                    }
                    index += 2
                    let low = try parseHex4()
                    guard low >= 0xDC00 && low < 0xE000 else {
                        throw error("high surrogate is followed by \\u\(String(low, radix: 16)), not a low surrogate")
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw error("lone low surrogate \\u\(String(scalar, radix: 16))")
                }
                guard let u = Unicode.Scalar(scalar) else { throw error("invalid unicode escape") }
                scratch.append(contentsOf: UTF8.encode(u)!)
            default:
                throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))' in string", at: index - 2)
            }
        }
        throw error("unterminated string", at: quote)
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("expected 4 hex digits after \\u") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: throw error("expected a hex digit in \\u escape, found \(describeCurrent())")
            }
            v = v << 4 | d
            index += 1
        }
        return v
    }

    private func makeString(_ slice: UnsafeBufferPointer<UInt8>, at offset: Int) throws(JSONParseError) -> String {
        // ASCII fast path needs no validation.
        var ascii = true
        for b in slice where b >= 0x80 {
            ascii = false
            break
        }
        if ascii { return String(decoding: slice, as: UTF8.self) }
        guard let s = String(validating: slice, as: UTF8.self) else {
            throw error("string is not valid UTF-8", at: offset)
        }
        return s
    }
}
