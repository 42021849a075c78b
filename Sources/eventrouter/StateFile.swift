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
        do { return try Timestamp.parse(iso8601: text) } catch { throw UsageError("--now: \(error)") }
    }

    /// `--account ID` and `--region NAME` for a bare resource name (defaults 123456789012, us-east-1).
    static func accountAndRegion(_ arguments: inout Arguments) throws -> (account: String, region: String) {
        (try arguments.option("account") ?? "123456789012", try arguments.option("region") ?? "us-east-1")
    }

    /// A manual clock at `time` (`--now`, else a time the state recorded) moved `seconds`
    /// forward; without a time, the system clock (as a manual clock `seconds` ahead when
    /// `seconds > 0`).
    /// - Throws: ``UsageError`` when the advanced time would leave ``Timestamp/supportedRange``.
    static func clock(at time: Timestamp?, advancedBy seconds: Int = 0) throws(UsageError) -> any EventClock {
        if time == nil && seconds == 0 { return SystemClock() }
        do {
            return ManualClock(start: try (time ?? SystemClock().now).advanced(bySeconds: seconds))
        } catch {
            throw UsageError("--advance \(seconds): \(error)")
        }
    }
}
