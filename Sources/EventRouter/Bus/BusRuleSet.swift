/// The rules of one bus and the one place that matches an event against them.
///
/// For now it loops over ``EventPattern/matches(_:)``; the compiled many-rules matcher
/// (`Matching/`) replaces the body of ``matchingRules(for:)`` without changing callers.
struct BusRuleSet: Sendable {
    private(set) var rules: [RuleDefinition] = []

    init(rules: [RuleDefinition] = []) {
        for r in rules { add(r) }
    }

    /// Adds a rule, replacing one with the same name.
    mutating func add(_ rule: RuleDefinition) {
        if let i = rules.firstIndex(where: { $0.name == rule.name }) { rules[i] = rule } else { rules.append(rule) }
    }

    /// Removes the rule named `name`; returns whether it existed.
    @discardableResult
    mutating func remove(named name: String) -> Bool {
        guard let i = rules.firstIndex(where: { $0.name == name }) else { return false }
        rules.remove(at: i)
        return true
    }

    /// The enabled rules whose pattern matches `event`, in declaration order.
    func matchingRules(for event: Event) -> [RuleDefinition] {
        rules.filter { $0.enabled && $0.pattern.matches(event.json) }
    }
}
