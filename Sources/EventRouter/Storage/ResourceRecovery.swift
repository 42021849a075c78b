/// The resources part of ``StateRecovery``: the buses, rules with their targets, bus policies,
/// connections, API destinations and tags created through the EventBridge API, rebuilt from
/// the snapshot's `"resources"` and the records 30–39 after it (each a whole state, so replaying
/// one the snapshot holds changes nothing), then put into the runtime before it serves.
///
/// Resources of the workspace's files are never taken from the journal: the files decide them
/// (a rule of the files changed through the API is the files' again after a restart).
public struct ResourceRecovery: Sendable {
    /// What was restored, for the start line (only the kinds present are named).
    public struct Counts: Sendable, Equatable, CustomStringConvertible {
        public var buses = 0
        public var rules = 0
        public var targets = 0
        public var policies = 0
        public var connections = 0
        public var apiDestinations = 0

        public var isEmpty: Bool { self == Counts() }

        public var description: String {
            func n(_ count: Int, _ one: String, _ many: String) -> String? { count == 0 ? nil : "\(count) \(count == 1 ? one : many)" }
            return [n(buses, "bus", "buses"), n(rules, "rule", "rules"), n(targets, "target", "targets"), n(policies, "bus policy", "bus policies"),
                    n(connections, "connection", "connections"), n(apiDestinations, "API destination", "API destinations")]
                .compactMap { $0 }.joined(separator: ", ")
        }
    }

    private var buses: [String: (order: Int, value: JSONValue)] = [:]
    private var policies: [String: JSONValue] = [:]
    private var rules: [String: (order: Int, value: JSONValue)] = [:]
    private var connections: [String: (order: Int, value: JSONValue)] = [:]
    private var destinations: [String: (order: Int, value: JSONValue)] = [:]
    private var tags: [String: [JSONValue]] = [:]
    private var nextOrder = 0

    public init() {}

    /// The kinds this part recovers.
    static let types: Set<StateRecordType> = [.busPut, .busDelete, .rulePut, .ruleDelete, .busPolicy, .connectionPut, .connectionDelete,
                                              .apiDestinationPut, .apiDestinationDelete, .resourceTags]

    /// Takes the snapshot's `"resources"` (``RouterRuntime/resourcesJournalJSON()``).
    /// - Throws: ``StateJournalFailure`` naming the entry and what is wrong.
    mutating func applySnapshotSection(_ section: JSONValue) throws(StateJournalFailure) {
        let kinds: [(String, StateRecordType)] = [("buses", .busPut), ("policies", .busPolicy), ("connections", .connectionPut),
                                                  ("apiDestinations", .apiDestinationPut), ("rules", .rulePut), ("tags", .resourceTags)]
        for (key, type) in kinds {
            for (i, entry) in (section[key]?.arrayValue ?? []).enumerated() {
                do { try apply(type, entry) } catch {
                    throw StateJournalFailure("the snapshot's resources.\(key)[\(i)]: \(error.message)")
                }
            }
        }
    }

