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

    static let topLevelKeys = ["Account", "Region", "Accounts", "EventBuses", "Queues", "Topics", "Streams", "Rules", "Archives", "EventSourceMappings", "DeliveryStreams", "Connections", "ApiDestinations",
                               "LogGroups"]
    static let otherSections: [(section: String, nameKey: String?, keys: [String])] = [
        ("EventSourceMappings", nil, ["EventSourceArn", "FunctionName", "BatchSize", "MaximumBatchingWindowInSeconds",
                                      "StartingPosition", "StartingPositionTimestamp", "FunctionResponseTypes", "BisectBatchOnFunctionError",
                                      "MaximumRetryAttempts", "MaximumRecordAgeInSeconds", "DestinationConfig", "Enabled"]),
    ]

    let defaults: RouterDefaults
    /// The one field reader; its problems are the workspace's problems.
    var fields = FieldReader()
    var problems: [ValidationProblem] {
        get { fields.problems }
        set { fields.problems = newValue }
    }
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
    var logGroups: [LogGroupDeclaration] = []
    var topics: [TopicDeclaration] = []
    var deliveryStreams: [DeliveryStreamDeclaration] = []
    var functions: [FunctionManifest] = []
    var functionProblems: [ValidationProblem] = []
    var accountDefinitions: [AccountDefinition] = []  // issue 7
    var archiveDefinitions: [ArchiveDefinition] = []  // issue 7
    var connections: [ConnectionDefinition] = []  // issue 17: API destinations
    var apiDestinations: [ApiDestinationDefinition] = []
    /// `--stand-in-queue NAME`: targets of kinds EventRouter does not run go to this queue.
    var standInQueue: String?
    /// The ARNs of targets that go to the stand-in queue.
    var standInTargets: [String] = []

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

    // MARK: - Files

    mutating func readFile(name: String, text: String) {
        fields.file = name
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
        fields.checkKeys(root, allowed: Self.topLevelKeys, what: "a rule file", at: "$")
        let account = fields.string(root, "Account", at: "$", pattern: .accountID) ?? defaults.account
        let region = fields.string(root, "Region", at: "$", pattern: .region) ?? defaults.region
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

    mutating func readOtherSections() {
        for (section, nameKey, keys) in Self.otherSections {
            let entries = sections[section] ?? []
            if section != "Accounts", section != "EventSourceMappings", let first = entries.first {
                warning(first.file, "$.\(section)", "\(section) are validated for known keys but not run yet (they arrive in a later version)")
            }
            for entry in entries {
                fields.file = entry.file
                fields.checkKeys(entry.object, allowed: keys, what: "an entry of \(section)", at: entry.path)
                guard section != "Accounts" else { continue }
                var name = ""
                if let nameKey {
                    guard let n = fields.string(entry.object, nameKey, at: entry.path, required: true), !n.isEmpty else { continue }
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
        readLogGroups()
        checkEventSourceMappingFunctions()
        readDeliveryStreams()
        readConnections()
        readApiDestinations()
        readRules()
        checkBusTargetPermissions()
        checkStandInQueue()
        guard !problems.contains(where: { $0.severity == .error }) else { return nil }
        var workspace = Workspace(defaults: defaults, buses: buses, queues: queues, rules: rules, declarations: declarations,
                                  accounts: accounts.sorted(), warnings: problems)
        workspace.streams = streams
        workspace.logGroups = logGroups
        workspace.topics = topics
        workspace.deliveryStreams = deliveryStreams
        workspace.functions = functions
        workspace.accountDefinitions = accountDefinitions
        workspace.archives = archiveDefinitions
        workspace.connections = connections
        workspace.apiDestinations = apiDestinations
        if let standInQueue { workspace.standIn = StandInQueueSetting(queueName: standInQueue, targets: standInTargets) }
        return workspace
    }
}
