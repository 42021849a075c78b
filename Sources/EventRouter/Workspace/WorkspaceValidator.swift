/// Checks rule files and builds a ``Workspace``, collecting every problem (file, JSON path,
/// reason) instead of stopping at the first.
struct WorkspaceValidator {
    /// A JSON object found in a file, with where it was and the file's defaults.
    struct Located {
        var object: JSONObject
        var file: String
        var path: String
        var account: String
        var region: String
    }

    static let topLevelKeys = ["Account", "Region", "Accounts", "EventBuses", "Queues", "Topics", "Streams", "Rules", "Archives", "EventSourceMappings"]
    static let busKeys = ["Name", "Policy", "Description"]
    static let otherSections: [(section: String, nameKey: String?, keys: [String])] = [
        ("EventSourceMappings", nil, ["EventSourceArn", "FunctionName", "BatchSize", "MaximumBatchingWindowInSeconds",
                                      "StartingPosition", "StartingPositionTimestamp", "FunctionResponseTypes", "BisectBatchOnFunctionError",
                                      "MaximumRetryAttempts", "MaximumRecordAgeInSeconds", "DestinationConfig", "Enabled"]),
    ]

    let defaults: RouterDefaults
    var problems: [ValidationProblem] = []
    var sections: [String: [Located]] = [:]
    var accounts: Set<String> = []
    var regionsByAccount: [String: Set<String>] = [:]
    /// The regions of the rule files (their top-level `Region`), by their `Account`: where functions without `Region` go.
    var ruleFileRegions: [String: Set<String>] = [:]
    var buses: [BusDefinition] = []
    var busIndex: [String: String] = [:]  // ARN -> "file: path"
    var queues: [QueueDeclaration] = []
    var queueIndex: [String: Int] = [:]  // ARN -> index in queues
    var declarations: [ResourceDeclaration] = []
    var declaredARNs: [String: String] = [:]  // ARN -> section, for topics and streams
    var rules: [RuleDefinition] = []
    var streams: [StreamDeclaration] = []
    var topics: [TopicDeclaration] = []
    var functions: [FunctionManifest] = []
    var functionProblems: [ValidationProblem] = []
    var accountDefinitions: [AccountDefinition] = []  // issue 7
    var archiveDefinitions: [ArchiveDefinition] = []  // issue 7

    init(defaults: RouterDefaults) {
        self.defaults = defaults
        accounts.insert(defaults.account)
        regionsByAccount[defaults.account, default: []].insert(defaults.region)
    }

    mutating func error(_ file: String, _ path: String, _ message: String) {
        problems.append(ValidationProblem(.error, file: file, path: path, message))
    }

    mutating func warning(_ file: String, _ path: String, _ message: String) {
        problems.append(ValidationProblem(.warning, file: file, path: path, message))
    }

    // MARK: - Field readers

    mutating func checkKeys(_ object: JSONObject, allowed: [String], what: String, file: String, path: String) {
        for key in object.keys where !allowed.contains(key) {
            var message = "unknown key '\(key)' in \(what)"
            if let hint = DidYouMean.suggestion(for: key, among: allowed) { message += " (did you mean '\(hint)'?)" }
            message += "; allowed: \(allowed.joined(separator: ", "))"
            error(file, "\(path).\(key)", message)
        }
    }

    mutating func string(_ object: JSONObject, _ key: String, file: String, path: String, required: Bool = false) -> String? {
        guard let value = object[key] else {
            if required { error(file, path, "missing required key '\(key)'") }
            return nil
        }
        guard case .string(let s) = value else {
            error(file, "\(path).\(key)", "'\(key)' must be a string, not \(value.kindName)")
            return nil
        }
        if required, s.isEmpty { error(file, "\(path).\(key)", "'\(key)' must not be empty") }
        return s
    }

    mutating func int(_ object: JSONObject, _ key: String, file: String, path: String, range: ClosedRange<Int>) -> Int? {
        guard let value = object[key] else { return nil }
        guard let n = value.intValue else {
            error(file, "\(path).\(key)", "'\(key)' must be a whole number, not \(value.kindName == "number" ? value.jsonText : value.kindName)")
            return nil
        }
        guard range.contains(n) else {
            error(file, "\(path).\(key)", "'\(key)' must be between \(range.lowerBound) and \(range.upperBound), got \(n)")
            return nil
        }
        return n
    }

