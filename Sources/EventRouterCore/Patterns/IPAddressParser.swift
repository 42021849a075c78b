/// Parses IPv4 (`a.b.c.d`, decimal parts 0–255) and IPv6 (hex groups with at most one `::`)
/// address literals into bytes, without allocating.
///
/// As in event-ruler, only text made of digits and dots (IPv4), or of hex digits and colons
/// with at least one colon (IPv6), is considered; IPv6 with an embedded dotted IPv4 part and
/// zone ids (`%eth0`) are not address literals here.
enum IPAddressParser {
    /// Writes the address bytes of `text` into `out` (at least 16 bytes) and returns 4 or 16,
    /// or `nil` when `text` is not an address literal.
    static func parse(_ text: String, into out: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        let r: Int?? = text.utf8.withContiguousStorageIfAvailable { parse(bytes: $0, into: out) }
        if let r { return r }
        return Array(text.utf8).withUnsafeBufferPointer { parse(bytes: $0, into: out) }
    }

    /// The address bytes of `text`, or `nil` when it is not an address literal.
    static func bytes(_ text: String) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: 16)
        let n = out.withUnsafeMutableBufferPointer { parse(text, into: $0) }
        guard let n else { return nil }
        return Array(out[0..<n])
    }

    static func parse(bytes t: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        guard !t.isEmpty, t.count <= 45 else { return nil }
        var hasColon = false, hasDot = false
        for b in t {
            if b == UInt8(ascii: ":") { hasColon = true } else if b == UInt8(ascii: ".") { hasDot = true }
        }
        if hasColon { return hasDot ? nil : parseV6(t, out) }
        return hasDot ? parseV4(t, out) : nil
    }

    private static func parseV4(_ t: UnsafeBufferPointer<UInt8>, _ out: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        var part = 0, value = 0, digits = 0
        for b in t {
            if b == UInt8(ascii: ".") {
                guard digits > 0, part < 3 else { return nil }
                out[part] = UInt8(value)
                part += 1
                value = 0
                digits = 0
            } else if b &- UInt8(ascii: "0") < 10 {
                value = value * 10 + Int(b &- UInt8(ascii: "0"))
                digits += 1
                if value > 255 { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, part == 3 else { return nil }
        out[3] = UInt8(value)
        return 4
    }

    private static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private static func parseV6(_ t: UnsafeBufferPointer<UInt8>, _ out: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        // Groups before and after "::" are collected, then the gap is zero-filled.
        var groups: (UInt64, UInt64) = (0, 0)
        return withUnsafeMutableBytes(of: &groups) { raw -> Int? in
            let g = raw.bindMemory(to: UInt16.self)
            var count = 0, gapAt = -1
            var i = 0
            let n = t.count
            if n >= 2, t[0] == UInt8(ascii: ":"), t[1] == UInt8(ascii: ":") {
                gapAt = 0
                i = 2
                if i == n { return finishV6(g, count: 0, gapAt: 0, out) }
            } else if t[0] == UInt8(ascii: ":") {
                return nil
            }
            while i < n {
                var value = 0, digits = 0
                while i < n, let h = hexValue(t[i]) {
                    value = value * 16 + h
                    digits += 1
                    i += 1
                    if digits > 4 { return nil }
                }
                guard digits > 0, count < 8 else { return nil }
                g[count] = UInt16(value)
                count += 1
                if i == n { break }
                guard t[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                if i < n, t[i] == UInt8(ascii: ":") {
                    guard gapAt < 0 else { return nil }
                    gapAt = count
                    i += 1
                    if i == n { break }
                } else if i == n {
                    return nil
                }
            }
            return finishV6(g, count: count, gapAt: gapAt, out)
        }
    }

    private static func finishV6(
        _ g: UnsafeMutableBufferPointer<UInt16>, count: Int, gapAt: Int, _ out: UnsafeMutableBufferPointer<UInt8>
    ) -> Int? {
        if gapAt < 0 {
            guard count == 8 else { return nil }
        } else {
            guard count < 8 else { return nil }
        }
        let zeros = 8 - count
        var k = 0
        for index in 0..<8 {
            let word: UInt16
            if gapAt >= 0, index >= gapAt, index < gapAt + zeros {
                word = 0
            } else {
                word = g[k]
                k += 1
            }
            out[2 * index] = UInt8(word >> 8)
            out[2 * index + 1] = UInt8(word & 0xFF)
        }
        return 16
    }
}
