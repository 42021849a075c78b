import Foundation

/// Functions of `Functions/` in the workspace: placement, manifest problems, destinations.
extension WorkspaceValidator {
    /// Adds the functions of `Functions/` (already parsed) and their manifest problems; the
    /// functions' accounts become accounts of the workspace.
    mutating func addFunctions(_ manifests: [FunctionManifest], problems manifestProblems: [ValidationProblem]) {
        functions = manifests
        functionProblems = manifestProblems
        for f in manifests { accounts.insert(f.account) }
    }

    /// Gives each function without `Region` the region of its account's rule files (see
    /// ``FunctionManifest/placed(inRuleFileRegions:defaultRegion:)``); runs once every rule file is read.
    mutating func placeFunctions() {
        functions = functions.map { $0.placed(inRuleFileRegions: ruleFileRegions, defaultRegion: defaults.region) }
        for f in functions { regionsByAccount[f.account, default: []].insert(f.region) }
    }

    /// The error for `subject` (an ARN or a key) naming a function that `Functions/` does not
    /// hold: the region or account to set when a function of that name lives elsewhere,
    /// otherwise a similar name and the folder to add.
    func missingFunction(_ arn: ARN, subject: String) -> String {
        if let hint = FunctionManifest.placementHint(for: arn, among: functions) {
            return "\(subject) names the function '\(arn.name)', which Functions/ does not hold in \(arn.region) for account \(arn.account): \(hint)"
        }
        var message = "\(subject) names the function '\(arn.name)', which Functions/ does not hold for account \(arn.account)"
        if let hint = DidYouMean.suggestion(for: arn.name, among: functions.map(\.name)) { message += " (did you mean '\(hint)'?)" }
        return message + "; add Functions/\(arn.name)/function.json"
    }

    /// Reports manifest problems and checks every function's destinations and dead-letter queue.
    mutating func readFunctions() {
        problems += functionProblems
        for f in functions {
            let file = "Functions/\(f.name)/function.json"
            if f.runtime == .python || f.runtime == .nodejs,
               case .failure(let missing) = RuntimeLaunch.locate(f, path: ProcessInfo.processInfo.environment["PATH"]) {
                warning(file, "$.Runtime", missing.message + "; the function loads, but its invocations fail with \(missing.type) until then")
            }
            let targets: [(String, String?)] = [
                ("$.DestinationConfig.OnSuccess.Destination", f.onSuccessDestination),
                ("$.DestinationConfig.OnFailure.Destination", f.onFailureDestination),
                ("$.DeadLetterConfig.TargetArn", f.deadLetterTargetArn),
            ]
            for (path, text) in targets {
                guard let text else { continue }
                let arn: ARN
                do { arn = try ARN(parsing: text) } catch {
                    self.error(file, path, error.message)
                    continue
                }
                checkFunctionDestination(arn, function: f, file: file, path: path)
            }
        }
    }

    mutating func checkFunctionDestination(_ arn: ARN, function: FunctionManifest, file: String, path: String) {
        let knownAccount = accounts.contains(arn.account)
        switch arn.kind {
        case .queue:
            if let i = queueIndex[arn.description] {
                if queues[i].fifo { error(file, path, "queue '\(arn.name)' is a FIFO queue; Lambda destinations and dead-letter queues must be standard queues") }
            } else if knownAccount {
                error(file, path, undeclared("queue", arn, among: queues.map(\.name)) + "; declare it under Queues in a rule file")
            } else {
                warning(file, path, "account \(arn.account) is not in this workspace, so \(arn) cannot be checked; records sent there are counted as destination failures")
            }
        case .eventBus:
            if busIndex[arn.description] == nil {
                if knownAccount {
                    error(file, path, undeclared("event bus", arn, among: buses.filter { $0.account == arn.account }.map(\.name)) + "; declare it under EventBuses in a rule file")
                } else {
                    warning(file, path, "account \(arn.account) is not in this workspace, so \(arn) cannot be checked; records sent there are counted as destination failures")
                }
            }
        case .function:
            if arn.name == function.name && arn.account == function.account {
                error(file, path, "a function cannot be its own destination")
            } else if !functions.contains(where: { $0.arn == ARN.function(arn.name, account: arn.account, region: arn.region).description }) {
                if knownAccount {
                    error(file, path, missingFunction(arn, subject: arn.description))
                } else {
                    warning(file, path, "account \(arn.account) is not in this workspace, so \(arn) cannot be checked; records sent there are counted as destination failures")
                }
            }
        case .topic:
            if let topic = topics.first(where: { $0.arn == arn.description }) {
                if topic.configuration.fifo { error(file, path, "topic '\(arn.name)' is a FIFO topic; Lambda destinations and dead-letter topics must be standard topics") }
            } else if knownAccount {
                error(file, path, undeclared("topic", arn, among: topics.map(\.name)) + "; declare it under Topics in a rule file")
            } else {
                warning(file, path, "account \(arn.account) is not in this workspace, so \(arn) cannot be checked; records sent there are counted as destination failures")
            }
        default:
            error(file, path, "a destination must be a queue, topic, event bus or function ARN, not a \(arn.kind.rawValue) ARN")
        }
    }
}
