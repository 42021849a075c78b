/// Resolves the names a scenario uses (queue, stream, topic, function, rule names or ARNs) in its workspace.
struct Resolver {
    let workspace: Workspace
    let queueNames: [String]
    let streamNames: [String]
    let topicNames: [String]
    let functionNames: [String]
    let ruleNames: [String]
    /// Every ARN a delivery may go to: rule targets and their dead-letter queues, queues, streams, topics, functions.
    let knownTargetArns: [String]

    init(workspace: Workspace) {
        self.workspace = workspace
        queueNames = workspace.queues.map(\.name)
        streamNames = workspace.streams.map(\.name)
        topicNames = workspace.topics.map(\.name)
        functionNames = workspace.functions.map(\.name)
        ruleNames = workspace.rules.map(\.name)
        var arns = workspace.rules.flatMap { $0.targets.flatMap { [$0.arn] + ($0.deadLetterArn.map { [$0] } ?? []) } }
        arns += workspace.queues.map(\.arn) + workspace.streams.map(\.arn) + workspace.topics.map(\.arn) + workspace.functions.map(\.arn)
        var seen = Set<String>()
        knownTargetArns = arns.filter { seen.insert($0).inserted }
    }

    private static func find(_ v: JSONValue, _ items: [(name: String, arn: String)]) -> String? {
        guard let s = v.stringValue else { return nil }
        return items.first { $0.name == s || $0.arn == s }?.arn
    }

    func queue(_ v: JSONValue) -> String? { Self.find(v, workspace.queues.map { ($0.name, $0.arn) }) }
    func stream(_ v: JSONValue) -> String? { Self.find(v, workspace.streams.map { ($0.name, $0.arn) }) }
    func topic(_ v: JSONValue) -> String? { Self.find(v, workspace.topics.map { ($0.name, $0.arn) }) }
    func function(_ v: JSONValue) -> String? { Self.find(v, workspace.functions.map { ($0.name, $0.arn) }) }

    func rule(_ v: JSONValue) -> RuleDefinition? {
        guard let s = v.stringValue else { return nil }
        return workspace.rules.first { $0.name == s || $0.arn == s }
    }

    /// ` (did you mean 'X'?)` when a known name is close.
    func hint(_ v: JSONValue, _ names: [String]) -> String {
        guard let s = v.stringValue, let h = DidYouMean.suggestion(for: s, among: names) else { return "" }
        return " (did you mean '\(h)'?)"
    }
}
