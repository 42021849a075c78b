/// An EventBridge `ScheduleExpression`: `rate(N unit)` or the six-field `cron(...)`, evaluated in UTC.
public enum ScheduleExpression: Sendable, Hashable {
    case rate(RateExpression)
    case cron(CronExpression)

    /// Parses `rate(...)` or `cron(...)`.
    /// - Throws: ``ScheduleExpressionError`` saying what is wrong and how to write it.
    public init(parsing text: String) throws(ScheduleExpressionError) {
        var trimmed = Substring(text)
        while trimmed.first == " " { trimmed.removeFirst() }
        while trimmed.last == " " { trimmed.removeLast() }
        guard trimmed.hasSuffix(")"), let open = trimmed.firstIndex(of: "(") else {
            throw ScheduleExpressionError(text, "write rate(5 minutes) or cron(0 12 * * ? *)")
        }
        let kind = trimmed[..<open]
        let body = trimmed[trimmed.index(after: open) ..< trimmed.index(before: trimmed.endIndex)]
        switch kind {
        case "rate": self = .rate(try RateExpression(parsing: body, expression: text))
        case "cron": self = .cron(try CronExpression(parsing: body, expression: text))
        default: throw ScheduleExpressionError(text, "'\(kind)' is not a schedule kind; write rate(5 minutes) or cron(0 12 * * ? *)")
        }
    }

    /// The first firing at or after `time` (always a whole minute), or `nil` when a cron schedule has
    /// no firing left (its years have passed). `anchor` is when a rate schedule started.
    public func nextFiring(atOrAfter time: Timestamp, anchor: Timestamp) -> Timestamp? {
        switch self {
        case .rate(let rate): rate.nextFiring(atOrAfter: time, anchor: anchor)
        case .cron(let cron): cron.nextFiring(atOrAfter: time)
        }
    }
}
