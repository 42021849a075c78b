extension EventScanner {
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    #if arch(x86_64) && !os(Windows)
    /// 10^0 … 10^27, all exact in `Float80` (5^27 < 2^64).
    private static let float80PowersOfTen: [Float80] = {
        var table: [Float80] = []
        var x: Float80 = 1
        for _ in 0...27 {
            table.append(x)
            x *= 10
        }
        return table
    }()
    #endif

    /// The value of validated JSON number text, identical to `JSONNumber.double`
    /// (`Double(text)`, correctly rounded).
    ///
    /// Fast path (Clinger): a mantissa below 2^53 scaled by at most 10^22 is one exact
    /// operation on exact operands, hence correctly rounded; on x86-64 longer mantissas go
    /// through `Float80`; anything else uses `Double(_:)`.
    package static func parseDouble(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double {
        var i = 0
        var negative = false
        if p[0] == 0x2D {
            negative = true
            i = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        while i < n, p[i] &- 0x30 < 10 {
            if digits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(p[i] &- 0x30)
                if mantissa != 0 { digits += 1 }
            } else {
                return slow(p, n)
            }
            i += 1
        }
        if i < n, p[i] == 0x2E {
            i += 1
            while i < n, p[i] &- 0x30 < 10 {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(p[i] &- 0x30)
                    if mantissa != 0 { digits += 1 }
                    scale -= 1
                } else {
                    return slow(p, n)
                }
                i += 1
            }
        }
        if i < n { return slow(p, n) }  // exponent: rare in events
        if mantissa > (1 << 53) || scale < -22 {
            #if arch(x86_64) && !os(Windows)
            // Up to 19 digits: one extended-precision division (exact operands, 64-bit
            // rounding), then rounding to Double. The double rounding can only go wrong when
            // the extended result sits exactly on a midpoint between two doubles; those few
            // take the slow path.
            if scale >= -27 {
                let q = Float80(mantissa) / float80PowersOfTen[-scale]
                if q.significandBitPattern & 0x7FF != 0x400 {
                    let v = Double(q)
                    return negative ? -v : v
                }
            }
            #endif
            return slow(p, n)
        }
        var v = Double(mantissa)
        if scale < 0 { v /= powersOfTen[-scale] }
        return negative ? -v : v
    }

    private static func slow(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double {
        Double(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)) ?? .nan
    }
}