    /// Applies one record of ``types``.
    /// - Throws: ``StateJournalFailure`` naming the record type and what is missing.
    mutating func apply(_ type: StateRecordType, _ json: JSONValue) throws(StateJournalFailure) {
        func string(_ key: String, _ what: String) throws(StateJournalFailure) -> String {
            guard let value = json[key]?.stringValue, !value.isEmpty else { throw StateJournalFailure("a \(type) record has no \"\(key)\" (\(what))") }
            return value
        }
        func order<V>(_ existing: (order: Int, value: V)?) -> Int {
            if let existing { return existing.order }
            defer { nextOrder += 1 }
            return nextOrder
        }
        switch type {
        case .busPut:
            let arn = try string("arn", "the bus ARN")
            buses[arn] = (order(buses[arn]), json)
        case .busDelete:
            let arn = try string("arn", "the bus ARN")
            buses[arn] = nil
            policies[arn] = nil
            tags[arn] = nil
        case .rulePut:
            let arn = try string("arn", "the rule ARN")
            guard let rule = json["r"], rule["Name"]?.stringValue != nil, rule["EventBusArn"]?.stringValue != nil else {
                throw StateJournalFailure("a \(type) record for \(arn) has no rule \"r\" with \"Name\" and \"EventBusArn\"")
            }
            rules[arn] = (order(rules[arn]), rule)
        case .ruleDelete:
            let arn = try string("arn", "the rule ARN")
            rules[arn] = nil
            tags[arn] = nil
        case .busPolicy:
            policies[try string("arn", "the bus ARN")] = json
        case .connectionPut, .apiDestinationPut:
            let member = type == .connectionPut ? "c" : "d"
            let arn = try string("arn", "the ARN")
            guard let entry = json[member], let name = entry["Name"]?.stringValue else {
                throw StateJournalFailure("a \(type) record for \(arn) has no \"\(member)\" entry with a \"Name\"")
            }
            let key = try string("a", "the account") + "/" + string("g", "the region") + "/" + name
            if type == .connectionPut { connections[key] = (order(connections[key]), json) } else { destinations[key] = (order(destinations[key]), json) }
        case .connectionDelete, .apiDestinationDelete:
            let key = try string("a", "the account") + "/" + string("g", "the region") + "/" + string("n", "the name")
            if type == .connectionDelete { connections[key] = nil } else { destinations[key] = nil }
        case .resourceTags:
            let arn = try string("arn", "the tagged ARN")
            guard let list = json["Tags"]?.arrayValue else { throw StateJournalFailure("a \(type) record for \(arn) has no \"Tags\" list") }
            tags[arn] = list.isEmpty ? nil : list
        default:
            throw StateJournalFailure("a \(type) record is not a resource record")
        }
    }

    /// Puts the recovered resources into `runtime` (before a journal is attached): buses, their
    /// policies, connections, API destinations, then rules with their targets, then tags.
    /// - Throws: ``StateJournalFailure`` naming the resource and what does not fit.
    func restore(into runtime: RouterRuntime) throws(StateJournalFailure) -> Counts {
        let router = runtime.router, meta = runtime.resourceMetadata
        var counts = Counts()
        func sorted(_ d: [String: (order: Int, value: JSONValue)]) -> [JSONValue] { d.values.sorted { $0.order < $1.order }.map(\.value) }
        for bus in sorted(buses) {
            let arn = bus["arn"]?.stringValue ?? ""
            guard !meta.isFromFiles(arn) else { continue }
            guard let ref = BusReference(arn: arn) else { throw StateJournalFailure("the recovered bus \(arn) is not an event bus ARN (arn:aws:events:REGION:ACCOUNT:event-bus/NAME)") }
            router.createBus(ref.name, account: ref.account, region: ref.region)
            if let info = try Self.info(bus, arn) { meta.setInfo(info, for: arn) }
            counts.buses += 1
        }
        for (arn, entry) in policies.sorted(by: { $0.key < $1.key }) where !meta.isFromFiles(arn) {
            guard let text = entry["Policy"]?.stringValue else {
                router.access.setPolicy(nil, forBus: arn)
                continue
            }
            guard router.hasBus(arn: arn) else { throw StateJournalFailure(Self.missingBus(arn, holding: "the policy of")) }
            let (policy, problems) = BusPolicy.parse(text: text, busArn: arn)
            guard let policy else {
                throw StateJournalFailure("the recovered policy of bus \(arn) is not valid: \(problems.filter { $0.severity == .error }.map(\.message).joined(separator: "; "))")
            }
            router.access.setPolicy(policy, forBus: arn)
            counts.policies += 1
        }
        for entry in sorted(connections) {
            var fields = FieldReader()
            let arn = entry["arn"]?.stringValue ?? ""
            guard let o = entry["c"]?.objectValue,
                let c = ConnectionDefinition.read(o, account: entry["a"]?.stringValue ?? "", region: entry["g"]?.stringValue ?? "", file: nil, fields: &fields, at: "$")
            else { throw StateJournalFailure("the recovered connection \(arn) is not valid: \(Self.problems(fields))") }
            runtime.apiDestinations.put(c)
            if let info = try Self.info(entry, arn) { meta.setInfo(info, for: c.arn) }
            counts.connections += 1
        }
        for entry in sorted(destinations) {
            var fields = FieldReader()
            let arn = entry["arn"]?.stringValue ?? ""
            guard let o = entry["d"]?.objectValue,
                let d = ApiDestinationDefinition.read(o, account: entry["a"]?.stringValue ?? "", region: entry["g"]?.stringValue ?? "", file: nil, fields: &fields, at: "$")
            else { throw StateJournalFailure("the recovered API destination \(arn) is not valid: \(Self.problems(fields))") }
            runtime.apiDestinations.put(d)
            if let info = try Self.info(entry, arn) { meta.setInfo(info, for: d.arn) }
            counts.apiDestinations += 1
        }
        for (arn, r) in rules.sorted(by: { $0.value.order < $1.value.order }).map({ ($0.key, $0.value.value) }) where !meta.isFromFiles(arn) {
            let rule = try Self.rule(r, arn: arn, router: router)
            do throws(EventRouterError) { try router.putRule(rule) } catch {
                throw StateJournalFailure(Self.missingBus(rule.busArn, holding: "rule \(arn) of"))
            }
            counts.rules += 1
            counts.targets += rule.targets.count
        }
        for (arn, list) in tags.sorted(by: { $0.key < $1.key }) {
            meta.tag(arn, with: list.compactMap { t in t["Key"]?.stringValue.map { ($0, t["Value"]?.stringValue ?? "") } })
        }
        return counts
    }

