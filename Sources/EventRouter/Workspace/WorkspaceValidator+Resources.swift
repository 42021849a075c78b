/// Streams and functions: the resource kinds the router runs besides queues and buses.
extension WorkspaceValidator {
    static let streamKeys = ["Name", "ShardCount", "RetentionPeriodHours", "Tags", "StreamEncryption", "StreamModeDetails", "DesiredShardLevelMetrics"]

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

    mutating func readStreams() {
        for entry in sections["Streams"] ?? [] {
            fields.file = entry.file
            let before = problems.count
            fields.checkKeys(entry.object, allowed: Self.streamKeys, what: "a stream", at: entry.path)
            guard problems.count == before else { continue }
            let configuration: StreamConfiguration
            do {
                configuration = try StreamConfiguration(json: entry.object, account: entry.account, region: entry.region)
            } catch {
                self.error(entry.file, entry.path, error.message)
                continue
            }
            let stream = StreamDeclaration(configuration: configuration, json: entry.object, file: entry.file)
            if let first = streams.first(where: { $0.arn == stream.arn }) {
                error(entry.file, "\(entry.path).Name", "duplicate stream '\(stream.name)' in account \(stream.account) (first declared in \(first.file))")
                continue
            }
            accounts.insert(stream.account)
            declaredARNs[stream.arn] = "Streams"
            streams.append(stream)
        }
    }

    /// Reports manifest problems and checks every function's destinations and dead-letter queue.
    mutating func readFunctions() {
        problems += functionProblems
        for f in functions {
            let file = "Functions/\(f.name)/function.json"
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

    /// Checks a topic, stream or function target names a declared topic, stream or function;
    /// returns whether it is a FIFO topic.
    mutating func checkStreamOrFunctionTarget(_ arn: ARN, knownAccount: Bool, file: String, path: String) -> Bool {
        let declared: Bool, names: [String], fix: String
        if arn.kind == .topic {
            declared = topics.contains { $0.arn == arn.description }
            names = topics.filter { $0.account == arn.account }.map(\.name)
            fix = "declare it under Topics"
        } else if arn.kind == .stream {
            declared = streams.contains { $0.arn == arn.description }
            names = streams.filter { $0.account == arn.account }.map(\.name)
            fix = "declare it under Streams"
        } else {
            let qualifier = arn.resource.dropFirst(9).split(separator: ":", omittingEmptySubsequences: false).dropFirst().first
            if let qualifier, qualifier != "$LATEST" {
                error(file, path, "function versions and aliases are not supported; use the unqualified ARN \(ARN.function(arn.name, account: arn.account, region: arn.region)) (or :$LATEST)")
                return false
            }
            declared = functions.contains { $0.arn == ARN.function(arn.name, account: arn.account, region: arn.region).description }
            names = functions.filter { $0.account == arn.account }.map(\.name)
            fix = "add Functions/\(arn.name)/function.json"
        }
        if declared { return topics.first { $0.arn == arn.description }?.configuration.fifo ?? false }
        if knownAccount {
            error(file, path, arn.kind == .function ? missingFunction(arn, subject: arn.description) : undeclared(arn.kind.rawValue, arn, among: names) + "; \(fix)")
        } else {
            warning(file, path, "account \(arn.account) is not in this workspace, so \(arn) cannot be checked; deliveries to it fail with NO_RESOURCE")
        }
        return false
    }

    mutating func readTopics() {
        for entry in sections["Topics"] ?? [] {
            let configuration: TopicConfiguration
            do {
                configuration = try TopicConfiguration(json: entry.object, account: entry.account, region: entry.region)
            } catch {
                self.error(entry.file, entry.path, error.message)
                continue
            }
            let topic = TopicDeclaration(configuration: configuration, file: entry.file, path: entry.path)
            if let first = topics.first(where: { $0.arn == topic.arn }) {
                error(entry.file, "\(entry.path).TopicName", "duplicate topic '\(topic.name)' in account \(topic.account) (first declared in \(first.file))")
                continue
            }
            accounts.insert(topic.account)
            declaredARNs[topic.arn] = "Topics"
            topics.append(topic)
        }
    }

    /// Every subscription's endpoint (queue or function) and dead-letter queue must be declared,
    /// with the topic's FIFO-ness.
    mutating func checkSubscriptions() {
        for topic in topics {
            let fifo = topic.configuration.fifo
            for (i, sub) in topic.configuration.subscriptions.enumerated() {
                let path = "\(topic.path).Subscription[\(i)]"
                var queuesToCheck: [(String, String)] = []
                if sub.endpointProtocol == .sqs { queuesToCheck.append(("\(path).Endpoint", sub.endpoint)) }
                if let dlq = sub.deadLetterTargetArn { queuesToCheck.append(("\(path).RedrivePolicy.deadLetterTargetArn", dlq)) }
                for (at, text) in queuesToCheck {
                    guard let arn = try? ARN(parsing: text) else { continue }  // TopicConfiguration reported it
                    if let q = queueIndex[arn.description] {
                        if queues[q].fifo != fifo {
                            error(topic.file, at, "queue '\(arn.name)' is \(queues[q].fifo ? "a FIFO" : "a standard") queue, but topic '\(topic.name)' is \(fifo ? "a FIFO" : "a standard") topic; use \(fifo ? "a FIFO" : "a standard") queue")
                        }
                    } else if accounts.contains(arn.account) {
                        error(topic.file, at, undeclared("queue", arn, among: queues.map(\.name)) + "; declare it under Queues")
                    } else {
                        warning(topic.file, at, "account \(arn.account) is not in this workspace, so \(arn) cannot be checked; deliveries to it are dead-lettered or dropped")
                    }
                }
                if sub.endpointProtocol == .lambda, let arn = try? ARN(parsing: sub.endpoint), arn.kind == .function {
                    let known = functions.contains { $0.arn == ARN.function(arn.name, account: arn.account, region: arn.region).description }
                    if !known {
                        if accounts.contains(arn.account) {
                            error(topic.file, "\(path).Endpoint", missingFunction(arn, subject: arn.description))
                        } else {
                            warning(topic.file, "\(path).Endpoint", "account \(arn.account) is not in this workspace, so \(arn) cannot be checked; deliveries to it are dead-lettered or dropped")
                        }
                    }
                }
            }
        }
    }

    /// Every event source mapping's function must be in `Functions/`, and its on-failure
    /// destination a declared queue or topic (settings are checked by ``readEventSourceMappings()``).
    mutating func checkEventSourceMappingFunctions() {
        for entry in sections["EventSourceMappings"] ?? [] {
            guard let mapping = try? EventSourceMappingConfiguration(json: entry.object, account: entry.account, region: entry.region),
                  let arn = try? ARN(parsing: mapping.functionArn), arn.kind == .function else { continue }
            let declared = functions.contains { $0.arn == ARN.function(arn.name, account: arn.account, region: arn.region).description }
            if !declared {
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
