import EventRouter
import EventRouterFunctions

/// `eventrouter graph`: draws the workspace as Mermaid, Graphviz DOT or JSON.
struct GraphCommand: Command {
    static let name = "graph"
    static let summary = "Draw the workspace (buses, rules, targets, functions, DLQs, …) as Mermaid, DOT or JSON"
    static let help = """
        Usage: eventrouter graph [--workspace DIR] [--format mermaid|dot|json] [--state FILE]

        Prints the workspace as a graph: event buses, rules (with a short form of their pattern
        or their schedule), their targets and dead-letter queues, queues and their redrive
        queues, topics and subscriptions, streams, event source mappings, functions with their
        destinations and dead-letter queues, archives and cross-account links (drawn thicker and
        marked "(cross-account)"). Resources named but not declared (another account's queue) are
        drawn as external. See docs/graph.md.

        Options:
          --workspace DIR   the folder that holds Rules/ and Functions/ (default: the current folder)
          --format F        mermaid (default; renders on GitHub), dot (Graphviz) or json
          --state FILE      a state file (replay --state-out, or GET /_eventrouter/state of a
                            running router): nodes and edges carry what flowed (messages,
                            records, invocations, throttles, dead-lettered events)
        A running router serves the same graph at GET /_eventrouter/graph (?format=dot|json).
        """

    static func run(_ arguments: inout Arguments) async throws -> Int32 {
        let directory = try arguments.option("workspace") ?? "."
        let formatText = try arguments.option("format") ?? "mermaid"
        guard let format = WorkspaceGraph.Format(rawValue: formatText) else {
            throw UsageError("--format takes mermaid, dot or json, not '\(formatText)'")
        }
        let statePath = try arguments.option("state")
        try arguments.finish()
        let loaded = WorkspaceLoader.validate(directory: directory, functionRegistry: CompiledFunctions.registry())
        guard let workspace = loaded.workspace else {
            for problem in loaded.problems { Output.err(problem.description + "\n") }
            Output.err("the workspace has errors; fix them (see 'eventrouter validate') and run again\n")
            return 1
        }
        var state: JSONValue?
        if let statePath {
            do {
                guard let text = try TextFile.read(statePath) else { throw UsageError("--state: no such file '\(statePath)'") }
                state = try JSONValue(parsing: text)
            } catch let e as UsageError {
                throw e
            } catch {
                Output.err("eventrouter graph: --state \(statePath): \(error)\n")
                return 1
            }
            if state?.objectValue == nil {
                Output.err("eventrouter graph: --state \(statePath): a state file is a JSON object (from replay --state-out)\n")
                return 1
            }
        }
        Output.out(WorkspaceGraph(workspace: workspace, state: state).render(format))
        return 0
    }
}
