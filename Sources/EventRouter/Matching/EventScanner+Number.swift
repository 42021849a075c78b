extension EventScanner {
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The value of validated JSON number text, identical to `JSONNumber.double`
    /// (`Double(text)`, correctly rounded).
    ///
    /// Fast path (Clinger): a mantissa below 2^53 scaled by at most 10^22 is one exact
    /// operation on exact operands, hence correctly rounded; anything else uses `Double(_:)`.
    static func parseDouble(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double {
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
        if mantissa > (1 << 53) || scale < -22 { return slow(p, n) }
        var v = Double(mantissa)
        if scale < 0 { v /= powersOfTen[-scale] }
        return negative ? -v : v
    }

    private static func slow(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double {
        Double(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)) ?? .nan
    }
}
