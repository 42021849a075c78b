import Foundation
import EventRouter
import EventRouterCloudFormation

/// `eventrouter import`: CloudFormation/SAM templates → a workspace (docs/cloudformation.md).
struct ImportCommand: Command {
    static let name = "import"
    static let summary = "Import CloudFormation/SAM templates into a workspace"
    static let help = """
        Usage: eventrouter import TEMPLATE[@STACK[:ACCOUNT[:REGION]]]... --out DIR
                                  [--stack-name NAME] [--account ID] [--region REGION] [--parameter KEY=VALUE]...

        Reads each template (YAML or JSON) as one stack and writes DIR/Rules/*.json, DIR/Functions/NAME/
        and DIR/IMPORT-REPORT.md (also printed): what was imported, skipped, declared or stood in for.
        Intrinsic functions, parameters, conditions, mappings and Outputs/Export with Fn::ImportValue
        across the given templates are resolved; unnamed resources get CloudFormation-style names.
        Every problem of every template is reported at once (FILE:LINE: LogicalId: message) and nothing
        is written; the exit status is then 1 (2: a usage error).

        Options:
          --out DIR              the workspace folder to write (must not exist or be empty)
          --stack-name NAME      stack name of templates without @STACK (default: the file name)
          --account ID           account of templates without one (default 123456789012)
          --region REGION        region of templates without one (default us-east-1)
          --parameter KEY=VALUE  a parameter value for every template that declares KEY (repeatable)
        """

    static func run(_ arguments: inout Arguments) async throws -> Int32 {
        let out = try arguments.requiredOption("out")
        let (sources, options) = try readTemplates(&arguments)
        try arguments.finish()
        let result: TemplateImporter.Result
        do {
            result = try TemplateImporter.run(sources, options: options)
        } catch {
            Output.err("eventrouter import: \(error)\n")
            return 1
        }
        do {
            try ImportedWorkspaceWriter.write(result.files, to: out)
        } catch {
            Output.err("eventrouter import: \(error)\n")
            return 1
        }
        Output.out(result.report + "\nWrote \(out) (check it with: eventrouter validate --workspace \(out))\n")
        return 0
    }

    /// The templates and options shared by `import` and `run --template`.
    static func readTemplates(_ arguments: inout Arguments, optionName: String? = nil) throws -> ([TemplateSource], ImportOptions) {
        let stackName = try arguments.option("stack-name")
        let account = try arguments.option("account") ?? FunctionManifest.defaultAccount
        let region = try arguments.option("region") ?? FunctionManifest.defaultRegion
        var parameters: [String: String] = [:]
        for p in try arguments.repeatedOption("parameter") {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else { throw UsageError("--parameter takes KEY=VALUE, got '\(p)'") }
            parameters[String(p[..<eq])] = String(p[p.index(after: eq)...])
        }
        var specs: [String] = []
        if let optionName {
            specs = try arguments.repeatedOption(optionName)
        } else {
            while let p = arguments.positional() { specs.append(p) }
        }
        guard !specs.isEmpty else { throw UsageError("give at least one TEMPLATE") }
        do {
            return (try ImportedWorkspaceWriter.sources(specs, stackName: stackName, account: account, region: region), ImportOptions(parameters: parameters))
        } catch {
            throw UsageError(error.description)
        }
    }
}

extension ImportCommand {
    /// `run --template TEMPLATE…` (with import's --stack-name/--account/--region/--parameter):
    /// imports into a new temporary folder and returns it; `nil` without `--template`.
    static func workspaceForRun(_ arguments: inout Arguments) throws -> String? {
        guard arguments.items.contains(where: { $0 == "--template" || $0.hasPrefix("--template=") }) else { return nil }
        if arguments.items.contains(where: { $0 == "--workspace" || $0.hasPrefix("--workspace=") }) {
            throw UsageError("give --template or --workspace, not both")
        }
        let (sources, options) = try readTemplates(&arguments, optionName: "template")
        let result = try TemplateImporter.run(sources, options: options)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eventrouter-template-\(UUID().uuidString)").path
        try ImportedWorkspaceWriter.write(result.files, to: directory)
        Output.err(result.report + "\nImported into \(directory)\n\n")
        return directory
    }
}
