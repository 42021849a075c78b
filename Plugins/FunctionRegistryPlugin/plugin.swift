import Foundation
import PackagePlugin

/// Compiles the Swift functions of `Functions/` into the target it is applied to.
///
/// Every build, it lists `Functions/*/function.json` and `Functions/*/*.swift` and runs
/// `FunctionRegistryGenerator`, which copies the Swift files into the build and writes
/// `CompiledFunctions.swift` with one `registry.register(…)` per function whose manifest says
/// `"Runtime": "swift"`. Adding a function folder is therefore all it takes to register it.
@main
struct FunctionRegistryPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let functions = context.package.directoryURL.appending(path: "Functions")
        let fm = FileManager.default
        var inputs: [URL] = []
        var outputs: [URL] = []
        let out = context.pluginWorkDirectoryURL.appending(path: "Generated")
        let folders = ((try? fm.contentsOfDirectory(atPath: functions.path)) ?? []).sorted()
        for folder in folders where !folder.hasPrefix(".") {
            let dir = functions.appending(path: folder)
            let manifest = dir.appending(path: "function.json")
            guard fm.fileExists(atPath: manifest.path) else { continue }
            inputs.append(manifest)
            let files = ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
            for file in files where file.hasSuffix(".swift") {
                inputs.append(dir.appending(path: file))
                outputs.append(out.appending(path: "\(folder)_\(file)".replacingOccurrences(of: "-", with: "_")))
            }
        }
        outputs.append(out.appending(path: "CompiledFunctions.swift"))
        return [
            .buildCommand(
                displayName: "Generating the registry of Swift functions in Functions/",
                executable: try context.tool(named: "FunctionRegistryGenerator").url,
                arguments: [functions.path, out.path],
                inputFiles: inputs,
                outputFiles: outputs)
        ]
    }
}
