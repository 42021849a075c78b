import Synchronization

/// One event bus of a ``Router``: its identity, computed once, and its rules.
///
/// Rule changes edit the ``BusRuleSet`` under this bus's own lock and mark the compiled
/// ``BusSnapshot`` stale; the next event compiles a new one and publishes it. Matching takes
/// the current snapshot (one reference, under the same short lock) and matches outside any
/// lock, so events on different buses, and on the same bus, are matched in parallel.
final class BusHandle: Sendable {
    private struct State: Sendable {
        var rules: BusRuleSet
        /// `nil` after a change, until the next event compiles the rules again.
        var snapshot: BusSnapshot?
    }

    /// The bus's ARN, built once.
    let arn: String
    let name: String
    let account: String
    let region: String
    private let state: Mutex<State>

    /// Whether ``arn`` is the ARN that ``ARN/eventBus(_:account:region:)`` builds from the
    /// name, account and region (so a PutEvents `EventBusName` given as a name can find it).
    let isFoundByName: Bool
    /// The account that bus policies see as the bus's owner (from the ARN, as ``BusAccessControl`` reads it).
    let policyAccount: String

    init(arn: String, account: String, region: String, rules: [RuleDefinition] = []) {
        let name = (try? ARN(parsing: arn))?.name ?? arn
        self.name = name
        self.account = account
        self.region = region
        self.arn = arn
        self.policyAccount = BusReference(arn: arn)?.account ?? ""
        self.isFoundByName = ARN.eventBus(name, account: account, region: region).description == arn
        self.state = Mutex(State(rules: BusRuleSet(rules: rules), snapshot: nil))
    }

    /// The compiled rules now in force.
    func current() -> BusSnapshot {
        state.withLock { s in
            if let snapshot = s.snapshot { return snapshot }
            let snapshot = s.rules.snapshot()
            s.snapshot = snapshot
            return snapshot
        }
    }

    /// The rules in declaration order.
    var rules: [RuleDefinition] { state.withLock { $0.rules.entries.map(\.rule) } }

    /// The rule named `name`, with its routes.
    func entry(named name: String) -> BusRuleSet.Entry? { state.withLock { $0.rules.entry(named: name) } }

    /// Adds or replaces a rule.
    func add(_ rule: RuleDefinition) {
        state.withLock { s in
            s.rules.add(rule)
            s.snapshot = nil
        }
    }

    /// Puts `put` (added or replacing by name) and removes `remove` in one step: an event
    /// matched on this bus sees every change of a reload or none (docs/hot-reload.md).
    func replace(put: [RuleDefinition], remove: [String]) {
        state.withLock { s in
            for name in remove { _ = s.rules.remove(named: name) }
            for rule in put { s.rules.add(rule) }
            s.snapshot = nil
        }
    }

    /// Removes the rule named `name`; returns whether it existed.
    func remove(named name: String) -> Bool {
        state.withLock { s in
            guard s.rules.remove(named: name) else { return false }
            s.snapshot = nil
            return true
        }
    }
}
