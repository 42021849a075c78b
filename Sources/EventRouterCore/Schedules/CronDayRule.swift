/// Which days of a month a cron expression fires on: from its day-of-month field or its
/// day-of-week field (exactly one of them is `?`).
public enum CronDayRule: Sendable, Hashable {
    /// Day-of-month values (`*`, lists, ranges, steps).
    case daysOfMonth(CronField)
    /// `L` in day-of-month: the last day of the month.
    case lastDayOfMonth
    /// `LW`: the last weekday (Monday–Friday) of the month.
    case lastWeekdayOfMonth
    /// `15W`: the weekday nearest the 15th, without leaving the month.
    case nearestWeekday(Int)
    /// Day-of-week values, 1 = Sunday … 7 = Saturday.
    case daysOfWeek(CronField)
    /// `5L` / `THUL`: the last such weekday of the month. (`L` alone is Saturday, every week.)
    case lastWeekday(Int)
    /// `3#2`: the second Tuesday of the month.
    case nthWeekday(Int, Int)

    static let dayNames = ["SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7]

    /// Whether the rule fires on day `day` (1-based) of a month of `length` days whose first day
    /// is weekday `firstWeekday` (1 = Sunday).
    public func matches(day: Int, length: Int, firstWeekday: Int) -> Bool {
        let weekday = (firstWeekday - 1 + day - 1) % 7 + 1
        switch self {
        case .daysOfMonth(let field): return field.contains(day)
        case .lastDayOfMonth: return day == length
        case .lastWeekdayOfMonth:
            let lastWeekday = (firstWeekday - 1 + length - 1) % 7 + 1
            let last = lastWeekday == 1 ? length - 2 : lastWeekday == 7 ? length - 1 : length
            return day == last
        case .nearestWeekday(let target):
            guard target <= length else { return false }
            let targetWeekday = (firstWeekday - 1 + target - 1) % 7 + 1
            var chosen = target
            if targetWeekday == 7 { chosen = target == 1 ? target + 2 : target - 1 }
            if targetWeekday == 1 { chosen = target == length ? target - 2 : target + 1 }
            return day == chosen
        case .daysOfWeek(let field): return field.contains(weekday)
        case .lastWeekday(let wanted): return weekday == wanted && day + 7 > length
        case .nthWeekday(let wanted, let n): return weekday == wanted && (day - 1) / 7 + 1 == n
        }
    }

    /// Parses the day-of-month field (not `?`).
    static func dayOfMonth(_ text: Substring, expression: String) throws(ScheduleExpressionError) -> CronDayRule {
        if text == "L" { return .lastDayOfMonth }
        if text == "LW" { return .lastWeekdayOfMonth }
        if text.hasSuffix("W") {
            let number = text.dropLast()
            guard number.utf8.count <= 2, number.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let day = Int(number), (1...31).contains(day) else {
                throw ScheduleExpressionError(expression, "the day-of-month field '\(text)' must be NW with N from 1 to 31 (the weekday nearest day N), or LW")
            }
            return .nearestWeekday(day)
        }
        if text.contains("L") || text.contains("W") || text.contains("#") {
            throw ScheduleExpressionError(expression, "the day-of-month field '\(text)' uses L, W or # in a way EventBridge does not: write L, LW, NW or a list of days")
        }
        return .daysOfMonth(try CronField(parsing: text, name: "day-of-month", lower: 1, upper: 31, expression: expression))
    }

    /// Parses the day-of-week field (not `?`).
    static func dayOfWeek(_ text: Substring, expression: String) throws(ScheduleExpressionError) -> CronDayRule {
        func weekday(_ token: Substring) throws(ScheduleExpressionError) -> Int {
            if let named = dayNames[token.uppercased()] { return named }
            guard token.utf8.count == 1, let number = Int(token), (1...7).contains(number) else {
                throw ScheduleExpressionError(expression, "the day-of-week field '\(text)' has '\(token)'; use 1-7 (1 = SUN) or SUN, MON, TUE, WED, THU, FRI, SAT")
            }
            return number
        }
        if text == "L" {   // Quartz: L alone in day-of-week is 7, Saturday
            return .daysOfWeek(try CronField(parsing: "7", name: "day-of-week", lower: 1, upper: 7, expression: expression))
        }
        if let hash = text.firstIndex(of: "#") {
            let nth = text[text.index(after: hash)...]
            guard nth.utf8.count == 1, let n = Int(nth), (1...5).contains(n) else {
                throw ScheduleExpressionError(expression, "the day-of-week field '\(text)' must be D#N with N from 1 to 5 (e.g. 3#2, the second Tuesday)")
            }
            return .nthWeekday(try weekday(text[..<hash]), n)
        }
        if text.count > 1, text.hasSuffix("L") { return .lastWeekday(try weekday(text.dropLast())) }
        if text.contains("L") || text.contains("W") {
            throw ScheduleExpressionError(expression, "the day-of-week field '\(text)' uses L or W in a way EventBridge does not: write L, DL (e.g. 6L) or D#N")
        }
        return .daysOfWeek(try CronField(parsing: text, name: "day-of-week", lower: 1, upper: 7, names: dayNames, expression: expression))
    }
}
