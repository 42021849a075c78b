/// The `Rules` section of rule files: each rule, its bus, its pattern and its targets.
extension WorkspaceValidator {
    static let ruleKeys = ["Name", "EventBusName", "State", "EventPattern", "Description", "Targets", "RoleArn", "ScheduleExpression",
                           "CreatedBy", "Account"]
    static let targetKeys = ["Id", "Arn", "Input", "InputPath", "InputTransformer", "RetryPolicy", "DeadLetterConfig",
                             "SqsParameters", "KinesisParameters", "RoleArn", "HttpParameters"]
    static let ruleStates = ["ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"]
    static let maximumTargets = 5
    /// Rule names and target ids.
    static let ruleNamePattern = FieldReader.Pattern.name(maximumLength: 64, extra: "._-")

    mutating func readRules() {
        var ruleIndex: [String: String] = [:]  // rule ARN -> "file: path"
        for entry in sections["Rules"] ?? [] {
            let o = entry.object, file = entry.file, path = entry.path
            fields.file = file
            fields.checkKeys(o, allowed: Self.ruleKeys, what: "a rule", at: path)
            let name = fields.string(o, "Name", at: path, required: true, pattern: Self.ruleNamePattern)
            // The bus: a name or an ARN; it must exist.
            var busName = RouterDefaults.defaultBusName, account = entry.account, region = entry.region
            if let given = fields.string(o, "EventBusName", at: path) {
                if given.hasPrefix("arn:") {
                    do {
                        let arn = try ARN(parsing: given)
                        if arn.kind == .eventBus {
                            busName = arn.name
                            account = arn.account
                            region = arn.region
                        } else {
                            error(file, "\(path).EventBusName", "EventBusName must be a bus name or event-bus ARN, not a \(arn.kind.rawValue) ARN")
                        }
                    } catch {
                        self.error(file, "\(path).EventBusName", error.message)
                    }
                } else {
                    busName = given
                }
            }
            let busArn = ARN.eventBus(busName, account: account, region: region).description
            if busIndex[busArn] == nil {
                var message = "EventBusName '\(busName)' is not a bus of account \(account) in \(region); declare it under EventBuses"
                let names = buses.filter { $0.account == account }.map(\.name)
                if let hint = DidYouMean.suggestion(for: busName, among: names) { message += " (did you mean '\(hint)'?)" }
                error(file, "\(path).EventBusName", message)
            }
            let creator = readRuleCreator(o, file: file, path: path, fileAccount: entry.account, busAccount: account)
            let state = fields.enumeration(o, "State", at: path, allowed: Self.ruleStates)
            let enabled = state != "DISABLED"
            _ = fields.string(o, "Description", at: path)
            if let role = fields.string(o, "RoleArn", at: path) { checkARN(role, file: file, path: "\(path).RoleArn") }
            var pattern = readPattern(o, file: file, path: path)
            let schedule = readSchedule(o, file: file, path: path, busName: busName)
            if case .some(nil) = schedule { pattern = nil }
            var targets = readTargets(o, file: file, path: path, account: account, region: region)
            for (i, target) in (targets ?? []).enumerated() {
                guard let problem = BusTarget.selfTargetProblem(ruleBusArn: busArn, targetArn: target.arn) else { continue }
                error(file, "\(path).Targets[\(i)].Arn", problem)
                targets = nil
            }
            guard let name, !name.isEmpty, let pattern, let targets, let (createdBy, creatorPath) = creator else { continue }
            var rule = RuleDefinition(name: name, busName: busName, account: account, region: region, pattern: pattern, enabled: enabled,
                                      description: o["Description"]?.stringValue, targets: targets, file: file)
            rule.patternText = o["EventPattern"].map { $0.stringValue ?? $0.jsonText }
            rule.roleArn = o["RoleArn"]?.stringValue
            if case .some(let text) = schedule { rule.scheduleExpression = text }
            rule.createdBy = createdBy
            let patternJSON = o["EventPattern"].flatMap { $0.stringValue.flatMap { try? JSONParser.parse($0) } ?? $0 }
            guard checkForeignRule(rule, pattern: patternJSON, file: file, path: path, at: creatorPath) else { continue }
            if let other = ruleIndex[rule.arn] {
                error(file, "\(path).Name", "duplicate rule '\(name)' on bus '\(busName)' (first declared at \(other))")
                continue
            }
            ruleIndex[rule.arn] = "\(file): \(path)"
            rules.append(rule)
        }
    }

    mutating func checkARN(_ text: String, file: String, path: String) {
        do { _ = try ARN(parsing: text) } catch { self.error(file, path, error.message) }
    }

