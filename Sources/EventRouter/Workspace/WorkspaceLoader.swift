/// Loads and validates a workspace: every `*.json` file directly inside `DIR/Rules/`
/// (subfolders and other files are ignored), in name order.
public enum WorkspaceLoader {
    /// The outcome of validating a workspace: every problem, and the workspace when there were no errors.
    public struct Result: Sendable {
        /// `nil` when any problem is an error.
        public var workspace: Workspace?
        /// Errors and warnings, in file order.
        public var problems: [ValidationProblem]
        /// The files read, relative to the workspace.
        public var files: [String]

        /// Whether loading failed.
        public var hasErrors: Bool { workspace == nil }

        /// `3 errors in 2 files`: the errors and the files they are in (rule files and
        /// function manifests alike).
        public var errorSummary: String {
            let errors = problems.filter { $0.severity == .error }
            let files = Set(errors.map(\.file)).count
            return "\(errors.count) error\(errors.count == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s")"
        }
    }

    /// Validates in-memory rule files (name, text), in the given order, with the functions
    /// of `Functions/` (and the problems found reading them) given by the caller.
    public static func validate(files: [(name: String, text: String)], defaults: RouterDefaults = RouterDefaults(),
                                functions: [FunctionManifest] = [], functionProblems: [ValidationProblem] = [],
                                standInQueue: String? = nil) -> Result {
        var validator = WorkspaceValidator(defaults: defaults)
        validator.standInQueue = standInQueue
        validator.addFunctions(functions, problems: functionProblems)
        for f in files { validator.readFile(name: f.name, text: f.text) }
        let workspace = validator.finish()
        return Result(workspace: workspace, problems: validator.problems, files: files.map(\.name))
    }

    /// Validates the workspace in `directory` (the folder holding `Rules/`).
    /// Functions come from `DIR/Functions/*/function.json`; with `functionRegistry`, a Swift
    /// function whose handler is not compiled in is an error too. With `standInQueue`, targets of
    /// kinds EventRouter does not run are warnings and go to that queue (``StandInTarget``).
    public static func validate(directory: String, defaults: RouterDefaults = RouterDefaults(),
                                functionRegistry: SwiftFunctionRegistry? = nil, standInQueue: String? = nil) -> Result {
        let read = WorkspaceRuleFiles(directory: directory)
        guard read.hasFolder else { return Result(workspace: nil, problems: read.problems, files: []) }
        let (functions, functionProblems) = scanFunctions(directory: directory, defaults: defaults, registry: functionRegistry)
        var result = validate(files: read.files, defaults: defaults, functions: functions, functionProblems: functionProblems,
                              standInQueue: standInQueue)
        if !read.problems.isEmpty {
            result.problems = read.problems + result.problems
            result.workspace = nil
        }
        return result
    }

    /// Loads the workspace in `directory`.
    /// - Throws: ``WorkspaceValidationError`` with every problem when any is an error.
    public static func load(directory: String, defaults: RouterDefaults = RouterDefaults(),
                            functionRegistry: SwiftFunctionRegistry? = nil) throws(WorkspaceValidationError) -> Workspace {
        let result = validate(directory: directory, defaults: defaults, functionRegistry: functionRegistry)
        guard let workspace = result.workspace else { throw WorkspaceValidationError(problems: result.problems) }
        return workspace
    }
}
