import EventRouter

/// What the `queue`, `stream` and `topic` commands share about their `--state FILE` (the
/// `replay --state-out` format): reading it, writing it back atomically, the `--now`,
/// `--account` and `--region` options and the clock the operation runs on.
enum StateFile {
    /// The file's text, or `nil` when it does not exist.
    static func read(_ path: String) throws -> String? {
        try TextFile.read(path)
    }

    /// Writes `state` as JSON text (one trailing newline) over `path`, atomically.
    static func write(_ state: JSONValue, to path: String) throws {
        try TextFile.write(state.jsonText + "\n", to: path)
    }

    /// `--now ISO`, when given.
    static func nowOption(_ arguments: inout Arguments) throws -> Timestamp? {
        guard let text = try arguments.option("now") else { return nil }
        guard let t = Timestamp(iso8601: text) else { throw UsageError("--now takes an ISO-8601 time like 2024-05-01T12:00:00Z, got '\(text)'") }
        return t
    }

    /// `--account ID` and `--region NAME` for a bare resource name (defaults 123456789012, us-east-1).
    static func accountAndRegion(_ arguments: inout Arguments) throws -> (account: String, region: String) {
        (try arguments.option("account") ?? "123456789012", try arguments.option("region") ?? "us-east-1")
    }

    /// A manual clock at `time` (`--now`, else a time the state recorded) moved `seconds`
    /// forward; without a time, the system clock (as a manual clock `seconds` ahead when
    /// `seconds > 0`).
    static func clock(at time: Timestamp?, advancedBy seconds: Int = 0) -> any EventClock {
        if let time {
            let manual = ManualClock(start: time)
            manual.advance(by: .seconds(seconds))
            return manual
        }
        return seconds > 0 ? ManualClock(start: SystemClock().now + .seconds(seconds)) : SystemClock()
    }
}