    /// The rule's `ScheduleExpression`, checked as PutRule checks it: AWS's `ValidationException`
    /// text, and only on a default bus. `.none` when the rule has none, `nil` inside when it is invalid.
    mutating func readSchedule(_ o: JSONObject, file: String, path: String, busName: String) -> String?? {
        guard let value = o["ScheduleExpression"] else { return .none }
        guard let text = value.stringValue else {
            error(file, "\(path).ScheduleExpression", "ScheduleExpression must be a string such as \"rate(5 minutes)\", not \(value.kindName)")
            return .some(nil)
        }
        do throws(ScheduleExpressionError) { _ = try ScheduleExpression(parsing: text) } catch {
            self.error(file, "\(path).ScheduleExpression", error.description)
            return .some(nil)
        }
        guard busName == RouterDefaults.defaultBusName else {
            error(file, "\(path).ScheduleExpression", "ScheduleExpression is supported only on the default event bus (this rule is on '\(busName)'); "
                  + "move the rule to the default bus or remove the schedule")
            return .some(nil)
        }
        return .some(text)
    }

    mutating func readPattern(_ o: JSONObject, file: String, path: String) -> EventPattern? {
        guard let value = o["EventPattern"] else {
            // A scheduled rule may have no pattern: it matches no event and fires on its schedule.
            if o["ScheduleExpression"] != nil { return EventPattern(alternatives: []) }
            error(file, path, "missing required key 'EventPattern' (or 'ScheduleExpression' for a scheduled rule)")
            return nil
        }
        do {
            switch value {
            case .object: return try EventPattern(json: value)
            case .string(let text):
                if text.utf8.count > 4096 {
                    error(file, "\(path).EventPattern", "EventPattern is \(text.utf8.count) characters; at most 4096 are allowed")
                    return nil
                }
                return try EventPattern(parsing: text)
            default:
                error(file, "\(path).EventPattern", "EventPattern must be an object or a JSON string, not \(value.kindName)")
                return nil
            }
        } catch {
            self.error(file, "\(path).EventPattern", "invalid EventPattern: \(error)")
            return nil
        }
    }

    mutating func readTargets(_ o: JSONObject, file: String, path: String, account: String, region: String) -> [TargetDefinition]? {
        guard let value = o["Targets"] else { return [] }
        guard case .array(let items) = value else {
            error(file, "\(path).Targets", "'Targets' must be an array of objects, not \(value.kindName)")
            return nil
        }
        var ok = true
        if items.count > Self.maximumTargets {
            error(file, "\(path).Targets", "a rule may have at most \(Self.maximumTargets) targets; this one has \(items.count)")
            ok = false
        }
        var targets: [TargetDefinition] = []
        var ids: Set<String> = []
        for (i, item) in items.enumerated() {
            let tpath = "\(path).Targets[\(i)]"
            guard case .object(let t) = item else {
                error(file, tpath, "each target must be an object, not \(item.kindName)")
                ok = false
                continue
            }
            let before = problems.count
            if let target = readTarget(t, file: file, path: tpath) {
                if !ids.insert(target.id).inserted {
                    error(file, "\(tpath).Id", "duplicate target Id '\(target.id)' in this rule")
                } else {
                    targets.append(target)
                }
            }
            if problems[before...].contains(where: { $0.severity == .error }) { ok = false }
        }
        return ok ? targets : nil
    }

