/// The compact JSON text of a document, straight from its text, when that text is exactly
/// what parsing it and serializing the value (``JSONParser`` then ``JSONSerializer``) writes.
///
/// PutEvents keeps an entry's `Detail` as text this way instead of building a tree for every
/// event. Anything this reader is not sure of (string escapes, nesting deeper than
/// ``maximumDepth``, anything malformed) answers `nil`, and the caller parses the text, which
/// gives the same value or the parser's own error.
package enum JSONCompactText {
    /// The deepest nesting read here; deeper documents are left to the parser.
    package static let maximumDepth = 64

    /// The compact text of `text` when it is one JSON object that serializes back to exactly
    /// its own characters minus insignificant whitespace; `nil` otherwise.
    package static func canonicalObject(_ text: String) -> String? {
        guard let count = compactCount(text) else { return nil }
        if count == text.utf8.count { return text }
        var copy = text
        return copy.withUTF8 { bytes in
            String(unsafeUninitializedCapacity: count) { out in
                guard let base = out.baseAddress else { return 0 }
                return write(bytes, to: base)
            }
        }
    }

    /// The UTF-8 byte count of ``canonicalObject(_:)`` of `text` (its bytes minus insignificant
    /// whitespace), or `nil` when that is `nil`. Reads the text once and builds nothing.
    package static func compactCount(_ text: String) -> Int? {
        var copy = text
        return copy.withUTF8 { bytes -> Int? in
            var reader = Reader(bytes: bytes)
            reader.skipWhitespace()
            guard reader.index < bytes.count, bytes[reader.index] == UInt8(ascii: "{") else { return nil }
            guard reader.value(depth: 0) else { return nil }
            reader.skipWhitespace()
            guard reader.index == bytes.count else { return nil }
            return bytes.count - reader.whitespace
        }
    }

    /// ``compactCount(_:)`` and the compact text in one reading: when `text` has a compact
    /// form, its bytes are written to the start of `out` (grown to hold at least the text) and
    /// their count returned; `nil` otherwise (then `out` holds nothing of use).
    package static func compact(_ text: String, into out: inout [UInt8]) -> Int? {
        var copy = text
        return copy.withUTF8 { bytes -> Int? in
            if out.count < bytes.count { out = [UInt8](repeating: 0, count: Swift.max(bytes.count, 256)) }
            return out.withUnsafeMutableBufferPointer { buffer -> Int? in
                guard let base = buffer.baseAddress else { return nil }
                var reader = Reader(bytes: bytes, out: base)
                reader.skipWhitespace()
                guard reader.index < bytes.count, bytes[reader.index] == UInt8(ascii: "{") else { return nil }
                guard reader.value(depth: 0) else { return nil }
                reader.skipWhitespace()
                guard reader.index == bytes.count else { return nil }
                reader.copySegment()
                return reader.written
            }
        }
    }

    /// Copies `bytes`, a document ``compactCount(_:)`` accepted, to `out` without its
    /// insignificant whitespace; returns the bytes written (the compact count).
    package static func write(_ bytes: UnsafeBufferPointer<UInt8>, to out: UnsafeMutablePointer<UInt8>) -> Int {
        // Byte by byte: the strings of typical details are shorter than a word, and a wider
        // copy measured slower here.
        var o = 0
        var inString = false
        for b in bytes {
            if inString {
                out[o] = b
                o += 1
                if b == UInt8(ascii: "\"") { inString = false }
            } else if !Reader.isWhitespace(b) {
                out[o] = b
                o += 1
                if b == UInt8(ascii: "\"") { inString = true }
            }
        }
        return o
    }

    /// A validating reader that builds nothing (strings without escapes only).
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        /// Insignificant whitespace bytes skipped so far.
        var whitespace = 0
        /// Where the bytes read are copied without their insignificant whitespace, if anywhere:
        /// each run between two whitespace runs is copied when the second one starts.
        let out: UnsafeMutablePointer<UInt8>?
        /// Bytes copied to `out` so far.
        var written = 0
        /// The start of the run of bytes not yet copied to `out`.
        var segmentStart = 0

        init(bytes: UnsafeBufferPointer<UInt8>, out: UnsafeMutablePointer<UInt8>? = nil) {
            self.bytes = bytes
            self.out = out
        }

        @inline(__always) static func isWhitespace(_ b: UInt8) -> Bool {
            b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09
        }

        mutating func skipWhitespace() {
            guard index < bytes.count, Self.isWhitespace(bytes[index]) else { return }
            copySegment()
            repeat {
                index += 1
                whitespace += 1
            } while index < bytes.count && Self.isWhitespace(bytes[index])
            segmentStart = index
        }

        /// Copies the bytes from `segmentStart` up to `index` to `out` (when there is one).
        mutating func copySegment() {
            guard let out, let base = bytes.baseAddress, index > segmentStart else { return }
            (out + written).update(from: base + segmentStart, count: index - segmentStart)
            written += index - segmentStart
            segmentStart = index
        }

        mutating func value(depth: Int) -> Bool {
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                guard depth < JSONCompactText.maximumDepth else { return false }
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return true }
                while true {
                    skipWhitespace()
                    guard string() else { return false }
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
                    index += 1
                    skipWhitespace()
                    guard value(depth: depth + 1) else { return false }
                    skipWhitespace()
                    guard index < bytes.count else { return false }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; return true }
                    return false
                }
            case UInt8(ascii: "["):
                guard depth < JSONCompactText.maximumDepth else { return false }
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return true }
                while true {
                    skipWhitespace()
                    guard value(depth: depth + 1) else { return false }
                    skipWhitespace()
                    guard index < bytes.count else { return false }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; return true }
                    return false
                }
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        /// A string without escapes or control characters (the serializer would rewrite those).
        mutating func string() -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return false }
            index += 1
            // Eight bytes at a time up to the first quote, backslash or control character
            // (the first flagged byte of each test is exact; the loop below decides it).
            if let base = bytes.baseAddress {
                let raw = UnsafeRawPointer(base)
                let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
                while index + 8 <= bytes.count {
                    let w = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    let q = w ^ (0x22 &* ones), s = w ^ (0x5C &* ones)
                    let hit = (((q &- ones) & ~q) | ((s &- ones) & ~s) | ((w &- 0x20 &* ones) & ~w)) & highs
                    if hit != 0 {
                        index += hit.trailingZeroBitCount / 8
                        break
                    }
                    index += 8
                }
            }
            while index < bytes.count {
                let b = bytes[index]
                index += 1
                if b == UInt8(ascii: "\"") { return true }
                if b == UInt8(ascii: "\\") || b < 0x20 { return false }
            }
            return false
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard bytes.count - index >= count else { return false }
            let w = word.utf8Start
            for k in 0..<count where bytes[index + k] != w[k] { return false }
            index += count
            return true
        }

        /// RFC 8259: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; its text is kept as written.
        mutating func number() -> Bool {
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { return false }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
                if index < bytes.count, isDigit(bytes[index]) { return false }
            } else {
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard index < bytes.count, isDigit(bytes[index]) else { return false }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard index < bytes.count, isDigit(bytes[index]) else { return false }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            return true
        }

        @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    }
}
