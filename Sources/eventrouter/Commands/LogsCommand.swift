import EventRouter

/// `eventrouter logs tail GROUP`: prints a log group's events from its NDJSON files.
/// Logic: ``LogTail``.
struct LogsCommand: Command {
    static let name = "logs"
    static let flags: Set<String> = ["follow"]
    static let summary = "Print the events of a CloudWatch Logs log group that rules wrote"
    static let help = """
        Usage: eventrouter logs tail GROUP [--follow] [--since DURATION|TIME] [--filter-pattern PATTERN]
                                           [--workspace DIR | --data-dir DIR | --logs-dir DIR]

        Prints the events of log group GROUP (e.g. /aws/events/orders) that rules with a log group
        target wrote during 'eventrouter run' (in the data directory's logs/ folder) or
        'eventrouter replay --logs-dir DIR', one line each, oldest first:
          TIME STREAM MESSAGE
        (STREAM is the event id EventBridge names the log stream after). A line of a stream file
        that cannot be read is reported on standard error with its file and line and skipped;
        the exit status is then 1.

        Options:
          --follow           keep printing new events as they are written (checked every second)
                             until interrupted
          --since D          only events from D ago (30s, 10m, 2h, 1d, 1w) or from an ISO 8601 time;
                             default: all
          --filter-pattern P only events whose message matches P: terms (ERROR, "a phrase", ?A ?B,
                             -TERM) or a JSON pattern ({ $.detail.status = "FAILED" })
          --workspace DIR    the workspace whose .eventrouter/logs to read (default: current folder)
          --data-dir DIR     read DIR/logs (the data directory 'run --data-dir DIR' used)
          --logs-dir DIR     read DIR (what 'run --logs-dir' or 'replay --logs-dir' wrote)
        """

    static func run(_ arguments: inout Arguments) async throws -> Int32 {
        guard let verb = arguments.positional() else { throw UsageError("missing ACTION: eventrouter logs tail GROUP") }
        guard verb == "tail" else { throw UsageError("unknown action '\(verb)'; the action is tail: eventrouter logs tail GROUP") }
        let follow = arguments.flag("follow")
        let sinceText = try arguments.option("since")
        let patternText = try arguments.option("filter-pattern")
        let workspace = try arguments.option("workspace")
        let dataDirectory = try arguments.option("data-dir")
        let logsDirectory = try arguments.option("logs-dir")
        guard let group = arguments.positional() else {
            try arguments.finish()
            throw UsageError("missing the log GROUP: eventrouter logs tail GROUP")
        }
        try arguments.finish()
        if [workspace, dataDirectory, logsDirectory].compactMap({ $0 }).count > 1 {
            throw UsageError("give one of --workspace, --data-dir and --logs-dir")
        }
        let base = (workspace ?? ".").hasSuffix("/") ? String((workspace ?? ".").dropLast()) : workspace ?? "."
        let root = logsDirectory ?? (dataDirectory ?? (base == "." ? ".eventrouter" : base + "/.eventrouter")) + "/logs"
        let clock = SystemClock()
        var tail: LogTail
        do {
            let since = try sinceText.map { text throws(LogGroupError) in try LogTail.since(text, now: clock.now) }
            let pattern = try patternText.map { text throws(LogGroupError) in try LogFilterPattern(parsing: text) }
            tail = try LogTail(root: root, group: group, since: since, pattern: pattern)
        } catch {
            Output.err("eventrouter logs tail: \(error.message)\n")
            return 1
        }
        var unreadable = 0
        if follow {
            await tail.follow(clock: clock, emit: { Output.out($0 + "\n") }, report: { problem in
                unreadable += 1
                Output.err("eventrouter logs tail: \(problem)\n")
            })
            return unreadable > 0 ? 1 : 0
        }
        let (events, problems) = tail.poll()
        for problem in problems { Output.err("eventrouter logs tail: \(problem)\n") }
        for e in events { Output.out(LogTail.line(stream: e.stream, event: e.event) + "\n") }
        return problems.isEmpty ? 0 : 1
    }
}
