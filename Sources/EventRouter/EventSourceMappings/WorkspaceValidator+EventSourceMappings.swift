extension WorkspaceValidator {
    /// Checks every `EventSourceMappings` entry with ``EventSourceMappingConfiguration`` and
    /// that its queue or stream is declared (top-level unknown keys are reported by the generic
    /// key check of ``readOtherSections()``).
    mutating func readEventSourceMappings() {
        for entry in sections["EventSourceMappings"] ?? [] {
            let configuration: EventSourceMappingConfiguration
            do {
                configuration = try EventSourceMappingConfiguration(json: entry.object, account: entry.account, region: entry.region)
            } catch {
                for p in error.problems where p.key.contains(".") || !p.reason.hasPrefix("unknown key") {
                    self.error(entry.file, p.key.isEmpty ? entry.path : "\(entry.path).\(p.key)", p.reason)
                }
                continue
            }
            switch configuration.source {
            case .queue(let arn, _) where queueIndex[arn] == nil:
                let names = queues.map(\.configuration.name)
                var message = "EventSourceArn names the queue \(arn), which no rule file declares"
                if let name = ARN(queue: arn)?.name, let hint = DidYouMean.suggestion(for: name, among: names) { message += " (did you mean '\(hint)'?)" }
                error(entry.file, "\(entry.path).EventSourceArn", message + "; declare it under \"Queues\"")
            case .stream(let arn) where declaredARNs[arn] != "Streams":
                error(entry.file, "\(entry.path).EventSourceArn", "EventSourceArn names the stream \(arn), which no rule file declares; declare it under \"Streams\"")
            default:
                break
            }
        }
    }

    /// Every event source mapping's function must be in `Functions/`, and its on-failure
    /// destination a declared queue or topic (settings are checked by ``readEventSourceMappings()``).
    mutating func checkEventSourceMappingFunctions() {
        for entry in sections["EventSourceMappings"] ?? [] {
            guard let mapping = try? EventSourceMappingConfiguration(json: entry.object, account: entry.account, region: entry.region),
                  let arn = try? ARN(parsing: mapping.functionArn), arn.kind == .function else { continue }
            let manifest = functions.first { $0.arn == ARN.function(arn.name, account: arn.account, region: arn.region).description }
            if let manifest {
                let qualifier = FunctionManifest.splitQualifier(mapping.functionArn).qualifier
                if let problem = manifest.qualifierProblem(qualifier) { error(entry.file, "\(entry.path).FunctionName", problem) }
            } else {
                error(entry.file, "\(entry.path).FunctionName", missingFunction(arn, subject: "FunctionName"))
            }
            if let text = mapping.onFailureDestination, let destination = try? ARN(parsing: text) {
                let path = "\(entry.path).DestinationConfig.OnFailure.Destination"
                switch destination.kind {
                case .queue where queueIndex[destination.description] == nil && accounts.contains(destination.account):
                    error(entry.file, path, undeclared("queue", destination, among: queues.map(\.name)) + "; declare it under Queues")
                case .topic where !topics.contains(where: { $0.arn == destination.description }) && accounts.contains(destination.account):
                    error(entry.file, path, undeclared("topic", destination, among: topics.map(\.name)) + "; declare it under Topics")
                default:
                    break
                }
            }
        }
    }
}

extension Workspace {
    /// The workspace's event source mappings, parsed (what ``EventSourceMappingRunner`` runs).
    /// - Throws: ``EventSourceMappingError`` with every problem, keys prefixed `FILE: EventSourceMappings[i]`
    ///   (the validator reports the same problems when the workspace is loaded).
    public func eventSourceMappings() throws(EventSourceMappingError) -> [EventSourceMappingConfiguration] {
        var result: [EventSourceMappingConfiguration] = []
        var problems: [EventSourceMappingError.Problem] = []
        var indexInFile: [String: Int] = [:]
        for d in declarations where d.section == "EventSourceMappings" {
            let i = indexInFile[d.file, default: 0]
            indexInFile[d.file] = i + 1
            do {
                result.append(try EventSourceMappingConfiguration(json: d.json, account: d.account, region: d.region))
            } catch {
                problems += error.prefixed(by: "\(d.file): EventSourceMappings[\(i)]").problems
            }
        }
        if !problems.isEmpty { throw EventSourceMappingError(problems: problems) }
        return result
    }
}