    mutating func readTarget(_ t: JSONObject, file: String, path: String) -> TargetDefinition? {
        fields.checkKeys(t, allowed: Self.targetKeys, what: "a target", at: path)
        let id = fields.string(t, "Id", at: path, required: true, pattern: Self.ruleNamePattern)
        if let role = fields.string(t, "RoleArn", at: path) { checkARN(role, file: file, path: "\(path).RoleArn") }
        let arnText = fields.string(t, "Arn", at: path, required: true)
        var arn: ARN?
        // A kind EventRouter does not run is named as such (its ARN may not even parse here).
        let foreign = arnText.flatMap { ForeignTargetKind(targetArn: $0) }
        if let foreign, let arnText {
            checkStandIn(foreign, arnText: arnText, file: file, path: "\(path).Arn")
        } else if let arnText, !arnText.isEmpty {
            do { arn = try ARN(parsing: arnText) } catch { self.error(file, "\(path).Arn", error.message) }
        }
        var fifoQueue = false
        if let arn { fifoQueue = checkTargetResource(arn, file: file, path: "\(path).Arn") }
        let input = readInput(t, file: file, path: path)
        var policy = RetryPolicy()
        if let rp = fields.object(t, "RetryPolicy", at: path) {
            fields.checkKeys(rp, allowed: ["MaximumRetryAttempts", "MaximumEventAgeInSeconds"], what: "a RetryPolicy", at: "\(path).RetryPolicy")
            if let n = fields.int(rp, "MaximumRetryAttempts", at: "\(path).RetryPolicy", range: RetryPolicy.attemptsRange) { policy.maximumRetryAttempts = n }
            if let n = fields.int(rp, "MaximumEventAgeInSeconds", at: "\(path).RetryPolicy", range: RetryPolicy.ageRange) { policy.maximumEventAgeInSeconds = n }
        }
        var deadLetterArn: String?
        if let dlc = fields.object(t, "DeadLetterConfig", at: path) {
            fields.checkKeys(dlc, allowed: ["Arn"], what: "a DeadLetterConfig", at: "\(path).DeadLetterConfig")
            if let text = fields.string(dlc, "Arn", at: "\(path).DeadLetterConfig", required: true), !text.isEmpty {
                deadLetterArn = text
                checkDeadLetterQueue(text, file: file, path: "\(path).DeadLetterConfig.Arn")
            }
        }
        var groupId: String?
        if let sqs = fields.object(t, "SqsParameters", at: path) {
            fields.checkKeys(sqs, allowed: ["MessageGroupId"], what: "SqsParameters", at: "\(path).SqsParameters")
            groupId = fields.string(sqs, "MessageGroupId", at: "\(path).SqsParameters")
            if let arn, arn.kind != .queue, arn.kind != .topic { error(file, "\(path).SqsParameters", "SqsParameters only apply to SQS queue and SNS FIFO topic targets") }
        }
        if fifoQueue, groupId == nil || groupId == "" {
            error(file, path, "the target is a FIFO \(arn?.kind == .topic ? "topic" : "queue"), so it needs SqsParameters.MessageGroupId")
        }
        var partitionKeyPath: String?
        if let kinesis = fields.object(t, "KinesisParameters", at: path) {
            fields.checkKeys(kinesis, allowed: ["PartitionKeyPath"], what: "KinesisParameters", at: "\(path).KinesisParameters")
            partitionKeyPath = fields.string(kinesis, "PartitionKeyPath", at: "\(path).KinesisParameters", required: true)
            if let p = partitionKeyPath {
                do { _ = try JSONPath(parsing: p) } catch { self.error(file, "\(path).KinesisParameters.PartitionKeyPath", error.message) }
            }
            if let arn, arn.kind != .stream { error(file, "\(path).KinesisParameters", "KinesisParameters only apply to Kinesis stream targets") }
        }
        var httpParameters: HttpParameters?
        if let http = fields.object(t, "HttpParameters", at: path) {
            httpParameters = HttpParameters.read(http, fields: &fields, at: "\(path).HttpParameters")
            if let arn, !ApiDestinationDefinition.isArn(arn.description) {
                error(file, "\(path).HttpParameters", "HttpParameters only apply to API destination targets")
            }
        }
        if let arn, ApiDestinationDefinition.isArn(arn.description) {
            checkApiDestinationTarget(arn, parameters: httpParameters, file: file, path: path)
        }
        guard let id, let arnText, arn != nil || foreign != nil, let input else { return nil }
        return TargetDefinition(id: id, arn: arnText, input: input, retryPolicy: policy, deadLetterArn: deadLetterArn,
                                messageGroupId: groupId, partitionKeyPath: partitionKeyPath, httpParameters: httpParameters)
    }

    /// Checks that a target names a resource the workspace declares; returns whether it is a FIFO queue.
    mutating func checkTargetResource(_ arn: ARN, file: String, path: String) -> Bool {
        if ApiDestinationDefinition.isArn(arn.description) { return false }  // checkApiDestinationTarget
        let knownAccount = accounts.contains(arn.account)
        if arn.service == "firehose" {
            checkDeliveryStreamTarget(arn, file: file, path: path)
            return false
        }
        if arn.service == "logs" {
            checkLogGroupTarget(arn, file: file, path: path)
            return false
        }
        switch arn.kind {
        case .queue:
            if let i = queueIndex[arn.description] { return queues[i].fifo }
            if knownAccount {
                error(file, path, undeclared("queue", arn, among: queues.map(\.name)) + "; declare it under Queues")
            } else {
                warning(file, path, "account \(arn.account) is not in this workspace, so \(arn) cannot be checked; deliveries to it fail with NO_RESOURCE")
            }
            return arn.name.hasSuffix(".fifo")
        case .topic, .stream, .function:
            return checkStreamOrFunctionTarget(arn, knownAccount: knownAccount, file: file, path: path)
        case .eventBus:
            if busIndex[arn.description] == nil, knownAccount {
                error(file, path, undeclared("event bus", arn, among: buses.filter { $0.account == arn.account }.map(\.name)) + "; declare it under EventBuses")
            }
        case .rule, .archive, .other:
            error(file, path, "EventRouter cannot deliver to \(arn.service) \(arn.kind == .other ? "resources" : arn.kind.rawValue + "s"); targets may be SQS queues, SNS topics, Kinesis streams, Lambda functions or event buses")
        }
        return false
    }

