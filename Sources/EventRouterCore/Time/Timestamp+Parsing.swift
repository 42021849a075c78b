/// The one range of times EventRouter accepts from input, and the checked ways into it.
///
/// ``Timestamp`` counts nanoseconds in an `Int64`, which ends in April 2262. Every time that
/// comes from outside (an event's `time`, a PutEvents `Time`, `--now`, `--from`, `--to`,
/// `--timestamp`, a state file's milliseconds or seconds, a workspace file) must lie in
/// ``supportedRange``: 1970-01-01T00:00:00Z through 2199-12-31T23:59:59.999999999Z. The 62
/// years left above it leave room for every retention, delay and retry EventRouter adds.
extension Timestamp {
    /// The earliest and latest time accepted from input.
    public static let supportedRange: ClosedRange<Timestamp> =
        Timestamp.epoch...Timestamp(nanosecondsSinceEpoch: 7_258_118_400 * 1_000_000_000 - 1)

    /// ``supportedRange`` as people read it, for error messages.
    public static let supportedRangeText = "1970-01-01T00:00:00Z to 2199-12-31T23:59:59.999Z"

    /// The time `nanoseconds` after the epoch.
    /// - Throws: ``TimestampError`` naming the value when it is outside ``supportedRange``.
    public init(checkedNanosecondsSinceEpoch nanoseconds: Int64) throws(TimestampError) {
        let t = Timestamp(nanosecondsSinceEpoch: nanoseconds)
        guard Timestamp.supportedRange.contains(t) else {
            throw TimestampError("\(nanoseconds) nanoseconds since the epoch is outside the supported times (\(Timestamp.supportedRangeText))")
        }
        self = t
    }

    /// The time `milliseconds` after the epoch (SQS attribute style).
    /// - Throws: ``TimestampError`` naming the value when it is outside ``supportedRange``.
    public init(millisecondsSinceEpoch milliseconds: Int64) throws(TimestampError) {
        let (nanoseconds, overflow) = milliseconds.multipliedReportingOverflow(by: 1_000_000)
        guard !overflow, let t = try? Timestamp(checkedNanosecondsSinceEpoch: nanoseconds) else {
            throw TimestampError("\(milliseconds) milliseconds since the epoch is outside the supported times (\(Timestamp.supportedRangeText), 0 to 7258118399999 ms)")
        }
        self = t
    }

    /// The time `seconds` after the epoch (Kinesis style, fractions allowed).
    /// - Throws: ``TimestampError`` naming the value when it is not finite or outside ``supportedRange``.
    public init(checkedSecondsSinceEpoch seconds: Double) throws(TimestampError) {
        let nanoseconds = (seconds * 1e9).rounded()
        guard nanoseconds.isFinite, let n = Int64(exactly: nanoseconds), let t = try? Timestamp(checkedNanosecondsSinceEpoch: n) else {
            throw TimestampError("\(seconds) seconds since the epoch is outside the supported times (\(Timestamp.supportedRangeText), 0 to 7258118399.999 s)")
        }
        self = t
    }

    /// This time moved `seconds` forward.
    /// - Throws: ``TimestampError`` when the result would leave ``supportedRange``.
    public func advanced(bySeconds seconds: Int) throws(TimestampError) -> Timestamp {
        let (nanoseconds, o1) = Int64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, o2) = nanosecondsSinceEpoch.addingReportingOverflow(nanoseconds)
        guard !o1, !o2, Timestamp.supportedRange.contains(Timestamp(nanosecondsSinceEpoch: sum)) else {
            throw TimestampError("\(iso8601Milliseconds) plus \(seconds) seconds is outside the supported times (\(Timestamp.supportedRangeText))")
        }
        return Timestamp(nanosecondsSinceEpoch: sum)
    }

    /// Parses ISO-8601 / RFC 3339 times: `2024-05-01T12:00:00Z`, `2024-05-01T12:00:00.5+02:00`.
    /// The date must exist (`2024-02-30` does not), the hour is 00–23, the minute 00–59, the
    /// second 00–60, an offset ±00:00–±23:59, and the time in ``supportedRange``.
    /// - Throws: ``TimestampError`` quoting `text` and saying what is wrong.
    public static func parse(iso8601 text: String) throws(TimestampError) -> Timestamp {
        let b = Array(text.utf8)
        let shape = "'\(text)' is not an ISO-8601 time like 2024-01-01T00:00:00Z"
        func num(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= b.count else { return nil }
            var v: Int64 = 0
            for i in from..<(from + count) {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                v = v * 10 + Int64(b[i] - 0x30)
            }
            return v
        }
        guard b.count >= 20, let y = num(0, 4), b[4] == 0x2D, let mo = num(5, 2), b[7] == 0x2D, let d = num(8, 2),
            b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == 0x20,
            let h = num(11, 2), b[13] == 0x3A, let mi = num(14, 2), b[16] == 0x3A, let s = num(17, 2)
        else { throw TimestampError(shape) }
        guard (1...12).contains(mo) else { throw TimestampError("'\(text)' has month \(mo): use 01 to 12") }
        let monthDays = daysInMonth(year: y, month: mo)
        guard (1...monthDays).contains(d) else {
            throw TimestampError("'\(text)' is not a date: \(String(text.prefix(7))) has \(monthDays) days")
        }
        guard h < 24, mi < 60, s < 61 else {
            throw TimestampError("'\(text)' has time of day \(String(decoding: b[11..<19], as: UTF8.self)): use hours 00-23, minutes 00-59, seconds 00-60")
        }
        var i = 19
        var nanos: Int64 = 0
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 {
                if digits < 9 { nanos = nanos * 10 + Int64(b[i] - 0x30) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { throw TimestampError(shape) }
            for _ in min(digits, 9)..<9 { nanos *= 10 }
        }
        var offset: Int64 = 0
        guard i < b.count else { throw TimestampError(shape + " (add Z or an offset like +02:00)") }
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard let oh = num(i + 1, 2), i + 3 < b.count, b[i + 3] == 0x3A, let om = num(i + 4, 2) else { throw TimestampError(shape) }
            guard oh < 24, om < 60 else {
                throw TimestampError("'\(text)' has UTC offset \(String(decoding: b[i..<(i + 6)], as: UTF8.self)): use -23:59 to +23:59")
            }
            offset = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "+") ? 1 : -1)
            i += 6
        } else {
            throw TimestampError(shape)
        }
        guard i == b.count else { throw TimestampError(shape) }
        // Years 0000-9999 and offsets under a day keep these seconds far inside Int64.
        let seconds = Timestamp.days(fromCivil: y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offset
        let limit = Timestamp.supportedRange.upperBound.nanosecondsSinceEpoch / 1_000_000_000
        guard seconds >= 0, seconds <= limit else {
            throw TimestampError("'\(text)' is outside the supported times (\(Timestamp.supportedRangeText))")
        }
        return Timestamp(nanosecondsSinceEpoch: seconds * 1_000_000_000 + nanos)
    }

    /// Parses like ``parse(iso8601:)``; `nil` for anything it rejects.
    public init?(iso8601 text: String) {
        guard let t = try? Timestamp.parse(iso8601: text) else { return nil }
        self = t
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// A time that is not valid or not supported; the description quotes the value and says what
/// is accepted.
public struct TimestampError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
