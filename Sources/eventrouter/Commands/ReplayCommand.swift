#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import EventRouter
import EventRouterFunctions

/// `eventrouter replay`: routes a file of events (NDJSON, a JSON array of entries or one entry;
/// `-` for standard input) through the workspace and prints a summary.
struct ReplayCommand: Command {
    static let name = "replay"
    static let summary = "Route a file of events (NDJSON or PutEvents entries) through the workspace until every delivery settles"
    static let flags: Set<String> = ["virtual-time", "trace"]
    static let help = """
        Usage: eventrouter replay FILE [--workspace DIR] [--virtual-time] [--seed N] [--state-out FILE] [--trace]
                                  [--pace original|max|xN] [--replay-name NAME] [--start TIME] [--until TIME]
                                  [--stand-in-queue NAME] [--logs-dir DIR]
               eventrouter replay FILE --archive NAME --from TIME --to TIME [--rules RULE,...] [--replay-name NAME] [...]

        FILE ('-' reads standard input) holds events as NDJSON (one per line, LF or CRLF line
        ends), as a JSON array of them (what 'aws events put-events --entries file://...'
        takes), or as one JSON object; the first character that is not white space tells which.
        Each event is a full event envelope ({"detail-type", "source", "detail", ...}; it
        goes on the default bus of its account) or a PutEvents entry ({"Source", "DetailType",
        "Detail" as a string, optional "EventBusName", "Resources", "Time", and "Account": the
        sending account, default 123456789012). Every event is put on its bus and delivered
        with retries and dead-letter queues until all deliveries settle, including topic
        retries, event source mappings and function invocations with Lambda's asynchronous
        retries and destinations.
        A malformed event (bad JSON, not UTF-8, a Time outside 1970-2199) is reported with its
        line number and skipped.

        Options:
          --workspace DIR    the folder that holds Rules/ and Functions/ (default: the current folder)
          --virtual-time     settle on a virtual clock that jumps to the next deadline whenever
                             nothing is runnable (a day of retries takes well under a second;
                             the clock starts at 2024-01-01T00:00:00Z)
          --seed N           seed for jitter, event ids and message ids (default: from the clock;
                             the summary prints it)
          --state-out FILE   write the final state (queues, streams, functions, deliveries,
                             topics, event source mappings, archives) as JSON
          --trace            print, per event, the rules it matched and every delivery attempt
          --pace P           original: wait the gaps between the events' "time" (or "Time")
                             fields; xN: the same gaps divided by N (x10 = ten times faster);
                             max (default): no waiting. Events without a time follow the
                             previous one at once. With --virtual-time and a pace, the clock
                             starts at the first event's time, so receipt times follow the file.
          --start TIME       with --virtual-time: the clock starts at TIME (ISO-8601) instead
          --until TIME       after the events, run the clock to TIME before settling (with
                             --virtual-time, in milliseconds): scheduled rules (ScheduleExpression)
                             fire at every scheduled minute from the clock's start to TIME,
                             inclusive, even when FILE holds no events; without --until
                             scheduled rules do not fire in a replay
          --stand-in-queue NAME
                             deliveries to targets EventRouter does not run (Step Functions, ECS,
                             Batch, SSM, …) go to this standard queue (see 'validate --help');
                             the summary counts them
          --logs-dir DIR     write log groups (LogGroups, rule targets arn:aws:logs:…:log-group:NAME)
                             to DIR as NDJSON files ('eventrouter logs tail GROUP --logs-dir DIR'
                             reads them); default: kept in memory, counted in --state-out
          --replay-name NAME give every event a top-level "replay-name" (archives skip such events;
                             rules may filter on it). With --archive: the archive replay's name.

        Archive replay (after FILE has been routed, which fills the workspace's archives):
          --archive NAME     the archive (name or ARN) whose events to put back on its bus
          --from TIME        start of the window of receipt times (ISO-8601, inclusive)
          --to TIME          end of the window (exclusive; not in the future of the router's clock)
          --rules R1,R2      only these rules of the bus (names or ARNs) receive the replay
        Replayed events carry "replay-name" and are never archived again; they go in one-minute
        buckets of receipt time, and the replay's state and last replayed time are printed.

        Progress is shown on stderr for replays that take a while: one line redrawn in place on
        a terminal (after half a second), otherwise a plain line every 5 seconds.
        """

    static func time(_ text: String?, option: String) throws(UsageError) -> Timestamp? {
        guard let text else { return nil }
        do { return try Timestamp.parse(iso8601: text) } catch { throw UsageError("--\(option): \(error)") }
    }

