import Foundation

/// Finds the registered functions: every `Functions/NAME/function.json` under a workspace.
///
/// Registering a function is adding its folder; nothing else is edited. Folders without a
/// `function.json` are ignored; broken manifests are reported, not skipped silently.
public struct FunctionLoader: Sendable {
    /// What a scan found.
    public struct Result: Sendable {
        /// Valid manifests, sorted by name.
        public var functions: [FunctionManifest]
        /// Every problem, across all manifests.
        public var problems: [ValidationProblem]
    }

    /// The workspace holding `Functions/`.
    public var workspace: String
    /// The region of the functions' ARNs.
    public var region: String

    public init(workspace: String, region: String = FunctionManifest.defaultRegion) {
        self.workspace = workspace
        self.region = region
    }

    /// The `Functions/` folder.
    public var functionsFolder: String { (workspace as NSString).appendingPathComponent("Functions") }

    /// Scans `Functions/*/function.json`; a missing `Functions/` folder yields no functions, a
    /// workspace folder that does not exist is a problem naming it.
    public func scan() -> Result {
        let fm = FileManager.default
        var result = Result(functions: [], problems: [])
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: workspace, isDirectory: &isDirectory), isDirectory.boolValue else {
            let what = fm.fileExists(atPath: workspace) ? "is not a folder" : "does not exist"
            result.problems.append(ValidationProblem(file: workspace, path: "$", "the workspace folder \(what); pass --workspace DIR with the folder that holds Functions/"))
            return result
        }
        guard let entries = try? fm.contentsOfDirectory(atPath: functionsFolder) else { return result }
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            let folder = (functionsFolder as NSString).appendingPathComponent(entry)
            let manifestPath = (folder as NSString).appendingPathComponent("function.json")
            // attributesOfItem does not follow links: a link to nothing is reported, not skipped.
            guard (try? fm.attributesOfItem(atPath: manifestPath)) != nil else { continue }
            let text: String
            do {
                guard let read = try TextFile.read(manifestPath, limit: WorkspaceRuleFiles.maximumFileSize) else { continue }
                text = read
            } catch {
                result.problems.append(ValidationProblem(file: manifestPath, path: "$", error.description))
                continue
            }
            do {
                let manifest = try FunctionManifest(json: text, folder: folder, region: region)
                if let problem = Self.checkHandlerFile(manifest, file: manifestPath) {
                    result.problems.append(problem)
                } else {
                    result.functions.append(manifest)
                }
            } catch {
                result.problems += error.problems
            }
        }
        return result
    }

    /// Loads all functions, failing when any manifest has a problem.
    /// - Throws: ``FunctionManifestError`` with every problem found.
    public func load() throws(FunctionManifestError) -> [FunctionManifest] {
        let r = scan()
        if !r.problems.isEmpty { throw FunctionManifestError(problems: r.problems) }
        return r.functions
    }

    /// For a process function: the handler must exist and be executable.
    static func checkHandlerFile(_ manifest: FunctionManifest, file: String) -> ValidationProblem? {
        switch manifest.runtime {
        case .swift: return nil
        case .process: break
        case .provided:
            let path = (manifest.folder as NSString).appendingPathComponent("bootstrap")
            guard FileManager.default.fileExists(atPath: path) else {
                return ValidationProblem(file: file, path: "$.Runtime", "a \(manifest.runtimeName) function runs the executable 'bootstrap' in its folder, and \(manifest.folder) has none; add it (it talks to the Lambda Runtime API at $AWS_LAMBDA_RUNTIME_API)")
            }
            guard FileManager.default.isExecutableFile(atPath: path) else {
                return ValidationProblem(file: file, path: "$.Runtime", "'bootstrap' is not executable; run chmod +x \(path)")
            }
            return nil
        case .python, .nodejs:
            let name = LambdaHandlerName(manifest.handler, runtime: manifest.runtime)
            let candidates = name.candidateFiles(runtime: manifest.runtime)
            if candidates.contains(where: { FileManager.default.fileExists(atPath: (manifest.folder as NSString).appendingPathComponent($0)) }) { return nil }
            return ValidationProblem(file: file, path: "$.Handler", "'\(manifest.handler)' names the module '\(name.modulePath)', but \(manifest.folder) has none of \(candidates.joined(separator: ", "))")
        }
        let path = (manifest.folder as NSString).appendingPathComponent(manifest.handler)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return ValidationProblem(file: file, path: "$.Handler", "'\(manifest.handler)' does not exist in \(manifest.folder)")
        }
        guard FileManager.default.isExecutableFile(atPath: path) else {
            return ValidationProblem(file: file, path: "$.Handler", "'\(manifest.handler)' is not executable; run chmod +x \(path)")
        }
        return nil
    }
}
