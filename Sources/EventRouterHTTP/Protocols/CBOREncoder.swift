/// Encodes a ``CBORValue`` with RFC 8949's preferred serialization: the shortest head for each
/// argument, definite lengths, and each float in the shortest of half, single or double
/// precision that keeps its value.
public enum CBOREncoder {
    /// The bytes of `value`.
    public static func encode(_ value: CBORValue) -> [UInt8] {
        var out: [UInt8] = []
        append(value, to: &out)
        return out
    }

    /// Appends `value` to `out`.
    public static func append(_ value: CBORValue, to out: inout [UInt8]) {
        switch value {
        case .unsigned(let n): head(0, n, &out)
        case .negative(let n): head(1, n, &out)
        case .bytes(let b):
            head(2, UInt64(b.count), &out)
            out += b
        case .text(let s):
            head(3, UInt64(s.utf8.count), &out)
            out += s.utf8
        case .array(let items):
            head(4, UInt64(items.count), &out)
            for item in items { append(item, to: &out) }
        case .map(let pairs):
            head(5, UInt64(pairs.count), &out)
            for pair in pairs {
                append(pair.key, to: &out)
                append(pair.value, to: &out)
            }
        case .tagged(let tag, let content):
            head(6, tag, &out)
            append(content, to: &out)
        case .bool(let b): out.append(b ? 0xf5 : 0xf4)
        case .null: out.append(0xf6)
        case .undefined: out.append(0xf7)
        case .simple(let v):
            if v < 24 { out.append(0xe0 | v) } else { out += [0xf8, v] }
        case .float(let d): float(d, &out)
        }
    }

    private static func head(_ major: UInt8, _ argument: UInt64, _ out: inout [UInt8]) {
        let m = major << 5
        switch argument {
        case 0..<24: out.append(m | UInt8(argument))
        case 24...0xff: out += [m | 24, UInt8(argument)]
        case 0x100...0xffff: out.append(m | 25); bigEndian(argument, 2, &out)
        case 0x1_0000...0xffff_ffff: out.append(m | 26); bigEndian(argument, 4, &out)
        default: out.append(m | 27); bigEndian(argument, 8, &out)
        }
    }

    private static func bigEndian(_ value: UInt64, _ count: Int, _ out: inout [UInt8]) {
        for i in stride(from: count - 1, through: 0, by: -1) { out.append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
    }

    private static func float(_ d: Double, _ out: inout [UInt8]) {
        if d.isNaN {
            out += [0xf9, 0x7e, 0x00]
            return
        }
        if let h = halfBits(d) {
            out.append(0xf9)
            bigEndian(UInt64(h), 2, &out)
        } else if Double(Float(d)) == d {
            out.append(0xfa)
            bigEndian(UInt64(Float(d).bitPattern), 4, &out)
        } else {
            out.append(0xfb)
            bigEndian(d.bitPattern, 8, &out)
        }
    }

    /// The half-precision bits of `d` when half precision holds it exactly.
    static func halfBits(_ d: Double) -> UInt16? {
        let sign: UInt16 = d.sign == .minus ? 0x8000 : 0
        let m = abs(d)
        if m == 0 { return sign }
        if m.isInfinite { return sign | 0x7c00 }
        // Subnormal halves: multiples of 2^-24 below 2^-14.
        if m < 0x1p-14 {
            let scaled = m * 0x1p24
            guard scaled == scaled.rounded(), scaled < 1024 else { return nil }
            return sign | UInt16(scaled)
        }
        let exponent = m.exponent
        guard exponent <= 15 else { return nil }
        let mantissa = (m.significand - 1) * 1024
        guard mantissa == mantissa.rounded() else { return nil }
        return sign | UInt16(exponent + 15) << 10 | UInt16(mantissa)
    }
}
