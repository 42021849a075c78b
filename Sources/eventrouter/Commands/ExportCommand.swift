#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Foundation
import EventRouter
import EventRouterCloudFormation

/// `eventrouter export rules`: writes the resources created through the API of a running
/// router as rule files (docs/hot-reload.md; logic: ``RouterRuntime/exportAPIResources(origins:)``
/// and ``RuleFileExport``). `eventrouter export cloudformation`: a workspace → a template that
/// deploys to AWS (logic: ``CloudFormationExporter``).
struct ExportCommand: Command {
    static let name = "export"
    static let summary = "Export API-created resources as rule files, or the workspace as a CloudFormation template"
    static let help = """
        Usage: eventrouter export rules [--url URL | --state FILE] [--out DIR]
               eventrouter export cloudformation [--workspace DIR] [--format yaml|json] [--out FILE] [--account ID]

        export rules asks a running 'eventrouter run' (GET URL/_eventrouter/export) for the buses,
        rules, queues, topics and streams created through its API — not those that come from its
        rule files — and writes them as rule files, one per account and region
        (DIR/api-ACCOUNT-REGION.json, replacing an earlier export of that name), so a workflow
        assembled with an SDK can be committed. 'run' on a workspace holding these files
        creates the same resources. What cannot be written as a rule file (a schedule-only
        rule, an http subscription, a subscription added to a topic of the files) is listed
        on stderr.

          --url URL     the router (default http://127.0.0.1:4566)
          --state FILE  read a document saved from GET /_eventrouter/export instead
          --out DIR     the folder to write to (default Rules)

        export cloudformation writes a CloudFormation template with the SAM transform for one
        account of the workspace: buses, bus policies, archives, queues, topics and
        subscriptions, streams, functions (CodeUri Functions/NAME/; process and Swift functions
        are flagged in Metadata as needing a Lambda build), event source mappings and rules,
        with the IAM role and the queue, topic and function permissions EventBridge needs. The
        workspace must validate. To standard output without --out.

          --workspace DIR   the folder that holds Rules/ (and Functions/); default: current folder
          --format F        yaml (default) or json
          --out FILE        write the template to FILE
          --account ID      the account to export (default: the first rule file's); one template per account
        """

    static func run(_ arguments: inout Arguments) async throws -> Int32 {
        switch arguments.positional() {
        case "rules": try await exportRules(&arguments)
        case "cloudformation": try await exportCloudFormation(&arguments)
        case nil: throw UsageError("say what to export: eventrouter export rules, or eventrouter export cloudformation")
        case let what?: throw UsageError("unknown export '\(what)'; the export command has: rules, cloudformation")
        }
    }

    /// `export rules`.
    private static func exportRules(_ arguments: inout Arguments) async throws -> Int32 {
        let url = try arguments.option("url")
        let stateFile = try arguments.option("state")
        let out = try arguments.option("out") ?? "Rules"
        try arguments.finish()
        if url != nil && stateFile != nil { throw UsageError("give --url or --state, not both") }

        let text: String
        if let stateFile {
            guard let read = try TextFile.read(stateFile) else { throw UsageError("--state: no file \(stateFile)") }
            text = read
        } else {
            let base = url ?? "http://127.0.0.1:4566"
            guard let endpoint = URL(string: base.hasSuffix("/") ? base + "_eventrouter/export" : base + "/_eventrouter/export"),
                  endpoint.scheme == "http" || endpoint.scheme == "https" else {
                throw UsageError("--url must be an http URL such as http://127.0.0.1:4566, got '\(base)'")
            }
            do {
                let (data, response) = try await URLSession.shared.data(from: endpoint)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                text = String(decoding: data, as: UTF8.self)
                guard status == 200 else {
                    Output.err("eventrouter export: \(endpoint) answered \(status): \(text)\n")
                    return 1
                }
            } catch {
                Output.err("eventrouter export: cannot reach \(endpoint): \(error.localizedDescription) (is 'eventrouter run' serving there? pass --url)\n")
                return 1
            }
        }
        let document: JSONValue
        do { document = try JSONParser.parse(text) } catch {
            Output.err("eventrouter export: the export is not valid JSON: \(error)\n")
            return 1
        }
        let written: RuleFileExport.Written
        do { written = try RuleFileExport.write(document, to: out) } catch {
            Output.err("eventrouter export: \(error.description)\n")
            return 1
        }
        for note in written.skipped { Output.err("not exported: \(note)\n") }
        if written.files.isEmpty { Output.out("nothing to export: every resource of the router comes from its rule files\n") }
        for file in written.files { Output.out("wrote \(file.path) (\(file.summary))\n") }
        return 0
    }

    /// `export cloudformation`.
    private static func exportCloudFormation(_ arguments: inout Arguments) async throws -> Int32 {
        let directory = try arguments.option("workspace") ?? "."
        let format = try arguments.option("format") ?? "yaml"
        let out = try arguments.option("out")
        let account = try arguments.option("account")
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
