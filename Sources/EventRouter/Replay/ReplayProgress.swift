/// Formats replay progress: events done of total, rate and time remaining.
public enum ReplayProgress {
    /// `[#########---------------] 1200/3000 events  40%  600 ev/s  3s left` (terminal form).
    public static func bar(done: Int, total: Int, elapsed: Duration, width: Int = 24) -> String {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
        return "\(bar) \(done)/\(total) events \(percent(fraction))  \(rate(done: done, elapsed: elapsed)) ev/s  \(remaining(done: done, total: total, elapsed: elapsed)) left"
    }

    /// `replay: 1200/3000 events (40%), 600 events/s, 3s left` (plain form, for logs).
    public static func line(done: Int, total: Int, elapsed: Duration) -> String {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        return "replay: \(done)/\(total) events (\(percent(fraction))), \(rate(done: done, elapsed: elapsed)) events/s, \(remaining(done: done, total: total, elapsed: elapsed)) left"
    }

    static func percent(_ fraction: Double) -> String { "\(Int((fraction * 100).rounded(.down)))%" }

    /// Events per second, or `-` before any time has passed.
    static func rate(done: Int, elapsed: Duration) -> String {
        let seconds = elapsed.seconds
        guard seconds > 0 else { return "-" }
        let r = Double(done) / seconds
        return r >= 100 ? String(Int(r.rounded())) : String(format1(r))
    }

    /// Time left at the current rate: `42s`, `3m05s`, `1h02m`; `?` when unknown.
    static func remaining(done: Int, total: Int, elapsed: Duration) -> String {
        if done >= total { return "0s" }
        let seconds = elapsed.seconds
        guard done > 0, seconds > 0 else { return "?" }
        return duration(seconds * Double(total - done) / Double(done))
    }

    /// `42s`, `3m05s`, `1h02m`.
    public static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(pad(s % 60))s" }
        return "\(s / 3600)h\(pad(s / 60 % 60))m"
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    private static func format1(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
