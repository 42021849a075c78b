import Synchronization

/// The buses and rules of a ``Router``: creating and removing buses, putting and removing rules,
/// and resolving a PutEvents `EventBusName` to its bus.
extension Router {
    /// Creates a bus (no-op if it exists).
    public func createBus(_ name: String, account: String? = nil, region: String? = nil) {
        let account = account ?? defaults.account, region = region ?? defaults.region
        let arn = ARN.eventBus(name, account: account, region: region).description
        let defaultRegion = defaults.region
        buses.withLock { t in
            if t.byArn[arn] == nil { t.insert(BusHandle(arn: arn, account: account, region: region), defaultRegion: defaultRegion) }
        }
    }

    /// Adds or replaces a rule on its bus.
    /// - Throws: ``EventRouterError`` (`NotFound`) when the rule's bus does not exist.
    public func putRule(_ rule: RuleDefinition) throws(EventRouterError) {
        guard let bus = bus(arn: rule.busArn) else { throw EventRouterError(.notFound, "event bus \(rule.busArn) does not exist") }
        bus.add(rule)
        noteRuleChange()
    }

    /// Removes a rule; returns whether it existed.
    @discardableResult
    public func removeRule(named name: String, busArn: String) -> Bool {
        let removed = bus(arn: busArn)?.remove(named: name) ?? false
        if removed { noteRuleChange() }
        return removed
    }

    /// Puts and removes rules of the bus `busArn` in one step (hot reload: never half-applied).
    /// - Returns: false when the bus does not exist.
    @discardableResult
    package func replaceRules(onBus busArn: String, put: [RuleDefinition], remove: [String]) -> Bool {
        guard let bus = bus(arn: busArn) else { return false }
        bus.replace(put: put, remove: remove)
        return true
    }

    /// Removes a bus (its rules go with it); returns whether it existed.
    @discardableResult
    public func removeBus(arn: String) -> Bool {
        let removed = buses.withLock { t in
            guard let bus = t.byArn.removeValue(forKey: arn) else { return false }
            let key = BusTable.NameKey(account: bus.account, name: bus.name)
            if t.byName[key] === bus { t.byName[key] = nil }
            return true
        }
        if removed { noteRuleChange() }
        return removed
    }

    /// How many rule or bus changes there have been: a reader that saw the same count has
    /// seen the current rules (the schedule runner re-reads scheduled rules when it moves).
    public var ruleChanges: UInt64 { ruleChangeCount.load(ordering: .acquiring) }

    /// Counts a rule change and wakes the driver (a new scheduled rule must be seen at once).
    func noteRuleChange() {
        ruleChangeCount.add(1, ordering: .releasing)
        scheduler.wake.signal()
    }

    /// Whether the bus `arn` exists.
    public func hasBus(arn: String) -> Bool { bus(arn: arn) != nil }

    /// The rules of the bus `busArn` in declaration order (empty when it does not exist).
    public func rules(onBus busArn: String) -> [RuleDefinition] { bus(arn: busArn)?.rules ?? [] }

    /// The rule named `name` on the bus `busArn`.
    public func rule(named name: String, busArn: String) -> RuleDefinition? {
        bus(arn: busArn)?.rules.first { $0.name == name }
    }

    /// The ARNs of every bus, sorted.
    public var busArns: [String] { buses.withLock { $0.byArn.keys.sorted() } }

    /// Resolves a PutEvents `EventBusName` (name or ARN; `nil` = default) to a bus ARN; a name
    /// is a bus of `account` (default: the default account).
    public func busArn(for nameOrArn: String?, account: String? = nil) -> String? {
        bus(for: nameOrArn, account: account)?.arn
    }

    /// The bus a PutEvents `EventBusName` names (see ``busArn(for:account:)``).
    func bus(for nameOrArn: String?, account: String?) -> BusHandle? {
        if let nameOrArn, nameOrArn.hasPrefix("arn:") {
            guard let parsed = try? ARN(parsing: nameOrArn), parsed.kind == .eventBus else { return nil }
            return bus(arn: parsed.description)
        }
        let key = BusTable.NameKey(account: account ?? defaults.account, name: nameOrArn ?? RouterDefaults.defaultBusName)
        return buses.withLock { $0.byName[key] }
    }

    func bus(arn: String) -> BusHandle? { buses.withLock { $0.byArn[arn] } }
}
