/// A point in wall-clock time: nanoseconds since 1970-01-01T00:00:00Z.
///
/// Every clock in EventRouter (``EventClock``) reports time as a `Timestamp`, so that
/// event `time` fields, retention, visibility deadlines and retry schedules all come from
/// one injected source.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Nanoseconds since the Unix epoch.
    public var nanosecondsSinceEpoch: Int64

    public init(nanosecondsSinceEpoch: Int64) { self.nanosecondsSinceEpoch = nanosecondsSinceEpoch }

    /// The time `seconds` after the epoch, clamped to what `Int64` nanoseconds hold (NaN is
    /// the epoch). For times from input use ``init(checkedSecondsSinceEpoch:)``.
    public init(secondsSinceEpoch seconds: Double) {
        let n = (seconds * 1e9).rounded()
        self.nanosecondsSinceEpoch = n.isNaN ? 0 : Int64(exactly: n) ?? (n < 0 ? .min : .max)
    }

    /// 1970-01-01T00:00:00Z.
    public static let epoch = Timestamp(nanosecondsSinceEpoch: 0)

    /// Seconds since the epoch.
    public var secondsSinceEpoch: Double { Double(nanosecondsSinceEpoch) / 1e9 }

    /// Whole milliseconds since the epoch (SQS attribute style).
    public var millisecondsSinceEpoch: Int64 { nanosecondsSinceEpoch / 1_000_000 }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch }

    /// Saturates at the ends of `Int64` instead of wrapping (a deadline never lands in the past).
    public static func + (lhs: Timestamp, rhs: Duration) -> Timestamp {
        Timestamp(nanosecondsSinceEpoch: saturating(lhs.nanosecondsSinceEpoch.addingReportingOverflow(rhs.nanoseconds), positive: rhs > .zero))
    }

    /// Saturates at the ends of `Int64` instead of wrapping.
    public static func - (lhs: Timestamp, rhs: Duration) -> Timestamp {
        Timestamp(nanosecondsSinceEpoch: saturating(lhs.nanosecondsSinceEpoch.subtractingReportingOverflow(rhs.nanoseconds), positive: rhs < .zero))
    }

    /// Saturates at the ends of `Int64` nanoseconds instead of wrapping.
    public static func - (lhs: Timestamp, rhs: Timestamp) -> Duration {
        .nanoseconds(saturating(lhs.nanosecondsSinceEpoch.subtractingReportingOverflow(rhs.nanosecondsSinceEpoch), positive: lhs > rhs))
    }

    private static func saturating(_ result: (partialValue: Int64, overflow: Bool), positive: Bool) -> Int64 {
        result.overflow ? (positive ? .max : .min) : result.partialValue
    }

    public static func += (lhs: inout Timestamp, rhs: Duration) { lhs = lhs + rhs }

    /// ISO-8601 in UTC with whole seconds, as EventBridge writes `time`: `2024-05-01T12:00:00Z`.
    public var iso8601: String { format(fractionDigits: 0) }

    /// ISO-8601 in UTC with milliseconds: `2024-05-01T12:00:00.123Z`.
    public var iso8601Milliseconds: String { format(fractionDigits: 3) }

    public var description: String { iso8601Milliseconds }

    /// Years 0–9999 (every real timestamp) are written as ASCII digits into the string's own
    /// storage (one allocation; ``formatByParts(fractionDigits:)`` cost ~10K instructions per
    /// call, a tenth of an SNS envelope); other years by parts, as before.
    private func format(fractionDigits: Int) -> String {
        let (seconds, nanos) = nanosecondsSinceEpoch.quotientAndRemainder(dividingBy: 1_000_000_000)
        let (wholeSeconds, fraction) = nanos < 0 ? (seconds - 1, nanos + 1_000_000_000) : (seconds, nanos)
        let (q, r) = wholeSeconds.quotientAndRemainder(dividingBy: 86_400)
        let (days, secOfDay) = r < 0 ? (q - 1, r + 86_400) : (q, r)
        let (y, m, d) = Timestamp.civil(fromDays: days)
        guard y >= 0 && y <= 9999 else { return formatByParts(fractionDigits: fractionDigits) }
        let length = fractionDigits == 3 ? 24 : 20
        return String(unsafeUninitializedCapacity: length) { out in
            func two(_ v: Int64, _ at: Int) {
                out[at] = 0x30 + UInt8(truncatingIfNeeded: v / 10)
                out[at + 1] = 0x30 + UInt8(truncatingIfNeeded: v % 10)
            }
            two(y / 100, 0)
            two(y % 100, 2)
            out[4] = UInt8(ascii: "-")
            two(m, 5)
            out[7] = UInt8(ascii: "-")
            two(d, 8)
            out[10] = UInt8(ascii: "T")
            two(secOfDay / 3600, 11)
            out[13] = UInt8(ascii: ":")
            two(secOfDay / 60 % 60, 14)
            out[16] = UInt8(ascii: ":")
            two(secOfDay % 60, 17)
            if fractionDigits == 3 {
                let ms = fraction / 1_000_000
                out[19] = UInt8(ascii: ".")
                out[20] = 0x30 + UInt8(truncatingIfNeeded: ms / 100)
                two(ms % 100, 21)
            }
            out[length - 1] = UInt8(ascii: "Z")
            return length
        }
    }

    /// ``iso8601`` / ``iso8601Milliseconds`` put together from padded parts (any year).
    package func formatByParts(fractionDigits: Int) -> String {
        var seconds = nanosecondsSinceEpoch / 1_000_000_000
        var nanos = nanosecondsSinceEpoch % 1_000_000_000
        if nanos < 0 {
            nanos += 1_000_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secOfDay = seconds % 86_400
        if secOfDay < 0 {
            secOfDay += 86_400
            days -= 1
        }
        let (y, m, d) = Timestamp.civil(fromDays: days)
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        var out = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secOfDay / 3600, 2)):\(pad(secOfDay / 60 % 60, 2)):\(pad(secOfDay % 60, 2))"
        if fractionDigits == 3 { out += "." + pad(nanos / 1_000_000, 3) }
        return out + "Z"
    }

    // Howard Hinnant's civil-from-days algorithms.
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    public var nanoseconds: Int64 {
        if #available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *) {
            // Straight from the attoseconds, without `components` (a library call dividing them
            // into seconds first): the same value as below while far from Int64's ends.
            let whole = attoseconds / 1_000_000_000
            if whole.magnitude <= 1 << 62 { return Int64(whole) }
        }
        let (s, a) = components
        let (m, o) = s.multipliedReportingOverflow(by: 1_000_000_000)
        if o { return s < 0 ? .min : .max }
        return m &+ a / 1_000_000_000
    }

    /// The duration in seconds as a `Double`.
    public var seconds: Double {
        let (s, a) = components
        return Double(s) + Double(a) / 1e18
    }
}
