import EventRouter
import EventRouterFunctions
import Foundation

/// `eventrouter permission add|remove`: PutPermission / RemovePermission on a bus of the workspace,
/// written into the rule file that declares the bus.
struct PermissionCommand: Command {
    static let name = "permission"
    static let summary = "Allow or stop another account putting events on a bus (edits the bus's Policy)"
    static let flags: Set<String> = ["all", "print"]
    static let help = """
        Usage: eventrouter permission add --bus BUS --account ACCOUNT|* --statement-id SID [--org o-…]
                                          [--bus-account ID] [--workspace DIR] [--print]
               eventrouter permission remove --bus BUS (--statement-id SID | --all)
                                          [--bus-account ID] [--workspace DIR] [--print]

        Like EventBridge's PutPermission and RemovePermission: 'add' gives the bus a policy
        statement that allows events:PutEvents to ACCOUNT (a 12-digit id, or * for every
        account, then usually with --org to limit it to an organization); 'remove' deletes the
        statement SID (or, with --all, the whole policy). A statement with the same SID is
        replaced.

        The bus's "Policy" is edited in the rule file that declares it (an account's default bus
        that no file declares is added to the first rule file of that account), and that file is
        rewritten pretty-printed. Nothing is written if the workspace would not validate after
        the change. The new policy is printed.

        Options:
          --bus BUS         the bus: a name (in --bus-account) or an event-bus ARN
          --bus-account ID  the account of a bus given by name (default: 123456789012)
          --account ID|*    (add) the account allowed to put events on the bus
          --org o-…         (add) only senders of this organization (aws:PrincipalOrgID)
          --statement-id S  the statement's id (1-64 letters, digits, - or _)
          --all             (remove) remove every statement
          --workspace DIR   the folder that holds Rules/ (default: the current folder)
          --print           print the new policy only; do not change any file
        """

    static func run(_ arguments: inout Arguments) async throws -> Int32 {
        guard let action = arguments.positional(), action == "add" || action == "remove" else {
            throw UsageError("say 'permission add' or 'permission remove'")
        }
        let directory = try arguments.option("workspace") ?? "."
        let bus = try arguments.requiredOption("bus")
        let busAccount = try arguments.option("bus-account")
        let statementId = try arguments.option("statement-id")
        let principal = try arguments.option("account")
        let organization = try arguments.option("org")
        let all = arguments.flag("all")
        let printOnly = arguments.flag("print")
        try arguments.finish()

        let edit: RuleFilePermissionEditor.Edit
        if action == "add" {
            guard let principal else { throw UsageError("permission add needs --account ACCOUNT (or * with --org)") }
            guard let statementId else { throw UsageError("permission add needs --statement-id SID") }
            guard !all else { throw UsageError("--all is for 'permission remove'") }
            edit = .add(PermissionGrant(statementId: statementId, principal: principal, organizationId: organization))
        } else {
            guard principal == nil, organization == nil else { throw UsageError("permission remove takes --statement-id SID or --all, not --account or --org") }
            guard (statementId == nil) != !all else { throw UsageError("permission remove needs either --statement-id SID or --all") }
            edit = .remove(statementId: statementId)
        }
        let read = WorkspaceRuleFiles(directory: directory)
        guard read.hasFolder else {
            Output.err("no Rules/ folder in '\(directory)'; pass --workspace DIR with the folder that holds Rules/\n")
            return 1
        }
        let files = read.files
        let result: RuleFilePermissionEditor.Result
        do {
            let functions = WorkspaceLoader.scanFunctions(directory: directory, registry: CompiledFunctions.registry()).0
            result = try RuleFilePermissionEditor.apply(edit, bus: bus, account: busAccount, files: files, functions: functions)
        } catch {
            Output.err("eventrouter permission: \(error.message)\n")
            return 1
        }
        let policyText = result.policy.map { JSONPrettyPrinter.format($0) } ?? "(no policy: the bus accepts events from its own account only)\n"
        if printOnly {
            Output.out(policyText)
            return 0
        }
        let path = (directory as NSString).appendingPathComponent(result.file)
        do {
            try TextFile.write(result.text, to: path)
        } catch {
            Output.err("cannot write '\(path)'\n")
            return 1
        }
        Output.out("updated the policy of \(result.busArn) in \(result.file):\n" + policyText)
        return 0
    }
}
