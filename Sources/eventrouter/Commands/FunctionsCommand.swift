import EventRouter
import EventRouterFunctions

/// `eventrouter functions [--workspace DIR]`: lists the registered functions and their settings as JSON.
struct FunctionsCommand: Command {
    static let name = "functions"
    static let summary = "List the handler functions in Functions/ with their settings (JSON)"
    static let help = """
        Usage: eventrouter functions [--workspace DIR]

        Lists every Functions/NAME/function.json as JSON: {"Functions": [...], "Problems": [...]},
        with each function's ARN, runtime, handler, mode, timeout, reserved concurrency, retry
        settings, destinations, dead-letter queue and environment. Swift functions also show
        whether their handler is compiled in. Exits 1 when a manifest has problems.

        Options:
          --workspace DIR   the folder holding Functions/ (default: the current directory)
        """

    static func run(_ arguments: inout Arguments) async throws -> Int32 {
        let workspace = try arguments.option("workspace") ?? "."
        try arguments.finish()
        let registry = CompiledFunctions.registry()
        let functions = FunctionWorkspace(workspace: workspace, registry: registry)
        var listing = functions.listingJSON
        if case .object(var o) = listing, case .array(let items) = o["Functions"] ?? .null {
            o["Functions"] = .array(items.map { item in
                guard case .object(var f) = item, f["Runtime"] == "swift", let handler = f["Handler"]?.stringValue else { return item }
                f["CompiledIn"] = .bool(registry.handler(named: handler) != nil)
                return .object(f)
            })
            listing = .object(o)
        }
        Output.out(listing.jsonText + "\n")
        for problem in functions.problems { Output.err("eventrouter functions: \(problem)\n") }
        return functions.problems.isEmpty ? 0 : 1
    }
}
