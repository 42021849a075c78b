/// EventBridge's six-field cron (`minutes hours day-of-month month day-of-week year`), in UTC.
/// Exactly one of day-of-month and day-of-week is `?`, as AWS requires.
public struct CronExpression: Sendable, Hashable {
    /// Minutes 0–59.
    public let minutes: CronField
    /// Hours 0–23.
    public let hours: CronField
    /// The day-of-month or day-of-week rule.
    public let days: CronDayRule
    /// Months 1–12 (JAN–DEC).
    public let months: CronField
    /// Years 1970–2199.
    public let years: CronField

    static let monthNames = ["JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
                             "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12]

    /// Parses the inside of `cron(...)`.
    /// - Throws: ``ScheduleExpressionError`` naming the field and what to write.
    public init(parsing body: Substring, expression: String) throws(ScheduleExpressionError) {
        let fields = body.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 6 else {
            throw ScheduleExpressionError(expression, "cron takes six fields (minutes hours day-of-month month day-of-week year), e.g. cron(0 12 * * ? *); this has \(fields.count)")
        }
        minutes = try CronField(parsing: fields[0], name: "minutes", lower: 0, upper: 59, expression: expression)
        hours = try CronField(parsing: fields[1], name: "hours", lower: 0, upper: 23, expression: expression)
        months = try CronField(parsing: fields[3], name: "month", lower: 1, upper: 12, names: Self.monthNames, expression: expression)
        years = try CronField(parsing: fields[5], name: "year", lower: 1970, upper: 2199, expression: expression)
        switch (fields[2] == "?", fields[4] == "?") {
        case (true, false): days = try CronDayRule.dayOfWeek(fields[4], expression: expression)
        case (false, true): days = try CronDayRule.dayOfMonth(fields[2], expression: expression)
        case (true, true):
            throw ScheduleExpressionError(expression, "day-of-month and day-of-week are both '?'; give one of them, e.g. cron(0 12 * * ? *)")
        case (false, false):
            throw ScheduleExpressionError(expression, "day-of-month and day-of-week cannot both be given; put ? in one of them, e.g. cron(0 12 * * ? *) or cron(0 12 ? * MON-FRI *)")
        }
    }

    /// The first firing at or after `time` (a whole minute), or `nil` if none is left before 2200.
    public func nextFiring(atOrAfter time: Timestamp) -> Timestamp? {
        let minuteNanos: Int64 = 60_000_000_000
        var minute = RateExpression.floorDiv(time.nanosecondsSinceEpoch, minuteNanos)
        if time.nanosecondsSinceEpoch % minuteNanos != 0 { minute += 1 }
        var day = RateExpression.floorDiv(minute, 1_440)
        var minuteOfDay = Int(minute - day * 1_440)
        let lastDay = Timestamp.days(fromCivil: 2199, 12, 31)
        while day <= lastDay {
            let (y, m, d) = Timestamp.civil(fromDays: day)
            guard years.contains(Int(y)) else {
                guard let nextYear = years.first(atOrAbove: Int(y) + 1) else { return nil }
                day = Timestamp.days(fromCivil: Int64(nextYear), 1, 1)
                minuteOfDay = 0
                continue
            }
            guard months.contains(Int(m)) else {
                day = m == 12 ? Timestamp.days(fromCivil: y + 1, 1, 1) : Timestamp.days(fromCivil: y, m + 1, 1)
                minuteOfDay = 0
                continue
            }
            let firstOfMonth = day - (d - 1)
            let length = Int((m == 12 ? Timestamp.days(fromCivil: y + 1, 1, 1) : Timestamp.days(fromCivil: y, m + 1, 1)) - firstOfMonth)
            let firstWeekday = Int(((firstOfMonth + 4) % 7 + 7) % 7) + 1
            if days.matches(day: Int(d), length: length, firstWeekday: firstWeekday), let found = firstTime(atOrAfter: minuteOfDay) {
                return Timestamp(nanosecondsSinceEpoch: (day * 1_440 + Int64(found)) * minuteNanos)
            }
            day += 1
            minuteOfDay = 0
        }
        return nil
    }

    /// The first allowed minute of a day at or after `minuteOfDay`.
    private func firstTime(atOrAfter minuteOfDay: Int) -> Int? {
        var hour = minuteOfDay / 60
        var minute = minuteOfDay % 60
        while let h = hours.first(atOrAbove: hour) {
            if h != hour { minute = 0 }
            if let m = minutes.first(atOrAbove: minute) { return h * 60 + m }
            hour = h + 1
            minute = 0
        }
        return nil
    }
}
