/// The one line reader behind every line-oriented input (replay files, `stream put --records`,
/// `match --events`, `test-event-pattern --batch`): lines are split on the byte LF, and a CR
/// right before it is dropped, so LF and CRLF files read the same. Works on bytes, never on
/// `Character`s (Swift reads "\r\n" as one `Character`, which a split on "\n" never finds).
public enum TextLines {
    /// The lines of `bytes`: 1-based line number and byte range without the line break. The last
    /// line counts without a final LF. With `skippingBlank`, lines of only spaces and tabs are left out.
    public static func ranges(in bytes: [UInt8], skippingBlank: Bool = true) -> [(line: Int, range: Range<Int>)] {
        bytes.withUnsafeBufferPointer { ranges(in: $0, skippingBlank: skippingBlank) }
    }

    /// ``ranges(in:skippingBlank:)`` over a buffer.
    public static func ranges(in b: UnsafeBufferPointer<UInt8>, skippingBlank: Bool = true) -> [(line: Int, range: Range<Int>)] {
        var result: [(line: Int, range: Range<Int>)] = []
        var start = 0
        var line = 1
        func add(_ end: Int) {
            let range = content(b, start, end)
            if !skippingBlank || !isBlank(b, range) { result.append((line, range)) }
        }
        for i in 0..<b.count where b[i] == 0x0A {
            add(i)
            start = i + 1
            line += 1
        }
        if start < b.count { add(b.count) }
        return result
    }

    /// Whether `range` of `b` holds only spaces and tabs.
    public static func isBlank(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        for i in range where !(b[i] == 0x20 || b[i] == 0x09) { return false }
        return true
    }

    /// The 1-based line and 1-based byte within that line of `offset` in `bytes`.
    public static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, byte: Int) {
        var line = 1
        var lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return (line, offset - lineStart + 1)
    }

    /// The offset of the first byte of `bytes` that is not well-formed UTF-8, or `nil` when all
    /// of it is (no overlong forms, no surrogates, nothing above U+10FFFF).
    public static func firstInvalidUTF8(in bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF  // the allowed range of the second byte
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return i
            }
            guard i + 1 < n, (low...high).contains(bytes[i + 1]) else { return i }
            for k in 2..<length {
                guard i + k < n, (0x80...0xBF).contains(bytes[i + k]) else { return i }
            }
            i += length
        }
        return nil
    }

    static func content(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Range<Int> {
        end > start && b[end - 1] == 0x0D ? start..<(end - 1) : start..<end
    }
}

/// Splits a byte stream that arrives in chunks (standard input) into lines, as ``TextLines``
/// does: LF ends a line, a CR before it is dropped, a last line without LF counts.
public struct LineAccumulator: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    /// Adds `chunk` and calls `line` with every line it completes, without the line break.
    public mutating func append(_ chunk: some Collection<UInt8>, line: (ArraySlice<UInt8>) -> Void) {
        pending.append(contentsOf: chunk)
        var start = pending.startIndex
        while let newline = pending[start...].firstIndex(of: 0x0A) {
            line(Self.dropCR(pending[start..<newline]))
            start = newline + 1
        }
        pending.removeSubrange(pending.startIndex..<start)
    }

    /// Calls `line` with what is left after the last LF, if anything.
    public mutating func finish(line: (ArraySlice<UInt8>) -> Void) {
        if !pending.isEmpty { line(Self.dropCR(pending[...])) }
        pending.removeAll()
    }

    private static func dropCR(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> { s.last == 0x0D ? s.dropLast() : s }
}
