/// The rules of one bus and the one place that matches an event against them.
///
/// For now it loops over the rules with the pattern engine's reference matcher; the compiled
/// many-rules matcher (`Matching/`) replaces the body of ``matchingRules(for:)`` without
/// changing callers.
struct BusRuleSet: Sendable {
    /// A rule with what delivery needs precomputed once.
    final class Entry: Sendable {
        let rule: RuleDefinition
        let arn: String
        init(_ rule: RuleDefinition) {
            self.rule = rule
            self.arn = rule.arn
        }
    }

    let account: String
    let region: String
    private(set) var entries: [Entry] = []

    init(account: String, region: String, rules: [RuleDefinition] = []) {
        self.account = account
        self.region = region
        for r in rules { add(r) }
    }

    /// Adds a rule, replacing one with the same name.
    mutating func add(_ rule: RuleDefinition) {
        let entry = Entry(rule)
        if let i = entries.firstIndex(where: { $0.rule.name == rule.name }) { entries[i] = entry } else { entries.append(entry) }
    }

    /// Removes the rule named `name`; returns whether it existed.
    @discardableResult
    mutating func remove(named name: String) -> Bool {
        guard let i = entries.firstIndex(where: { $0.rule.name == name }) else { return false }
        entries.remove(at: i)
        return true
    }

    /// The enabled rules whose pattern matches `event`, in declaration order.
    func matchingRules(for event: Event) -> [Entry] {
        guard !entries.isEmpty else { return [] }
        // The reference matcher of the pattern engine, with the event flattened once for all rules.
        let matcher = ReferenceMatcher(event: event.json)
        return entries.filter { $0.rule.enabled && matcher.matches($0.rule.pattern) }
    }
}
