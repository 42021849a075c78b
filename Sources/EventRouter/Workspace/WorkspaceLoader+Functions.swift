import Foundation

extension WorkspaceLoader {
    /// Reads `DIR/Functions/*/function.json`: the valid manifests, and every manifest problem
    /// as a ``ValidationProblem`` (file relative to the workspace, JSON path of the key).
    public static func scanFunctions(directory: String, defaults: RouterDefaults = RouterDefaults(),
                                     registry: SwiftFunctionRegistry? = nil) -> ([FunctionManifest], [ValidationProblem]) {
        let scan = FunctionLoader(workspace: directory, region: defaults.region).scan()
        var problems = scan.problems.map { p in
            var relativeProblem = p
            relativeProblem.file = relative(p.file, to: directory)
            return relativeProblem
        }
        var functions: [FunctionManifest] = []
        for f in scan.functions {
            if let registry, f.runtime == .swift, registry.handler(named: f.handler) == nil {
                let known = registry.names.isEmpty ? "none are compiled in" : "compiled in: " + registry.names.joined(separator: ", ")
                problems.append(ValidationProblem(.error, file: "Functions/\(f.name)/function.json", path: "$.Handler",
                    "no Swift handler named '\(f.handler)' is compiled into this build (\(known)); name the handler type, and rebuild after adding a .swift file"))
                continue
            }
            functions.append(f)
        }
        return (functions, problems)
    }

    /// `path` relative to `directory` when it lies inside it.
    static func relative(_ path: String, to directory: String) -> String {
        var prefix = (directory as NSString).standardizingPath
        if !prefix.hasSuffix("/") { prefix += "/" }
        let standardized = (path as NSString).standardizingPath
        if standardized.hasPrefix(prefix) { return String(standardized.dropFirst(prefix.count)) }
        if directory == "." || directory == "./", !path.hasPrefix("/") { return standardized }
        return path
    }
}
