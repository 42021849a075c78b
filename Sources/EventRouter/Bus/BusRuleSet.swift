/// The rules of one bus and the one place that matches an event against them.
///
/// All rules of the bus are compiled into one ``RuleMatcher``, so matching an event costs about
/// the same with 10 rules as with 10,000; rules are added, replaced and removed at run time.
/// Matching mutates the matcher's scratch buffers: call ``matchingRules(for:)`` on the copy the
/// router keeps under its lock (a copy made outside it would copy the buffers).
struct BusRuleSet: Sendable {
    /// A rule with what delivery needs precomputed once.
    final class Entry: Sendable {
        let rule: RuleDefinition
        let arn: String
        /// The rule's id in the compiled matcher; ids grow in declaration order.
        let id: Int
        init(_ rule: RuleDefinition, id: Int) {
            self.rule = rule
            self.arn = rule.arn
            self.id = id
        }
    }

    let account: String
    let region: String
    /// The rules by matcher id.
    private var byID: [Int: Entry] = [:]
    private var idsByName: [String: Int] = [:]
    private var nextID = 0
    private var matcher = RuleMatcher()
    private var matchedIDs: [Int] = []

    init(account: String, region: String, rules: [RuleDefinition] = []) {
        self.account = account
        self.region = region
        for r in rules { add(r) }
    }

    /// The rules in declaration order.
    var entries: [Entry] { byID.keys.sorted().compactMap { byID[$0] } }

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
        matcher.add(rule.pattern, id: id)
    }

    /// Removes the rule named `name`; returns whether it existed.
    @discardableResult
    mutating func remove(named name: String) -> Bool {
        guard let id = idsByName.removeValue(forKey: name) else { return false }
        byID[id] = nil
        matcher.remove(id: id)
        return true
    }

    /// The enabled rules whose pattern matches `event`, in declaration order.
    mutating func matchingRules(for event: Event) -> [Entry] {
        guard !byID.isEmpty else { return [] }
        matchedIDs.removeAll(keepingCapacity: true)
        var text = event.jsonText
        let failed: Bool = text.withUTF8 { bytes in
            do {
                try matcher.matches(eventUTF8: UnsafeRawBufferPointer(bytes), into: &matchedIDs)
                return false
            } catch {
                return true
            }
        }
        // An event the router built is always valid JSON; should its text ever not be, match
        // the parsed value instead of dropping the event.
        if failed { matchedIDs = matcher.matches(event.json) }
        return matchedIDs.compactMap { id in
            guard let entry = byID[id], entry.rule.enabled else { return nil }
            return entry
        }
    }
}
