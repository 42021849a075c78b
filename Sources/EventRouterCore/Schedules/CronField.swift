/// One numeric field of a cron expression (minutes, hours, day-of-month list, month, day-of-week
/// list, year): the values it allows, from lists, ranges (wrapping past the maximum, as Quartz
/// does), steps and names.
public struct CronField: Sendable, Hashable {
    /// The smallest value of the field.
    public let lower: Int
    /// The largest value of the field.
    public let upper: Int
    private var allowed: [Bool]

    /// Whether `value` is allowed.
    public func contains(_ value: Int) -> Bool {
        value >= lower && value <= upper && allowed[value - lower]
    }

    /// The smallest allowed value at or above `value`, if any.
    public func first(atOrAbove value: Int) -> Int? {
        var v = max(value, lower)
        while v <= upper {
            if allowed[v - lower] { return v }
            v += 1
        }
        return nil
    }

    /// Parses `text` (e.g. `0/15`, `MON-FRI`, `1,15,30`, `*`) for a field named `name` with values
    /// `lower...upper` and optional names (upper case, e.g. `JAN` → 1).
    /// - Throws: ``ScheduleExpressionError`` naming the field and the item.
    public init(parsing text: Substring, name: String, lower: Int, upper: Int, names: [String: Int] = [:],
                expression: String) throws(ScheduleExpressionError) {
        self.lower = lower
        self.upper = upper
        allowed = Array(repeating: false, count: upper - lower + 1)
        func fail(_ reason: String) -> ScheduleExpressionError {
            ScheduleExpressionError(expression, "the \(name) field '\(text)' \(reason)")
        }
        func value(_ token: Substring) throws(ScheduleExpressionError) -> Int {
            if let named = names[token.uppercased()] { return named }
            guard !token.isEmpty, token.utf8.count <= 4, token.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let number = Int(token) else {
                let known = names.isEmpty ? "" : " or a name (\(names.sorted { $0.value < $1.value }.map(\.key).joined(separator: ", ")))"
                throw fail("has '\(token)', which is not a number\(known)")
            }
            guard number >= lower, number <= upper else { throw fail("has \(number), outside \(lower)-\(upper)") }
            return number
        }
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else { throw fail("has an empty list item; separate values with single commas") }
            let slash = item.split(separator: "/", omittingEmptySubsequences: false)
            guard slash.count <= 2 else { throw fail("has more than one '/' in '\(item)'") }
            var step = 1
            if slash.count == 2 {
                guard slash[1].utf8.count <= 4, slash[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let s = Int(slash[1]), s > 0 else {
                    throw fail("has the step '\(slash[1])'; a step is a whole number of at least 1, as in 0/15")
                }
                step = s
            }
            let base = slash[0]
            var start: Int, end: Int
            if base == "*" {
                (start, end) = (lower, upper)
            } else if let dash = base.firstIndex(of: "-") {
                start = try value(base[..<dash])
                end = try value(base[base.index(after: dash)...])
            } else {
                start = try value(base)
                end = slash.count == 2 ? upper : start
            }
            let span = upper - lower + 1
            let count = end >= start ? end - start + 1 : (upper - start + 1) + (end - lower + 1)
            var offset = 0
            while offset < count {
                let v = (start - lower + offset) % span + lower
                allowed[v - lower] = true
                offset += step
            }
        }
    }
}
