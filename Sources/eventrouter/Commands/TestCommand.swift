import EventRouter
import EventRouterFunctions

/// `eventrouter test`: runs the workspace's scenarios (`Rules/scenarios/*.json`) on virtual
/// time with their faults injected and checks their expectations.
struct TestCommand: Command {
    static let name = "test"
    static let summary = "Run the workspace's scenarios (events, injected faults, expectations) on virtual time"
    static let help = """
        Usage: eventrouter test [SCENARIO...] [--workspace DIR] [--junit FILE] [--seed N]

        Runs each scenario (default: every Rules/scenarios/*.json of the workspace) on a fresh
        router built from the workspace, on a virtual clock: its events are put at their times,
        its faults are injected (a target failing with an error code for its first attempts, in
        a window of time or always; a function failing, timing out or throttled; a stream
        throttling), and when every delivery has settled (or the scenario's Horizon is reached)
        its expectations are checked against the final state. See docs/scenarios.md.

        Prints one line per scenario: PASS, FAIL with the first expectation that did not hold
        (expected versus actual, and the delivery trace of the event concerned), or INVALID with
        each problem of the file by JSON path. Exits 1 when any scenario fails or is invalid.

        Options:
          --workspace DIR   the folder that holds Rules/ and Functions/ (default: the current folder)
          --junit FILE      also write the results as JUnit XML
          --seed N          seed for jitter, event ids and message ids (default 1): the output is
                            the same, byte for byte, for the same seed
        """

    static func run(_ arguments: inout Arguments) async throws -> Int32 {
        let directory = try arguments.option("workspace") ?? "."
        let junit = try arguments.option("junit")
        var seed: UInt64 = 1
        if let text = try arguments.option("seed") {
            guard let n = UInt64(text) else { throw UsageError("--seed takes a whole number from 0 to 18446744073709551615, got '\(text)'") }
            seed = n
        }
        var paths: [String] = []
        while let p = arguments.positional() { paths.append(p) }
        try arguments.finish()

        let registry = CompiledFunctions.registry()
        let loaded = WorkspaceLoader.validate(directory: directory, functionRegistry: registry)
        guard let workspace = loaded.workspace else {
            for problem in loaded.problems { Output.err(problem.description + "\n") }
            Output.err("the workspace has errors; fix them (see 'eventrouter validate') and run again\n")
            return 1
        }
        var shown: [String: String] = [:]
        if paths.isEmpty {
            paths = ScenarioSuite.files(inWorkspace: directory)
            for p in paths { shown[p] = ScenarioSuite.folder + "/" + String(p.split(separator: "/").last ?? Substring(p)) }
        }
        guard !paths.isEmpty else {
            Output.err("no scenarios: put scenario files in \(ScenarioSuite.folder)/ of the workspace or name them (see docs/scenarios.md)\n")
            return 1
        }
        var entries: [ScenarioSuite.Entry] = []
        for path in paths {
            let entry = await ScenarioSuite.run(path: path, shownPath: shown[path], workspace: workspace, directory: directory, seed: seed, functionRegistry: registry)
            Output.out(entry.text)
            entries.append(entry)
        }
        let failed = entries.count { !$0.passed }
        Output.out("\(entries.count - failed) of \(entries.count) scenario\(entries.count == 1 ? "" : "s") passed (seed \(seed))\n")
        if let junit {
            do {
                try AtomicFile.write(Array(ScenarioSuite.junit(entries, seed: seed).utf8), to: junit)
            } catch {
                Output.err("eventrouter test: --junit: \(error)\n")
                return 1
            }
        }
        return failed == 0 ? 0 : 1
    }
}
