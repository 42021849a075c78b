/// Reads facts from the text of a JSON number without converting it to binary.
enum DecimalText {
    /// The number of decimal places the value needs once trailing zeros are dropped:
    /// `"1.50"` → 1, `"2e-3"` → 3, `"1.5e3"` → 0, `"1E-325"` → 325.
    static func decimalPlaces(_ text: String) -> Int {
        var digits: [UInt8] = []
        var fractionDigits = 0
        var exponent = 0, exponentSign = 1
        var state = 0 // 0: integer part, 1: fraction, 2: exponent
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "-"), UInt8(ascii: "+"):
                if state == 2 && b == UInt8(ascii: "-") { exponentSign = -1 }
            case UInt8(ascii: "."):
                state = 1
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                state = 2
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if state == 2 {
                    exponent = min(exponent * 10 + Int(b - UInt8(ascii: "0")), 100_000)
                } else {
                    digits.append(b)
                    if state == 1 { fractionDigits += 1 }
                }
            default:
                break
            }
        }
        var trailingZeros = 0
        for d in digits.reversed() {
            guard d == UInt8(ascii: "0") else { break }
            trailingZeros += 1
        }
        if trailingZeros == digits.count { return 0 }
        let scale = fractionDigits - exponentSign * exponent - trailingZeros
        return max(0, scale)
    }
}
