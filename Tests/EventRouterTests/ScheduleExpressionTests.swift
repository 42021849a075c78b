import EventRouter
import Testing

@Suite struct ScheduleExpressionTests {
    struct Firing: Sendable, CustomTestStringConvertible {
        var expression: String
        var from: String
        var expected: String?
        var testDescription: String { "\(expression) from \(from)" }
    }

    static func time(_ text: String) -> Timestamp { Timestamp(iso8601: text)! }

    /// Dates checked with Python's calendar: 2026-12-03 is a Thursday; May 2027 starts on a
    /// Saturday; 2027-01-31 is a Sunday; 2027-07-31 a Saturday; 2026-08-16 a Sunday.
    static let cronFirings: [Firing] = [
        Firing(expression: "cron(0 12 * * ? *)", from: "2026-12-03T21:49:00Z", expected: "2026-12-04T12:00:00Z"),
        Firing(expression: "cron(0 12 * * ? *)", from: "2026-12-04T12:00:00Z", expected: "2026-12-04T12:00:00Z"),
        Firing(expression: "cron(0 12 * * ? *)", from: "2026-12-04T12:00:00.001Z", expected: "2026-12-05T12:00:00Z"),
        Firing(expression: "cron(0/15 * * * ? *)", from: "2026-12-03T10:07:10Z", expected: "2026-12-03T10:15:00Z"),
        Firing(expression: "cron(10-40/10 8 * * ? *)", from: "2026-12-03T08:31:00Z", expected: "2026-12-03T08:40:00Z"),
        Firing(expression: "cron(10-40/10 8 * * ? *)", from: "2026-12-03T08:41:00Z", expected: "2026-12-04T08:10:00Z"),
        Firing(expression: "cron(0 18 ? * MON-FRI *)", from: "2026-12-04T19:00:00Z", expected: "2026-12-07T18:00:00Z"),
        Firing(expression: "cron(0 18 ? * 2-6 *)", from: "2026-12-04T19:00:00Z", expected: "2026-12-07T18:00:00Z"),
        Firing(expression: "cron(30 6 ? * sat,sun *)", from: "2026-12-03T00:00:00Z", expected: "2026-12-05T06:30:00Z"),
        Firing(expression: "cron(0 22-2 * * ? *)", from: "2026-12-03T23:30:00Z", expected: "2026-12-04T00:00:00Z"),
        Firing(expression: "cron(0 0 ? * FRI-MON *)", from: "2026-12-08T00:00:00Z", expected: "2026-12-11T00:00:00Z"),
        Firing(expression: "cron(0 0 1 JAN-MAR ? *)", from: "2026-12-03T00:00:00Z", expected: "2027-01-01T00:00:00Z"),
        Firing(expression: "cron(0 0 L * ? *)", from: "2027-02-10T00:00:00Z", expected: "2027-02-28T00:00:00Z"),
        Firing(expression: "cron(0 0 L * ? *)", from: "2028-02-10T00:00:00Z", expected: "2028-02-29T00:00:00Z"),
        Firing(expression: "cron(0 9 LW * ? *)", from: "2027-05-02T00:00:00Z", expected: "2027-05-31T09:00:00Z"),
        Firing(expression: "cron(0 9 LW * ? *)", from: "2027-01-02T00:00:00Z", expected: "2027-01-29T09:00:00Z"),
        Firing(expression: "cron(0 9 LW * ? *)", from: "2027-07-02T00:00:00Z", expected: "2027-07-30T09:00:00Z"),
        Firing(expression: "cron(0 9 15W * ? *)", from: "2027-05-02T00:00:00Z", expected: "2027-05-14T09:00:00Z"),
        Firing(expression: "cron(0 9 16W * ? *)", from: "2026-08-02T00:00:00Z", expected: "2026-08-17T09:00:00Z"),
        Firing(expression: "cron(0 9 1W * ? *)", from: "2027-04-30T12:00:00Z", expected: "2027-05-03T09:00:00Z"),
        Firing(expression: "cron(0 9 31W * ? *)", from: "2027-01-02T00:00:00Z", expected: "2027-01-29T09:00:00Z"),
        Firing(expression: "cron(0 9 31W * ? *)", from: "2027-02-01T00:00:00Z", expected: "2027-03-31T09:00:00Z"),
        Firing(expression: "cron(0 10 ? * 6L *)", from: "2027-01-02T00:00:00Z", expected: "2027-01-29T10:00:00Z"),
        Firing(expression: "cron(0 10 ? * FRIL *)", from: "2027-01-02T00:00:00Z", expected: "2027-01-29T10:00:00Z"),
        Firing(expression: "cron(0 10 ? * 3#2 *)", from: "2026-12-01T00:00:00Z", expected: "2026-12-08T10:00:00Z"),
        Firing(expression: "cron(0 10 ? * MON#5 *)", from: "2026-12-01T00:00:00Z", expected: "2027-03-29T10:00:00Z"),
        Firing(expression: "cron(0 10 ? * L *)", from: "2026-12-03T00:00:00Z", expected: "2026-12-05T10:00:00Z"),
        Firing(expression: "cron(0 0 29 2 ? *)", from: "2026-03-01T00:00:00Z", expected: "2028-02-29T00:00:00Z"),
        Firing(expression: "cron(0 0 1 1 ? 2030)", from: "2026-12-03T00:00:00Z", expected: "2030-01-01T00:00:00Z"),
        Firing(expression: "cron(0 0 1 1 ? 2025)", from: "2026-12-03T00:00:00Z", expected: nil),
        Firing(expression: "cron(0 0 31 2 ? *)", from: "2026-12-03T00:00:00Z", expected: nil),
    ]