    /// A rule of a `rule.put` record, read as PutRule and PutTargets read it.
    static func rule(_ r: JSONValue, arn: String, router: Router) throws(StateJournalFailure) -> RuleDefinition {
        let busArn = r["EventBusArn"]?.stringValue ?? ""
        guard let name = r["Name"]?.stringValue, let ref = BusReference(arn: busArn) else {
            throw StateJournalFailure("the recovered rule \(arn) has no \"Name\" or its \"EventBusArn\" \(busArn) is not an event bus ARN")
        }
        guard router.hasBus(arn: busArn) else { throw StateJournalFailure(missingBus(busArn, holding: "rule \(arn) of")) }
        var pattern = EventPattern(alternatives: [])
        let patternText = r["EventPattern"]?.stringValue
        if let patternText {
            switch DefinitionReader.pattern(.string(patternText), defaults: router.defaults) {
            case .success(let p): pattern = p
            case .failure(let problems): throw StateJournalFailure("the recovered rule \(arn) has an EventPattern that is not valid: \(problems.reasons)")
            }
        }
        let schedule = r["ScheduleExpression"]?.stringValue
        guard patternText != nil || schedule != nil else { throw StateJournalFailure("the recovered rule \(arn) has neither \"EventPattern\" nor \"ScheduleExpression\"") }
        var targets: [TargetDefinition] = []
        switch DefinitionReader.targets(r["Targets"]?.arrayValue ?? [], ruleBusArn: busArn, defaults: router.defaults) {
        case .success(let t): targets = t
        case .failure(let problems): throw StateJournalFailure("the recovered rule \(arn) has targets that are not valid: \(problems.reasons)")
        }
        var rule = RuleDefinition(name: name, busName: ref.name, account: ref.account, region: ref.region, pattern: pattern,
                                  enabled: r["State"]?.stringValue != "DISABLED", description: r["Description"]?.stringValue, targets: targets)
        rule.patternText = patternText
        rule.scheduleExpression = schedule
        rule.roleArn = r["RoleArn"]?.stringValue
        rule.createdBy = r["CreatedBy"]?.stringValue
        return rule
    }

    static func missingBus(_ busArn: String, holding what: String) -> String {
        "the journal holds \(what) bus \(busArn), which was neither created through the API nor is declared in the rule files; declare it again (EventBuses in a rule file), or move the data directory aside to start empty"
    }

    /// `Description`, `Created`, `Modified` of an entry (nil without `Created`).
    static func info(_ entry: JSONValue, _ arn: String) throws(StateJournalFailure) -> ResourceMetadata.Info? {
        guard let created = entry["Created"] else { return nil }
        guard let c = created.intValue, let m = (entry["Modified"] ?? created).intValue, let c64 = Int64(exactly: c), let m64 = Int64(exactly: m) else {
            throw StateJournalFailure("the recovered \(arn) has \"Created\"/\"Modified\" that are not whole nanoseconds since the epoch")
        }
        return .init(description: entry["Description"]?.stringValue, created: Timestamp(nanosecondsSinceEpoch: c64), modified: Timestamp(nanosecondsSinceEpoch: m64))
    }

    static func problems(_ fields: FieldReader) -> String {
        let list = fields.problems.filter { $0.severity == .error }.map { "\($0.path): \($0.message)" }
        return list.isEmpty ? "it has no \"c\"/\"d\" entry object" : list.joined(separator: "; ")
    }
}
