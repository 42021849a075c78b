import Foundation
import EventRouter
import EventRouterCloudFormation

/// `eventrouter export cloudformation`: a workspace → a template that deploys to AWS.
struct ExportCommand: Command {
    static let name = "export"
    static let summary = "Export the workspace as a CloudFormation (SAM) template"
    static let help = """
        Usage: eventrouter export cloudformation [--workspace DIR] [--format yaml|json] [--out FILE] [--account ID]

        Writes a CloudFormation template with the SAM transform for one account of the workspace:
        buses, bus policies, archives, queues, topics and subscriptions, streams, functions (CodeUri Functions/NAME/; process and Swift functions are flagged in Metadata as
        needing a Lambda build), event source mappings and rules, with the IAM role and the queue,
        topic and function permissions EventBridge needs. The workspace must validate.
        To standard output without --out.

        Options:
          --workspace DIR   the folder that holds Rules/ (and Functions/); default: current folder
          --format F        yaml (default) or json
          --out FILE        write the template to FILE
          --account ID      the account to export (default: the first rule file's); one template per account
        """

    static func run(_ arguments: inout Arguments) async throws -> Int32 {
        let directory = try arguments.option("workspace") ?? "."
        let format = try arguments.option("format") ?? "yaml"
        let out = try arguments.option("out")
        let account = try arguments.option("account")
        guard let what = arguments.positional() else { throw UsageError("say what to export: eventrouter export cloudformation") }
        guard what == "cloudformation" else { throw UsageError("unknown export '\(what)'; the one export is 'cloudformation'") }
        guard format == "yaml" || format == "json" else { throw UsageError("--format is yaml or json, got '\(format)'") }
        try arguments.finish()
        let template: JSONValue
        do {
            template = try CloudFormationExporter.export(directory: directory, account: account)
        } catch {
            Output.err("eventrouter export: \(error)\n")
            return 1
        }
        let text = format == "json" ? JSONPrettyPrinter.format(template) + "\n" : YAMLWriter.write(template)
        if let out {
            do { try text.write(toFile: out, atomically: true, encoding: .utf8) } catch {
                Output.err("eventrouter export: cannot write \(out): \(error.localizedDescription)\n")
                return 1
            }
        } else {
            Output.out(text)
        }
        return 0
    }
}