    @Test(arguments: cronFirings)
    func cronFiresAtTheNextMatchingMinute(_ firing: Firing) throws {
        let schedule = try ScheduleExpression(parsing: firing.expression)
        let next = schedule.nextFiring(atOrAfter: Self.time(firing.from), anchor: Self.time(firing.from))
        #expect(next?.iso8601 == firing.expected)
    }

    @Test func rateFiresEveryIntervalFromItsStartingMinute() throws {
        let schedule = try ScheduleExpression(parsing: "rate(5 minutes)")
        let anchor = Self.time("2026-12-03T10:03:30Z")
        #expect(schedule.nextFiring(atOrAfter: anchor, anchor: anchor)?.iso8601 == "2026-12-03T10:08:00Z")
        #expect(schedule.nextFiring(atOrAfter: Self.time("2026-12-03T10:08:00Z"), anchor: anchor)?.iso8601 == "2026-12-03T10:08:00Z")
        #expect(schedule.nextFiring(atOrAfter: Self.time("2026-12-03T10:08:01Z"), anchor: anchor)?.iso8601 == "2026-12-03T10:13:00Z")
        let daily = try ScheduleExpression(parsing: " rate(1 day) ")
        #expect(daily.nextFiring(atOrAfter: anchor, anchor: anchor)?.iso8601 == "2026-12-04T10:03:00Z")
    }

    /// Firings in [Monday 00:00, next Monday 00:00): a rate's first firing is one interval after its start.
    @Test(arguments: [("rate(5 minutes)", 2_015), ("rate(1 hour)", 167), ("cron(0 9 ? * MON-FRI *)", 5), ("cron(*/10 * * * ? *)", 1_008)])
    func aWeekOfFiringsIsCountedExactly(_ expression: String, _ count: Int) throws {
        let schedule = try ScheduleExpression(parsing: expression)
        let start = Self.time("2026-12-07T00:00:00Z"), end = Self.time("2026-12-14T00:00:00Z")
        var fired = 0
        var cursor = start
        while let next = schedule.nextFiring(atOrAfter: cursor, anchor: start), next < end {
            fired += 1
            cursor = next + .milliseconds(1)
        }
        #expect(fired == count)
    }

    static let invalid: [(String, String)] = [
        ("every 5 minutes", "write rate(5 minutes) or cron(0 12 * * ? *)"),
        ("at(2026-12-03T10:00:00)", "'at' is not a schedule kind; write rate(5 minutes) or cron(0 12 * * ? *)"),
        ("rate(5)", "a rate is a number and a unit, e.g. rate(5 minutes) or rate(1 hour)"),
        ("rate(0 minutes)", "the rate value '0' must be a whole number of at least 1"),
        ("rate(-5 minutes)", "the rate value '-5' must be a whole number of at least 1"),
        ("rate(5 weeks)", "the rate unit 'weeks' must be minute(s), hour(s) or day(s)"),
        ("rate(1 minutes)", "a rate of 1 takes the singular unit: rate(1 minute)"),
        ("rate(5 hour)", "a rate above 1 takes the plural unit: rate(5 hours)"),
        ("rate(99999999999999999999 days)", "the rate value '99999999999999999999' must be a whole number of at least 1"),
        ("rate(9999999999 days)", "the rate 9999999999 days is too long; use at most 1000 years' worth"),
        ("cron(0 12 * * ?)", "cron takes six fields (minutes hours day-of-month month day-of-week year), e.g. cron(0 12 * * ? *); this has 5"),
        ("cron(0 12 * * * *)", "day-of-month and day-of-week cannot both be given; put ? in one of them"),
        ("cron(0 12 ? * ? *)", "day-of-month and day-of-week are both '?'; give one of them"),
        ("cron(60 12 * * ? *)", "the minutes field '60' has 60, outside 0-59"),
        ("cron(0 24 * * ? *)", "the hours field '24' has 24, outside 0-23"),
        ("cron(0 12 0 * ? *)", "the day-of-month field '0' has 0, outside 1-31"),
        ("cron(0 12 * FOO ? *)", "the month field 'FOO' has 'FOO', which is not a number or a name (JAN, FEB"),
        ("cron(0 12 ? * FUNDAY *)", "the day-of-week field 'FUNDAY' has 'FUNDAY'"),
        ("cron(0 12 * * ? 1969)", "the year field '1969' has 1969, outside 1970-2199"),
        ("cron(0/0 12 * * ? *)", "the minutes field '0/0' has the step '0'; a step is a whole number of at least 1"),
        ("cron(0,,5 12 * * ? *)", "the minutes field '0,,5' has an empty list item"),
        ("cron(0 12 32W * ? *)", "the day-of-month field '32W' must be NW with N from 1 to 31"),
        ("cron(0 12 L-2 * ? *)", "the day-of-month field 'L-2' uses L, W or # in a way EventBridge does not"),
        ("cron(0 12 ? * 2#6 *)", "the day-of-week field '2#6' must be D#N with N from 1 to 5"),
    ]

    @Test(arguments: invalid)
    func invalidExpressionsSayWhatToChange(_ expression: String, _ reason: String) {
        #expect {
            _ = try ScheduleExpression(parsing: expression)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("Parameter ScheduleExpression is not valid: ") && text.contains(reason)
        }
    }
}
