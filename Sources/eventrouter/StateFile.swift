import EventRouter

/// What the `queue`, `stream` and `topic` commands share about their `--state FILE` (the
/// `replay --state-out` format): the store that locks it (``StateFileStore``), the `--now`,
/// `--account` and `--region` options.
enum StateFile {
    /// The store for `--state FILE`; a command that waits for another says so on stderr.
    static func store(_ path: String) -> StateFileStore { StateFileStore(path: path) }

    /// Prints (stderr) that `command` waits for the state file's lock.
    static func waiting(_ command: String) -> @Sendable (String) -> Void {
        { message in Output.err("eventrouter \(command): \(message)\n") }
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
}