    /// A target of a kind EventRouter does not run: an error naming the kind, or with
    /// `--stand-in-queue` a warning saying where its deliveries go.
    mutating func checkStandIn(_ kind: ForeignTargetKind, arnText: String, file: String, path: String) {
        if let queue = standInQueue {
            warning(file, path, "\(arnText) \(kind.phrase); its deliveries go to the stand-in queue '\(queue)'")
            standInTargets.append(arnText)
        } else {
            error(file, path, "\(arnText) \(kind.phrase); pass --stand-in-queue NAME to route its deliveries to a stand-in queue "
                  + "so the rest of the workspace runs")
        }
    }

    mutating func checkDeadLetterQueue(_ text: String, file: String, path: String) {
        let arn: ARN
        do { arn = try ARN(parsing: text) } catch {
            self.error(file, path, error.message)
            return
        }
        guard arn.kind == .queue else {
            error(file, path, "a dead-letter queue must be an SQS queue ARN, not a \(arn.kind.rawValue) ARN")
            return
        }
        if let i = queueIndex[arn.description] {
            if queues[i].fifo { error(file, path, "dead-letter queue '\(arn.name)' is a FIFO queue; EventBridge dead-letter queues must be standard queues") }
        } else if accounts.contains(arn.account) {
            error(file, path, undeclared("queue", arn, among: queues.map(\.name)) + "; declare it under Queues")
        } else if arn.name.hasSuffix(".fifo") {
            error(file, path, "dead-letter queue '\(arn.name)' is a FIFO queue; EventBridge dead-letter queues must be standard queues")
        } else {
            warning(file, path, "account \(arn.account) is not in this workspace, so the dead-letter queue \(arn) cannot be checked")
        }
    }

    mutating func readInput(_ t: JSONObject, file: String, path: String) -> TargetInput? {
        let given = ["Input", "InputPath", "InputTransformer"].filter { t[$0] != nil }
        if given.count > 1 {
            error(file, path, "a target may set only one of Input, InputPath and InputTransformer; this one sets \(given.joined(separator: " and "))")
            return nil
        }
        if let value = t["Input"] {
            switch value {
            case .string(let text):
                do { _ = try JSONParser.parse(text) } catch {
                    self.error(file, "\(path).Input", "Input must be JSON text: \(error)")
                    return nil
                }
                return .constant(text)
            case .object, .array: return .constant(value.jsonText)
            default:
                error(file, "\(path).Input", "Input must be JSON text (a string) or a JSON object, not \(value.kindName)")
                return nil
            }
        }
        if let value = t["InputPath"] {
            guard let text = fields.string(t, "InputPath", at: path) else { return nil }
            _ = value
            do { return .path(try JSONPath(parsing: text)) } catch {
                self.error(file, "\(path).InputPath", error.message)
                return nil
            }
        }
        if let it = fields.object(t, "InputTransformer", at: path) {
            let ipath = "\(path).InputTransformer"
            fields.checkKeys(it, allowed: ["InputPathsMap", "InputTemplate"], what: "an InputTransformer", at: ipath)
            guard let template = fields.string(it, "InputTemplate", at: ipath, required: true) else { return nil }
            var map: [(String, String)] = []
            if let m = fields.object(it, "InputPathsMap", at: ipath) {
                for member in m.members {
                    guard case .string(let p) = member.value else {
                        error(file, "\(ipath).InputPathsMap.\(member.key)", "each InputPathsMap value must be a JSONPath string, not \(member.value.kindName)")
                        return nil
                    }
                    map.append((member.key, p))
                }
            }
            do { return .transformer(try InputTransformer(pathsMap: map, template: template)) } catch {
                self.error(file, ipath, error.message)
                return nil
            }
        }
        if t["InputTransformer"] != nil { return nil }
        return .event
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
            // An alias, a version or $LATEST: the one function answers each its manifest declares.
            let qualifier = arn.resource.dropFirst(9).split(separator: ":", omittingEmptySubsequences: false).dropFirst().first.map(String.init)
            let manifest = functions.first { $0.arn == ARN.function(arn.name, account: arn.account, region: arn.region).description }
            if let manifest, let problem = manifest.qualifierProblem(qualifier) {
                error(file, path, problem)
                return false
            }
            declared = manifest != nil
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
}
