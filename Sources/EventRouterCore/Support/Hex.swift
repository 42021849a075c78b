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
    /// version and variant bits set. Eight bytes become sixteen digits at once (``hexDigits(_:)``).
    package static func uuid(_ a: UInt64, _ b: UInt64) -> String {
        let a = (a & ~(0xF0 << 48)) | (0x40 << 48)  // byte 6: version 4
        let b = (b & ~0xC0) | 0x80  // byte 8: variant 10
        let a0 = hexDigits(UInt32(truncatingIfNeeded: a)), a1 = hexDigits(UInt32(truncatingIfNeeded: a >> 32))
        let b0 = hexDigits(UInt32(truncatingIfNeeded: b)), b1 = hexDigits(UInt32(truncatingIfNeeded: b >> 32))
        let dash = UInt8(ascii: "-")
        return String(unsafeUninitializedCapacity: 36) { out in
            guard out.count >= 36, let base = out.baseAddress else { return 0 }
            let raw = UnsafeMutableRawPointer(base)
            // 8-4-4-4-12: bytes 0-3, 4-5, 6-7, 8-9, 10-15.
            raw.storeBytes(of: a0.littleEndian, toByteOffset: 0, as: UInt64.self)
            base[8] = dash
            raw.storeBytes(of: UInt32(truncatingIfNeeded: a1).littleEndian, toByteOffset: 9, as: UInt32.self)
            base[13] = dash
            raw.storeBytes(of: UInt32(truncatingIfNeeded: a1 >> 32).littleEndian, toByteOffset: 14, as: UInt32.self)
            base[18] = dash
            raw.storeBytes(of: UInt32(truncatingIfNeeded: b0).littleEndian, toByteOffset: 19, as: UInt32.self)
            base[23] = dash
            raw.storeBytes(of: UInt32(truncatingIfNeeded: b0 >> 32).littleEndian, toByteOffset: 24, as: UInt32.self)
            raw.storeBytes(of: b1.littleEndian, toByteOffset: 28, as: UInt64.self)
            return 36
        }
    }

    /// The eight lowercase hex digits of the four bytes of `word` (little-endian: the low byte
    /// first, each byte's high digit first), as the bytes of a `UInt64` from its low byte up.
    @inline(__always)
    static func hexDigits(_ word: UInt32) -> UInt64 {
        // Byte k of `word` goes to byte 2k, then its high nibble stays at 2k, its low nibble to 2k+1.
        var x = UInt64(word)
        x = (x | x << 16) & 0x0000_FFFF_0000_FFFF
        x = (x | x << 8) & 0x00FF_00FF_00FF_00FF
        let nibbles = ((x >> 4) & 0x000F_000F_000F_000F) | ((x & 0x000F_000F_000F_000F) << 8)
        // A nibble of 10 or more gets 'a' - '0' - 10 = 39 more than '0' + nibble.
        let letters = ((nibbles &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101
        return nibbles &+ 0x3030_3030_3030_3030 &+ letters &* 39
    }
}
