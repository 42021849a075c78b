import EventRouter
import EventRouterFunctions
import Foundation

/// `eventrouter replay`: routes an NDJSON file of events through the workspace and prints a summary.
struct ReplayCommand: Command {
    static let name = "replay"
    static let summary = "Route an NDJSON file of events through the workspace until every delivery settles"
    static let help = """
        Usage: eventrouter replay FILE [--workspace DIR] [--virtual-time] [--seed N] [--state-out FILE] [--trace]

        Each line of FILE is a full event envelope ({"detail-type", "source", "detail", ...}; it
        goes on the default bus of its account) or a PutEvents entry ({"Source", "DetailType",
        "Detail" as a string, optional "EventBusName", "Resources", "Time"}). Every event is put
        on its bus and delivered with retries and dead-letter queues until all deliveries settle,
        including function invocations with Lambda's asynchronous retries and destinations.
        A malformed line is reported with its line number and skipped.

        Options:
          --workspace DIR    the folder that holds Rules/ and Functions/ (default: the current folder)
          --virtual-time     settle on a virtual clock that jumps to the next deadline whenever
                             nothing is runnable (a day of retries takes well under a second;
                             the clock starts at 2024-01-01T00:00:00Z)
          --seed N           seed for jitter, event ids and message ids (default: from the clock;
                             the summary prints it)
          --state-out FILE   write the final state (queues, streams, functions, deliveries, topics) as JSON
          --trace            print, per event, the rules it matched and every delivery attempt
        """

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
        guard let file = arguments.positional() else { throw UsageError("missing the events FILE to replay") }
        try arguments.finish()

        let registry = CompiledFunctions.registry()
        let loaded = WorkspaceLoader.validate(directory: directory, functionRegistry: registry)
        guard let workspace = loaded.workspace else {
            for problem in loaded.problems { Output.err(problem.description + "\n") }
            Output.err("the workspace has errors; fix them (see 'eventrouter validate') and run again\n")
            return 1
        }
        let options = ReplayRunner.Options(
            virtualTime: virtualTime, seed: seed, trace: trace ? { @Sendable line in Output.out(line + "\n") } : nil,
            functionRegistry: registry)
        let (summary, runtime) = try await ReplayRunner.run(file: file, workspace: workspace, options: options)
        Output.out(summary.text)
        if let stateOut {
            let text = await runtime.completeStateJSON().jsonText + "\n"
            guard FileManager.default.createFile(atPath: stateOut, contents: Data(text.utf8)) else {
                Output.err("cannot write the state to '\(stateOut)'\n")
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
