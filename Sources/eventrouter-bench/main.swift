#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Release-mode benchmarks: `swift run -c release eventrouter-bench SUBCOMMAND [OPTIONS]`.
// Each subcommand lives in its own file as `enum NameBenchmark { static let summary: String;
// static func run(_ arguments: [String]) -> Int32 }`; add it to `subcommands` below.

let subcommands: [(name: String, summary: String, run: ([String]) -> Int32)] = [
    ("patterns", PatternBenchmark.summary, PatternBenchmark.run),
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
exit(subcommand.run(Array(arguments.dropFirst())))
