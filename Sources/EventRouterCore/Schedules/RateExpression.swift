/// `rate(N unit)`: every N minutes, hours or days, counted from when the schedule starts.
public struct RateExpression: Sendable, Hashable {
    /// The interval in whole minutes (at least 1).
    public let minutes: Int64

    static let units: [String: Int64] = ["minute": 1, "minutes": 1, "hour": 60, "hours": 60, "day": 1_440, "days": 1_440]

    /// Parses the inside of `rate(...)`, e.g. `5 minutes`.
    /// - Throws: ``ScheduleExpressionError`` naming the problem (singular unit for 1, plural otherwise, as AWS requires).
    public init(parsing body: Substring, expression: String) throws(ScheduleExpressionError) {
        let parts = body.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else {
            throw ScheduleExpressionError(expression, "a rate is a number and a unit, e.g. rate(5 minutes) or rate(1 hour)")
        }
        guard parts[0].allSatisfy(\.isASCII), parts[0].allSatisfy(\.isNumber), let value = Int64(parts[0]), value > 0 else {
            throw ScheduleExpressionError(expression, "the rate value '\(parts[0])' must be a whole number of at least 1")
        }
        let unit = String(parts[1])
        guard let perUnit = Self.units[unit] else {
            throw ScheduleExpressionError(expression, "the rate unit '\(unit)' must be minute(s), hour(s) or day(s)")
        }
        if value == 1, unit.hasSuffix("s") {
            throw ScheduleExpressionError(expression, "a rate of 1 takes the singular unit: rate(1 \(unit.dropLast()))")
        }
        if value > 1, !unit.hasSuffix("s") {
            throw ScheduleExpressionError(expression, "a rate above 1 takes the plural unit: rate(\(value) \(unit)s)")
        }
        let (total, overflow) = value.multipliedReportingOverflow(by: perUnit)
        guard !overflow, total <= 527_040_000 else {
            throw ScheduleExpressionError(expression, "the rate \(value) \(unit) is too long; use at most 1000 years' worth")
        }
        minutes = total
    }

    /// The first firing at or after `time` for a schedule that started at `anchor`: `anchor + k·rate`, k ≥ 1,
    /// with `anchor` taken at its whole minute.
    public func nextFiring(atOrAfter time: Timestamp, anchor: Timestamp) -> Timestamp {
        let minute: Int64 = 60_000_000_000
        let start = Self.floorDiv(anchor.nanosecondsSinceEpoch, minute)
        let target = Self.floorDiv(time.nanosecondsSinceEpoch, minute) + (time.nanosecondsSinceEpoch % minute == 0 ? 0 : 1)
        let steps = max(1, (target - start + minutes - 1) / minutes)
        let (offset, overflow) = steps.multipliedReportingOverflow(by: minutes)
        let (fired, overflowAgain) = (start &+ offset).multipliedReportingOverflow(by: minute)
        guard !overflow, !overflowAgain else { return Timestamp(nanosecondsSinceEpoch: .max) }
        return Timestamp(nanosecondsSinceEpoch: fired)
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