    mutating func bool(_ object: JSONObject, _ key: String, file: String, path: String) -> Bool? {
        guard let value = object[key] else { return nil }
        if case .bool(let b) = value { return b }
        // CloudFormation templates often write booleans as strings.
        if case .string(let s) = value, s == "true" || s == "false" { return s == "true" }
        error(file, "\(path).\(key)", "'\(key)' must be true or false, not \(value.kindName)")
        return nil
    }

    mutating func object(_ parent: JSONObject, _ key: String, file: String, path: String) -> JSONObject? {
        guard let value = parent[key] else { return nil }
        guard case .object(let o) = value else {
            error(file, "\(path).\(key)", "'\(key)' must be an object, not \(value.kindName)")
            return nil
        }
        return o
    }

    static func isName(_ s: String, extra: String = "") -> Bool {
        !s.isEmpty && s.utf8.count <= 256
            && s.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "._-".unicodeScalars.contains($0) || extra.unicodeScalars.contains($0) }
    }

    // MARK: - Files

    mutating func readFile(name: String, text: String) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(text, options: .init(rejectDuplicateKeys: true))
        } catch {
            self.error(name, "$", "not valid JSON: \(error)")
            return
        }
        guard case .object(let root) = json else {
            error(name, "$", "a rule file must be a JSON object with keys such as EventBuses, Queues and Rules, not \(json.kindName)")
            return
        }
        checkKeys(root, allowed: Self.topLevelKeys, what: "a rule file", file: name, path: "$")
        var account = defaults.account
        if let a = string(root, "Account", file: name, path: "$") {
            if ARN.isAccountID(a) { account = a } else { error(name, "$.Account", "Account must be a 12-digit account id, not '\(a)'") }
        }
        var region = defaults.region
        if let r = string(root, "Region", file: name, path: "$") {
            if !r.isEmpty, r.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) { region = r } else {
                error(name, "$.Region", "Region must be a region name like us-east-1, not '\(r)'")
            }
        }
        accounts.insert(account)
        regionsByAccount[account, default: []].insert(region)
        ruleFileRegions[account, default: []].insert(region)
        for section in Self.topLevelKeys.dropFirst(2) {
            guard let value = root[section] else { continue }
            guard case .array(let items) = value else {
                error(name, "$.\(section)", "'\(section)' must be an array of objects, not \(value.kindName)")
                continue
            }
            for (i, item) in items.enumerated() {
                let path = "$.\(section)[\(i)]"
                guard case .object(let o) = item else {
                    error(name, path, "each entry of '\(section)' must be an object, not \(item.kindName)")
                    continue
                }
                sections[section, default: []].append(Located(object: o, file: name, path: path, account: account, region: region))
            }
        }
    }

    // MARK: - Resources

    mutating func readBuses() {
        for entry in sections["EventBuses"] ?? [] {
            checkKeys(entry.object, allowed: Self.busKeys, what: "an event bus", file: entry.file, path: entry.path)
            _ = string(entry.object, "Description", file: entry.file, path: entry.path)
            guard let name = string(entry.object, "Name", file: entry.file, path: entry.path, required: true), !name.isEmpty else { continue }
            guard Self.isName(name, extra: "/") else {
                error(entry.file, "\(entry.path).Name", "bus name '\(name)' may only contain letters, digits and . _ - /")
                continue
            }
            let policy = entry.object["Policy"]
            if let policy {
                checkBusPolicy(policy, busArn: ARN.eventBus(name, account: entry.account, region: entry.region).description, file: entry.file, path: "\(entry.path).Policy")
            }
            let bus = BusDefinition(name: name, account: entry.account, region: entry.region, policy: policy, file: entry.file)
            if let other = busIndex[bus.arn] {
                error(entry.file, "\(entry.path).Name", "duplicate event bus '\(name)' in account \(entry.account) (first declared at \(other))")
                continue
            }
            busIndex[bus.arn] = "\(entry.file): \(entry.path)"
            buses.append(bus)
        }
        for account in accounts.sorted() {
            for region in (regionsByAccount[account] ?? []).sorted() {
                let bus = BusDefinition(name: RouterDefaults.defaultBusName, account: account, region: region)
                if busIndex[bus.arn] == nil {
                    busIndex[bus.arn] = "(implicit)"
                    buses.append(bus)
                }
            }
        }
    }

    mutating func readQueues() {
        let allowed = Array(QueueConfiguration.knownKeys.union(QueueConfiguration.ignoredKeys)).sorted()
        for entry in sections["Queues"] ?? [] {
            let o = entry.object
            let before = problems.count
            checkKeys(o, allowed: allowed, what: "a queue", file: entry.file, path: entry.path)
            guard problems.count == before else { continue }
            let configuration: QueueConfiguration
            do {
                configuration = try QueueConfiguration(json: o, account: entry.account, region: entry.region)
            } catch {
                self.error(entry.file, entry.path, error.message)
                continue
            }
            let queue = QueueDeclaration(configuration: configuration, json: o, file: entry.file)
            if let i = queueIndex[queue.arn] {
                error(entry.file, "\(entry.path).QueueName", "duplicate queue '\(queue.name)' in account \(queue.account) (first declared in \(queues[i].file))")
                continue
            }
            accounts.insert(queue.account)
            queueIndex[queue.arn] = queues.count
            queues.append(queue)
        }
        // Redrive targets: the runtime's own check (QueueConfiguration.redriveProblem), so that
        // validate accepts exactly what replay can run.
        for queue in queues {
            guard let dlq = queue.configuration.redrivePolicy?.deadLetterTargetArn else { continue }
            let path = "$.Queues[?(@.QueueName=='\(queue.name)')].RedrivePolicy.deadLetterTargetArn"
            do {
                let arn = try ARN(parsing: dlq)
                if arn.kind != .queue {
                    error(queue.file, path, "deadLetterTargetArn must be an SQS queue ARN, not a \(arn.kind.rawValue) ARN")
                    continue
                }
                let target = queueIndex[arn.description].map { queues[$0].configuration }
                if target == nil, arn.account == queue.account, arn.region == queue.configuration.region, arn.description != queue.arn {
                    error(queue.file, path, undeclared("queue", arn, among: queues.map(\.name)) + "; declare it under Queues")
                } else if let problem = queue.configuration.redriveProblem(deadLetterQueue: target) {
                    error(queue.file, path, problem)
                }
            } catch {
                self.error(queue.file, path, error.message)
            }
        }
    }

    mutating func readOtherSections() {
        for (section, nameKey, keys) in Self.otherSections {
            let entries = sections[section] ?? []
            if section != "Accounts", section != "EventSourceMappings", let first = entries.first {
                warning(first.file, "$.\(section)", "\(section) are validated for known keys but not run yet (they arrive in a later version)")
            }
            for entry in entries {
                checkKeys(entry.object, allowed: keys, what: "an entry of \(section)", file: entry.file, path: entry.path)
                guard section != "Accounts" else { continue }
                var name = ""
                if let nameKey {
                    guard let n = string(entry.object, nameKey, file: entry.file, path: entry.path, required: true), !n.isEmpty else { continue }
                    name = n
                }
                var arn: String?
                if section == "Topics" { arn = ARN.topic(name, account: entry.account, region: entry.region).description }
                if section == "Streams" { arn = ARN.stream(name, account: entry.account, region: entry.region).description }
                if let a = arn {
                    if declaredARNs[a] != nil {
                        error(entry.file, "\(entry.path).\(nameKey ?? "")", "duplicate \(section == "Topics" ? "topic" : "stream") '\(name)' in account \(entry.account)")
                        continue
                    }
                    declaredARNs[a] = section
                }
                declarations.append(ResourceDeclaration(section: section, name: name, arn: arn, account: entry.account,
                                                        region: entry.region, json: entry.object, file: entry.file))
            }
        }
    }

    func undeclared(_ what: String, _ arn: ARN, among names: [String]) -> String {
        var message = "\(arn) names the \(what) '\(arn.name)', which no rule file declares in account \(arn.account)"
        if let hint = DidYouMean.suggestion(for: arn.name, among: names) { message += " (did you mean '\(hint)'?)" }
        return message
    }

    // MARK: - Result

    mutating func finish() -> Workspace? {
        placeFunctions()
        readAccountDefinitions()
        readBuses()
        readQueues()
        readStreams()
        readTopics()
        readOtherSections()
        readFunctions()
        checkConcurrencyReservations()
        checkSubscriptions()
        readArchiveDefinitions()
        readEventSourceMappings()
        checkEventSourceMappingFunctions()
        readRules()
        checkBusTargetPermissions()
        guard !problems.contains(where: { $0.severity == .error }) else { return nil }
        var workspace = Workspace(defaults: defaults, buses: buses, queues: queues, rules: rules, declarations: declarations,
                                  accounts: accounts.sorted(), warnings: problems)
        workspace.streams = streams
        workspace.topics = topics
        workspace.functions = functions
        workspace.accountDefinitions = accountDefinitions
        workspace.archives = archiveDefinitions
        return workspace
    }
}
