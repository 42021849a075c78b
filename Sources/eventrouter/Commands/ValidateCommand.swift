import EventRouter
import EventRouterFunctions

/// `eventrouter validate`: checks every rule file of a workspace and reports every problem.
struct ValidateCommand: Command {
    static let name = "validate"
    static let summary = "Check the workspace's rule files and report every problem"
    static let help = """
        Usage: eventrouter validate [--workspace DIR] [--stand-in-queue NAME]

        Reads every *.json file directly inside DIR/Rules/ and every DIR/Functions/*/function.json
        (default DIR: the current folder), then every scenario in DIR/Rules/scenarios/ against
        them (checked, not run: `eventrouter test` runs them), and reports every problem at once,
        one per line: FILE: JSON-PATH: error|warning: REASON.
        Exits 0 when there are no errors (warnings are allowed), 1 otherwise.

        Options:
          --workspace DIR   the folder that holds Rules/ (and Functions/)
          --stand-in-queue NAME
                            targets EventRouter does not run (Step Functions, ECS, Batch, SSM, …)
                            are warnings, and their deliveries go to this standard queue of the
                            default account (created unless a rule file declares it)
        """

    static func run(_ arguments: inout Arguments) async throws -> Int32 {
        let directory = try arguments.option("workspace") ?? "."
        let standInQueue = try arguments.option("stand-in-queue")
        try arguments.finish()
        let result = WorkspaceLoader.validate(directory: directory, functionRegistry: CompiledFunctions.registry(), standInQueue: standInQueue)
        for problem in result.problems { Output.err(problem.description + "\n") }
        guard let workspace = result.workspace else {
            Output.err(result.errorSummary + "\n")
            return 1
        }
        let scenarios = ScenarioSuite.files(inWorkspace: directory).map { path in
            ScenarioSuite.check(path: path, shownPath: ScenarioSuite.folder + "/" + String(path.split(separator: "/").last ?? Substring(path)), workspace: workspace, directory: directory).1
        }
        let scenarioProblems = scenarios.flatMap { (entry: ScenarioSuite.Entry) in entry.problems }
        for problem in scenarioProblems { Output.err(problem.description + "\n") }
        let invalid = scenarios.filter { $0.problems.hasErrors }
        if !invalid.isEmpty {
            let errors = scenarioProblems.count { $0.severity == .error }
            Output.err("\(errors) error\(errors == 1 ? "" : "s") in \(invalid.count) of \(scenarios.count) scenario\(scenarios.count == 1 ? "" : "s"); `eventrouter test` would report them INVALID\n")
            return 1
        }
        let custom = workspace.buses.filter { $0.name != RouterDefaults.defaultBusName }.count
        let targets = workspace.rules.reduce(0) { $0 + $1.targets.count }
        Output.out("ok: \(result.files.count) file\(result.files.count == 1 ? "" : "s"), \(workspace.buses.count) buses (\(custom) custom), "
            + "\(workspace.queues.count) queues, \(workspace.topics.count) topics, \(workspace.streams.count) streams, \(workspace.functions.count) functions, \(workspace.rules.count) rules, \(targets) targets"
            + (workspace.deliveryStreams.isEmpty ? "" : ", \(workspace.deliveryStreams.count) delivery streams")
            + (workspace.warnings.isEmpty ? "" : ", \(workspace.warnings.count) warning\(workspace.warnings.count == 1 ? "" : "s")") + "\n")
        if !scenarios.isEmpty { Output.out("scenarios: \(scenarios.count) checked (run them with `eventrouter test`)\n") }
        if let standIn = workspace.standIn { Output.out(Self.standInLine(standIn, defaults: workspace.defaults) + "\n") }
        return 0
    }

    /// `stand-in queue ARN receives the deliveries of N targets EventRouter does not run`.
    static func standInLine(_ standIn: StandInQueueSetting, defaults: RouterDefaults) -> String {
        "stand-in queue \(standIn.queueArn(defaults)) receives the deliveries of \(standIn.targets.count) target\(standIn.targets.count == 1 ? "" : "s") EventRouter does not run"
    }
}
