/// What changed between two loaded workspaces (the files before and after an edit): the pure
/// decision behind hot reload (docs/hot-reload.md). Resources are compared by ARN; a rule's
/// `file` does not count (moving a rule to another file changes nothing).
public struct WorkspaceChanges: Sendable {
    /// Buses declared now and not before.
    public var addedBuses: [BusDefinition] = []
    /// Buses declared before and not now.
    public var removedBuses: [BusDefinition] = []
    /// Rules new or changed, by bus ARN, in file order.
    public var putRules: [String: [RuleDefinition]] = [:]
    /// Rule names removed, by bus ARN.
    public var removedRules: [String: [String]] = [:]
    public var addedQueues: [QueueDeclaration] = []
    public var removedQueues: [QueueDeclaration] = []
    /// Queues whose attributes changed (applied with `SetQueueAttributes`' rules).
    public var changedQueues: [QueueDeclaration] = []
    public var addedTopics: [TopicDeclaration] = []
    public var removedTopics: [TopicDeclaration] = []
    public var changedTopics: [TopicDeclaration] = []
    public var addedStreams: [StreamDeclaration] = []
    public var removedStreams: [StreamDeclaration] = []
    public var changedStreams: [StreamDeclaration] = []
    /// Functions whose `function.json` was added, removed or changed (applied at the next start).
    public var changedFunctionManifests: [String] = []
    /// Sections that changed and that a reload does not apply (`Accounts`, `Archives`, …).
    public var restartOnly: [String] = []
    /// The new files' connections and API destinations, when either changed (applied at once).
    public var apiDestinations: (connections: [ConnectionDefinition], destinations: [ApiDestinationDefinition], old: Workspace)?

    /// Whether nothing changed.
    public var isEmpty: Bool {
        addedBuses.isEmpty && removedBuses.isEmpty && putRules.isEmpty && removedRules.isEmpty && addedQueues.isEmpty
            && removedQueues.isEmpty && changedQueues.isEmpty && addedTopics.isEmpty && removedTopics.isEmpty && changedTopics.isEmpty
            && addedStreams.isEmpty && removedStreams.isEmpty && changedStreams.isEmpty && changedFunctionManifests.isEmpty && restartOnly.isEmpty
            && apiDestinations == nil
    }

    /// How many rules are put or removed.
    public var ruleChangeCount: Int { putRules.values.reduce(0) { $0 + $1.count } + removedRules.values.reduce(0) { $0 + $1.count } }

    /// Compares `old` with `new`.
    public init(from old: Workspace, to new: Workspace) {
        let oldBuses = Self.index(old.buses.filter { $0.file != nil }, by: \.arn)
        let newBuses = Self.index(new.buses.filter { $0.file != nil }, by: \.arn)
        addedBuses = new.buses.filter { $0.file != nil && oldBuses[$0.arn] == nil }
        removedBuses = old.buses.filter { $0.file != nil && newBuses[$0.arn] == nil }
        for bus in new.buses where bus.file != nil {
            if let before = oldBuses[bus.arn], before.policy != bus.policy { restartOnly.append("EventBuses (the policy of \(bus.arn))") }
        }

        let oldRules = Self.index(old.rules, by: \.arn)
        let newRules = Self.index(new.rules, by: \.arn)
        for rule in new.rules {
            if let before = oldRules[rule.arn], Self.sameRule(before, rule) { continue }
            putRules[rule.busArn, default: []].append(rule)
        }
        for rule in old.rules where newRules[rule.arn] == nil { removedRules[rule.busArn, default: []].append(rule.name) }

        (addedQueues, removedQueues, changedQueues) = Self.compare(old.queues, new.queues, arn: \.arn) { $0.configuration == $1.configuration }
        (addedTopics, removedTopics, changedTopics) = Self.compare(old.topics, new.topics, arn: \.arn) { $0.configuration == $1.configuration }
        (addedStreams, removedStreams, changedStreams) = Self.compare(old.streams, new.streams, arn: \.arn) { $0.configuration == $1.configuration }
        let (addedF, removedF, changedF) = Self.compare(old.functions, new.functions, arn: \.arn) { $0 == $1 }
        changedFunctionManifests = (addedF + removedF + changedF).map(\.name).sorted()

        if old.defaults != new.defaults { restartOnly.append("the defaults (Account, Region)") }
        if Set(old.accountDefinitions) != Set(new.accountDefinitions) { restartOnly.append("Accounts") }
        if Set(old.archives) != Set(new.archives) { restartOnly.append("Archives") }
        if old.deliveryStreams != new.deliveryStreams { restartOnly.append("DeliveryStreams") }
        if Set(old.connections) != Set(new.connections) || Set(old.apiDestinations) != Set(new.apiDestinations) {
            apiDestinations = (new.connections, new.apiDestinations, old)
        }
        let sections = { (w: Workspace) in Set(w.declarations.map { DeclarationKey(section: $0.section, name: $0.name, json: $0.json) }) }
        let changedSections = sections(old).symmetricDifference(sections(new)).map(\.section)
        restartOnly += Set(changedSections).sorted()
    }

    private struct DeclarationKey: Hashable {
        var section: String
        var name: String
        var json: JSONObject
    }

    /// Rules are the same when everything but the file they are in is.
    static func sameRule(_ a: RuleDefinition, _ b: RuleDefinition) -> Bool {
        var a = a
        a.file = b.file
        return a == b
    }

    private static func index<T>(_ items: [T], by key: (T) -> String) -> [String: T] {
        var table: [String: T] = [:]
        for item in items { table[key(item)] = item }
        return table
    }

    private static func compare<T>(_ old: [T], _ new: [T], arn: (T) -> String, same: (T, T) -> Bool) -> (added: [T], removed: [T], changed: [T]) {
        let before = index(old, by: arn), after = index(new, by: arn)
        var added: [T] = [], changed: [T] = []
        for item in new {
            guard let previous = before[arn(item)] else { added.append(item); continue }
            if !same(previous, item) { changed.append(item) }
        }
        return (added, old.filter { after[arn($0)] == nil }, changed)
    }
}
