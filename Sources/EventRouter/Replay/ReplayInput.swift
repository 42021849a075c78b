/// The events of a replay file. Three shapes, told apart by the first byte that is not white
/// space (after an optional UTF-8 byte-order mark):
///
/// - `[`: a JSON array of PutEvents entries (or envelopes), as `aws events put-events --entries file://…` takes;
/// - `{` and the whole file is one JSON object: a single entry (or envelope), pretty-printed or not;
/// - anything else: NDJSON, one event per line, LF or CRLF (read by ``TextLines``).
///
/// NDJSON lines are parsed one at a time when asked for (``value(at:)``), so a large file is not
/// held as a tree; a line that is not JSON (or not UTF-8) fails alone.
public struct ReplayInput: Sendable {
    /// How the file is laid out.
    public enum Shape: String, Sendable {
        case lines = "NDJSON"
        case array = "JSON array"
        case single = "single JSON object"
    }

    public let shape: Shape
    private let bytes: [UInt8]
    private let items: [(line: Int, content: Content)]

    private enum Content {
        case range(Range<Int>)
        case value(JSONValue)
    }

    /// Reads `bytes`.
    /// - Throws: ``EventRouterError`` (`InvalidInput`) when a file that starts with `[` is not a
    ///   valid JSON array, naming the line and byte.
    public init(bytes: [UInt8]) throws(EventRouterError) {
        self.bytes = bytes
        let byteOrderMark = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        var start = byteOrderMark ? 3 : 0
        while start < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
        let firstLine = TextLines.position(of: start, in: bytes).line
        let document = bytes.withUnsafeBufferPointer { b in
            Result { () throws(JSONParseError) -> JSONValue in
                try JSONParser.parse(bytes: UnsafeBufferPointer(rebasing: b[start...]))
            }
        }
        switch (start < bytes.count ? bytes[start] : 0, document) {
        case (UInt8(ascii: "["), .success(.array(let elements))):
            shape = .array
            let lines = Self.elementLines(bytes, from: start)
            items = elements.enumerated().map { (i, element) in (i < lines.count ? lines[i] : firstLine, .value(element)) }
        case (UInt8(ascii: "["), .failure(let error)) where !Self.firstLineIsJSON(bytes, start):
            let (line, byte) = TextLines.position(of: start + error.offset, in: bytes)
            throw EventRouterError(.invalidInput, "the events file starts with '[' but is not a JSON array of events: line \(line), byte \(byte): \(error.reason)")
        case (UInt8(ascii: "{"), .success(let value)):
            shape = .single
            items = [(firstLine, .value(value))]
        default:
            shape = .lines
            items = TextLines.ranges(in: bytes).compactMap { line in
                guard byteOrderMark, line.range.lowerBound == 0 else { return (line.line, .range(line.range)) }
                // The byte-order mark is not part of the first line's event.
                let rest = 3..<line.range.upperBound
                return bytes.withUnsafeBufferPointer { TextLines.isBlank($0, rest) } ? nil : (line.line, .range(rest))
            }
        }
    }

    /// The number of events (non-blank lines, array elements, or 1).
    public var count: Int { items.count }

    /// The 1-based line where event `index` starts.
    public func line(at index: Int) -> Int { items[index].line }

    /// Event `index` as JSON, or why it cannot be read.
    public func value(at index: Int) -> Result<JSONValue, JSONParseError> {
        switch items[index].content {
        case .value(let v): return .success(v)
        case .range(let range):
            let result = bytes.withUnsafeBufferPointer { b in
                Result { () throws(JSONParseError) -> JSONValue in
                    try JSONParser.parse(bytes: UnsafeBufferPointer(rebasing: b[range]))
                }
            }
            // Name the very byte that is not UTF-8 (the parser names the string holding it).
            if case .failure = result, let bad = TextLines.firstInvalidUTF8(in: Array(bytes[range])) {
                return .failure(JSONParseError(offset: bad, reason: "byte 0x\(Hex.encode([bytes[range.lowerBound + bad]], uppercase: true)) is not valid UTF-8"))
            }
            return result
        }
    }

    /// What one item is called in messages ("line" or "array element").
    public var itemName: String { shape == .lines ? "line" : "array element" }

    /// Whether the line holding `start` is a JSON value on its own (an NDJSON file whose first event is an array).
    private static func firstLineIsJSON(_ bytes: [UInt8], _ start: Int) -> Bool {
        let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
        guard end < bytes.count else { return false }
        return (try? JSONParser.parse(bytes: bytes[start..<end])) != nil
    }

    /// The line on which each element of the (valid) JSON array at `start` begins.
    private static func elementLines(_ b: [UInt8], from start: Int) -> [Int] {
        var lines: [Int] = []
        var line = TextLines.position(of: start, in: b).line
        var depth = 0
        var inString = false
        var escaped = false
        var expectValue = false
        for i in start..<b.count {
            let c = b[i]
            if c == 0x0A { line += 1 }
            if inString {
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
                continue
            }
            if expectValue, depth == 1, ![0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "]")].contains(c) {
                lines.append(line)
                expectValue = false
            }
            switch c {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth == 1 { expectValue = true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 { return lines }
            case UInt8(ascii: ","):
                if depth == 1 { expectValue = true }
            default: break
            }
        }
        return lines
    }
}
