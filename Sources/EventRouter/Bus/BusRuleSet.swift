/// The rules of one bus as they are edited: added, replaced and removed at run time.
///
/// All rules of the bus are compiled into one ``RuleMatcher``, so matching an event costs about
/// the same with 10 rules as with 10,000. Matching never reads this type: ``snapshot()``
/// compiles the current rules into an immutable ``BusSnapshot`` that any number of threads
/// match against at once (see ``BusHandle``).
struct BusRuleSet: Sendable {
    /// A rule with what delivery needs precomputed once.
    final class Entry: Sendable {
        let rule: RuleDefinition
        let arn: String
        /// The rule's id in the compiled matcher; ids grow in declaration order.
        let id: Int
        /// One route per target, in the rule's order, with the target ARNs parsed once.
        let routes: [DeliveryRoute]
        init(_ rule: RuleDefinition, id: Int) {
            self.rule = rule
            let arn = rule.arn
            self.arn = arn
            self.id = id
            self.routes = rule.targets.map { DeliveryRoute(ruleArn: arn, target: $0) }
        }
    }

    /// The rules by matcher id.
    private var byID: [Int: Entry] = [:]
    private var idsByName: [String: Int] = [:]
    private var nextID = 0
    private var matcher = RuleMatcher()

    init(rules: [RuleDefinition] = []) {
        for r in rules { add(r) }
    }

    /// The rules in declaration order.
    var entries: [Entry] { byID.keys.sorted().compactMap { byID[$0] } }

    /// The rule named `name`, with its routes.
    func entry(named name: String) -> Entry? { idsByName[name].flatMap { byID[$0] } }

    /// Adds a rule, replacing one with the same name (which keeps its place in the order).
    mutating func add(_ rule: RuleDefinition) {
        let id: Int
        if let existing = idsByName[rule.name] {
            id = existing
        } else {
            id = nextID
            nextID += 1
            idsByName[rule.name] = id
        }
        byID[id] = Entry(rule, id: id)
        if rule.isScheduleOnly {
            matcher.remove(id: id)  // a schedule-only rule matches no event
        } else {
            matcher.add(rule.pattern, id: id)
        }
    }

    /// Removes the rule named `name`; returns whether it existed.
    @discardableResult
    mutating func remove(named name: String) -> Bool {
        guard let id = idsByName.removeValue(forKey: name) else { return false }
        byID[id] = nil
        matcher.remove(id: id)
        return true
    }

    /// The current rules compiled into an immutable snapshot.
    func snapshot() -> BusSnapshot {
        var compiled = matcher
        compiled.prepare()
        return BusSnapshot(byID: byID, matcher: compiled)
    }
}