    static func run(_ arguments: inout Arguments) async throws -> Int32 {
        let directory = try arguments.option("workspace") ?? "."
        let virtualTime = arguments.flag("virtual-time")
        let trace = arguments.flag("trace")
        let stateOut = try arguments.option("state-out")
        var seed: UInt64?
        if let text = try arguments.option("seed") {
            guard let n = UInt64(text) else { throw UsageError("--seed takes a whole number from 0 to 18446744073709551615, got '\(text)'") }
            seed = n
        }
        var pace = ReplayPace.max
        if let text = try arguments.option("pace") {
            do { pace = try ReplayPace(parsing: text) } catch { throw UsageError(error.message) }
        }
        let replayName = try arguments.option("replay-name")
        let standInQueue = try arguments.option("stand-in-queue")
        let logsDirectory = try arguments.option("logs-dir")
        let archiveName = try arguments.option("archive")
        let from = try Self.time(try arguments.option("from"), option: "from")
        let to = try Self.time(try arguments.option("to"), option: "to")
        let start = try Self.time(try arguments.option("start"), option: "start")
        let until = try Self.time(try arguments.option("until"), option: "until")
        if start != nil, !virtualTime { throw UsageError("--start needs --virtual-time (a real clock starts now)") }
        if let start, let until, until < start {
            throw UsageError("--until \(until.iso8601) is before --start \(start.iso8601); give a TIME at or after the start")
        }
        let ruleNames = try arguments.option("rules").map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? []
        if archiveName == nil, from != nil || to != nil || !ruleNames.isEmpty {
            throw UsageError("--from, --to and --rules need --archive NAME")
        }
        if archiveName != nil, from == nil || to == nil { throw UsageError("--archive needs --from TIME and --to TIME") }
        guard let file = arguments.positional() else {
            try arguments.finish()  // a mistyped option is named as such, not as a missing FILE
            throw UsageError("missing the events FILE to replay")
        }
        try arguments.finish()

        let registry = CompiledFunctions.registry()
        let loaded = WorkspaceLoader.validate(directory: directory, functionRegistry: registry, standInQueue: standInQueue)
        guard var workspace = loaded.workspace else {
            for problem in loaded.problems { Output.err(problem.description + "\n") }
            Output.err("the workspace has errors; fix them (see 'eventrouter validate') and run again\n")
            return 1
        }
        workspace.logsDirectory = logsDirectory
        var options = ReplayRunner.Options(
            virtualTime: virtualTime, seed: seed, trace: trace ? { @Sendable line in Output.out(line + "\n") } : nil,
            functionRegistry: registry)
        options.pace = pace
        options.replayName = replayName
        options.start = start
        options.until = until
        let terminal = isatty(2) == 1
        options.progress = { total in
            ReplayProgressReporter(total: total, configuration: .init(isTerminal: terminal), clock: SystemClock()) { Output.err($0) }
        }
        // Check the archive request before routing the file, so a typo fails fast.
        let request = try archiveName.map { name throws(EventRouterError) in
            try ArchiveReplayRunner.request(archive: name, from: from ?? .epoch, to: to ?? .epoch, rules: ruleNames, replayName: replayName, workspace: workspace)
        }
        let bytes: [UInt8]
        if file == "-" {
            let input = await withCheckedContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(returning: Result { () throws(TextFileError) in try TextFile.readStandardInput() }) }
            }
            bytes = try input.get()
        } else {
            bytes = try ReplayRunner.readEventsFile(file)
        }
        let input = try ReplayInput(bytes: bytes)
        let (summary, runtime): (ReplaySummary, RouterRuntime)
        if let request {
            let outcome = try await ReplayRunner.run(input: input, thenReplay: request, workspace: workspace, options: options) { Output.out($0.text) }
            (summary, runtime) = (outcome.summary, outcome.runtime)
            Output.out("\n" + outcome.report.text)
        } else {
            (summary, runtime) = try await ReplayRunner.run(input: input, workspace: workspace, options: options)
            Output.out(summary.text)
        }
        if let stateOut {
            do {
                try await StateFile.store(stateOut).replace(with: await runtime.completeStateJSON().jsonText + "\n", whileWaiting: StateFile.waiting(name))
            } catch {
                Output.err("eventrouter replay: --state-out: \(error)\n")
                return 1
            }
            Output.out("state written to \(stateOut)\n")
        }
        if let problem = summary.settleProblem {
            Output.err("the replay did not settle: \(problem)\n")
            return 1
        }
        return 0
    }
}
