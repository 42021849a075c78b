/// Hexadecimal text of bytes: digests, UUIDs and shard-iterator tokens all spell bytes through
/// this one encoder.
public enum Hex {
    private static let lower = Array("0123456789abcdef".utf8)
    private static let upper = Array("0123456789ABCDEF".utf8)

    /// Two hex digits a byte, lowercase unless `uppercase`.
    public static func encode(_ bytes: some Sequence<UInt8>, uppercase: Bool = false) -> String {
        let digits = uppercase ? upper : lower
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of `text` (digits in either case); `nil` when its length is odd or it holds a
    /// character that is not a hex digit.
    public static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x41...0x46: return c - 0x41 + 10
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        var i = text.startIndex
        while i != text.endIndex {
            let j = text.index(after: i)
            guard let hi = nibble(text[i]), let lo = nibble(text[j]) else { return nil }
            bytes.append(hi << 4 | lo)
            i = text.index(after: j)
        }
        return bytes
    }

    /// The first 16 of `bytes` as lowercase UUID text, 8-4-4-4-12 digits.
    package static func uuid(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, byte) in bytes.prefix(16).enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(lower[Int(byte >> 4)])
            out.append(lower[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The version-4 UUID text of two random words (bytes little-endian: `a` then `b`), written
    /// straight into the string: the same text as ``uuid(_:)`` of those 16 bytes with the
    /// version and variant bits set.
    package static func uuid(_ a: UInt64, _ b: UInt64) -> String {
        String(unsafeUninitializedCapacity: 36) { out in
            let digits: StaticString = "0123456789abcdef"
            let hex = digits.utf8Start
            var o = 0
            for i in 0..<16 {
                var byte = UInt8(truncatingIfNeeded: (i < 8 ? a : b) >> (8 * UInt64(i & 7)))
                if i == 6 { byte = (byte & 0x0F) | 0x40 }
                if i == 8 { byte = (byte & 0x3F) | 0x80 }
                if i == 4 || i == 6 || i == 8 || i == 10 {
                    out[o] = UInt8(ascii: "-")
                    o += 1
                }
                out[o] = hex[Int(byte >> 4)]
                out[o + 1] = hex[Int(byte & 0x0F)]
                o += 2
            }
            return o
        }
    }
}
