#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

// Release-mode benchmarks: `swift run -c release eventrouter-bench SUBCOMMAND [OPTIONS]`.
// Each subcommand lives in its own file as `enum NameBenchmark { static let summary: String;
// static func run(_ arguments: [String]) … }`; add it to `subcommands` below.

/// Runs an `async throws` benchmark and turns an error into exit status 1.
func asyncCommand(_ name: String, _ body: @escaping @Sendable ([String]) async throws -> Void) -> @Sendable ([String]) async -> Int32 {
    { arguments in
        do {
            try await body(arguments)
            return 0
        } catch {
            Console.err("eventrouter-bench \(name): \(error)\n")
            return 1
        }
    }
}

let subcommands: [(name: String, summary: String, run: @Sendable ([String]) async -> Int32)] = [
    ("patterns", PatternBenchmark.summary, { PatternBenchmark.run($0) }),
    ("routing", RoutingBenchmark.summary, asyncCommand("routing", RoutingBenchmark.run)),
    ("queues", QueueBenchmark.summary, asyncCommand("queues", QueueBenchmark.run)),
    ("topics", TopicBenchmark.summary, asyncCommand("topics", TopicBenchmark.run)),
    ("streams", StreamBenchmark.summary, asyncCommand("streams", StreamBenchmark.run)),
    ("functions", FunctionBenchmark.summary, asyncCommand("functions", FunctionBenchmark.run)),
    ("runtime-api", FunctionBenchmark.runtimeAPISummary, asyncCommand("runtime-api", FunctionBenchmark.runRuntimeAPI)),
    ("http", HTTPBenchmark.summary, asyncCommand("http", HTTPBenchmark.run)),
    ("journal", JournalBenchmark.summary, asyncCommand("journal", JournalBenchmark.run)),
    ("durability", DurabilityBenchmark.summary, asyncCommand("durability", DurabilityBenchmark.run)),
]

@MainActor
func usage() -> String {
    var text = "Usage: swift run -c release eventrouter-bench SUBCOMMAND [OPTIONS]\n\nSubcommands:\n"
    for s in subcommands { text += "  \(s.name)\(String(repeating: " ", count: max(1, 12 - s.name.count)))\(s.summary)\n" }
    return text + "\nRun 'eventrouter-bench SUBCOMMAND --help' for its options.\n"
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, name != "--help", name != "-h" else {
    Console.err(usage())
    exit(arguments.isEmpty ? 2 : 0)
}
guard let subcommand = subcommands.first(where: { $0.name == name }) else {
    Console.err("eventrouter-bench: unknown subcommand '\(name)'\n\n" + usage())
    exit(2)
}
let rest = Array(arguments.dropFirst())
// No top-level `await` and no `dispatchMain()`: valgrind cannot run an async main or a main
// thread that exits through `dispatchMain` (it crashes inside valgrind), and callgrind's
// instruction counts are how the benchmarks are compared on a busy machine. The main thread
// sleeps while the benchmark runs on the cooperative pool and exits the process.
if name == "patterns" { exit(PatternBenchmark.run(rest)) }
let run = subcommand.run
Task.detached { exit(await run(rest)) }
while true { sleep(3600) }
