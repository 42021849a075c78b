extension WorkspaceGraph {
    /// The graph of `workspace`; with `state` (the JSON of `replay --state-out` or
    /// `/_eventrouter/state`), nodes and edges carry counts.
    public init(workspace: Workspace, state: JSONValue? = nil) {
        var g = WorkspaceGraph()
        let counts = state.map { StateCounts(state: $0) }
        let home = workspace.defaults.account
        let busLabel = { (name: String, account: String) in "bus \(name)" + (account == home ? "" : " (\(account))") }
        for bus in workspace.buses { g.node(bus.arn, .bus, busLabel(bus.name, bus.account)) }
        for rule in workspace.rules { g.node(rule.busArn, .bus, busLabel(rule.busName, rule.account)) }
        for q in workspace.queues { g.node(q.arn, .queue, "queue \(q.name)" + (counts?.queue(q.arn) ?? "")) }
        for t in workspace.topics { g.node(t.arn, .topic, "topic \(t.name)" + (counts?.topic(t.arn) ?? "")) }
        for s in workspace.streams { g.node(s.arn, .stream, "stream \(s.name)" + (counts?.stream(s.arn) ?? "")) }
        for f in workspace.functions { g.node(f.arn, .function, "function \(f.name)" + (counts?.function(f.arn) ?? "")) }
        for d in workspace.deliveryStreams {  // Firehose, drawn as a stream, with its source and transform
            g.node(d.arn, .stream, "delivery stream \(d.name)\ns3://\(d.configuration.bucket)/\(d.configuration.prefix)")
            if let source = d.configuration.sourceStreamArn { g.edge(source, d.arn, .flow, "source") }
            if let transform = d.configuration.transform { g.edge(d.arn, transform.functionArn, .flow, "transform") }
        }
        for a in workspace.archives {
            g.node(a.arn, .archive, "archive \(a.name) (\(a.retentionDays) days)")
            g.node(a.sourceArn, .bus, busLabel(a.source.name, a.source.account))
            g.edge(a.sourceArn, a.arn, .archive, "archived")
        }
        for rule in workspace.rules {
            var label = "rule \(rule.name)"
            if let s = rule.scheduleExpression { label += "\n" + s }
            let p = Self.shortPattern(rule.patternText)
            if !p.isEmpty { label += "\n" + p }
            if !rule.enabled { label += "\n(disabled)" }
            g.node(rule.arn, .rule, label)
            g.edge(rule.busArn, rule.arn, .flow, rule.isScheduleOnly ? "schedule" : "matches")
            for t in rule.targets {
                let delivered = counts?.delivered(toTarget: t.arn, fromRule: rule, workspace: workspace)
                g.edge(rule.arn, t.arn, .flow, t.id + (delivered ?? ""))
                if let dlq = t.deadLetterArn {
                    let n = counts?.deadLettered(rule: rule.arn, target: t.arn, dlq: dlq)
                    g.edge(rule.arn, dlq, .deadLetter, "DLQ of \(t.id)" + (n.map { ": dead-lettered \($0)" } ?? ""))
                }
            }
        }
        for q in workspace.queues {
            if let dlq = q.configuration.redrivePolicy?.deadLetterTargetArn {
                g.edge(q.arn, dlq, .deadLetter, "redrive after \(q.configuration.redrivePolicy?.maxReceiveCount ?? 0) receives")
            }
        }
        for t in workspace.topics {
            for s in t.configuration.subscriptions {
                g.edge(t.arn, s.endpoint, .flow, s.endpointProtocol.rawValue + (s.filterPolicy != nil ? " (filtered)" : ""))
                if let dlq = s.deadLetterTargetArn { g.edge(t.arn, dlq, .deadLetter, "DLQ of \(s.endpointProtocol.rawValue) subscription") }
            }
        }
        for m in (try? workspace.eventSourceMappings()) ?? [] {
            g.edge(m.source.arn, m.functionArn, .mapping, "mapping batch \(m.batchSize)" + (counts?.mapping(m) ?? ""))
        }
        for f in workspace.functions {
            if let d = f.onSuccessDestination { g.edge(f.arn, d, .destination, "OnSuccess") }
            if let d = f.onFailureDestination { g.edge(f.arn, d, .destination, "OnFailure") }
            if let d = f.deadLetterTargetArn { g.edge(f.arn, d, .deadLetter, "DLQ") }
        }
        g.note = counts?.note
        self = g
    }
}

/// Counts read from a state JSON.
struct StateCounts {
    let state: JSONValue

    func queueMessages(_ arn: String) -> [JSONValue] { state["queues"]?[arn]?["messages"]?.arrayValue ?? [] }

    func queue(_ arn: String) -> String {
        guard state["queues"]?[arn] != nil else { return "" }
        return "\n\(queueMessages(arn).count) messages"
    }

    func stream(_ arn: String) -> String {
        guard let shards = state["streams"]?[arn]?["shards"]?.arrayValue else { return "" }
        return "\n\(shards.reduce(0) { $0 + ($1["records"]?.arrayValue?.count ?? 0) }) records"
    }

    func topic(_ arn: String) -> String {
        guard let t = state["topics"]?[arn] else { return "" }
        return "\npublished \(t["published"]?.intValue ?? 0), delivered \(t["delivered"]?.intValue ?? 0), retried \(t["retried"]?.intValue ?? 0), dead-lettered \(t["deadLettered"]?.intValue ?? 0)"
    }

    func functionEntry(_ arn: String) -> JSONValue? {
        if let f = state["functions"]?[arn] { return f }
        return state["functions"]?.arrayValue?.first { $0["FunctionArn"]?.stringValue == arn || $0["arn"]?.stringValue == arn }
    }

    func function(_ arn: String) -> String {
        guard let f = functionEntry(arn) else { return "" }
        let pick = { (k: String) in f[k]?.intValue ?? f["metrics"]?[k]?.intValue ?? 0 }
        return "\ninvoked \(pick("invocations")), throttled \(pick("throttles")), errors \(pick("errors"))"
    }

    func mapping(_ m: EventSourceMappingConfiguration) -> String {
        guard let list = state["eventSourceMappings"]?.arrayValue,
              let entry = list.first(where: { $0["EventSourceArn"]?.stringValue == m.source.arn && $0["FunctionArn"]?.stringValue == m.functionArn }),
              let c = entry["counters"]?.objectValue else { return "" }
        return ": " + c.members.filter { $0.value.intValue != nil }.prefix(3).map { "\($0.key) \($0.value.intValue ?? 0)" }.joined(separator: ", ")
    }

    /// Messages of the target's resource that came from this rule: all of them when this
    /// rule is the only rule target delivering there.
    func delivered(toTarget arn: String, fromRule rule: RuleDefinition, workspace: Workspace) -> String? {
        let senders = workspace.rules.reduce(0) { $0 + $1.targets.count { $0.arn == arn } }
        guard senders == 1 else { return nil }
        switch WorkspaceGraph.kind(ofArn: arn) {
        case .queue:
            guard state["queues"]?[arn] != nil else { return nil }
            let n = queueMessages(arn).filter { $0["MessageAttributes"]?["ERROR_CODE"] == nil }.count
            return ": delivered \(n)"
        case .stream:
            guard let shards = state["streams"]?[arn]?["shards"]?.arrayValue else { return nil }
            return ": delivered \(shards.reduce(0) { $0 + ($1["records"]?.arrayValue?.count ?? 0) })"
        default: return nil
        }
    }

    /// Messages in `dlq` whose `RULE_ARN` / `TARGET_ARN` attributes name this rule target.
    func deadLettered(rule: String, target: String, dlq: String) -> Int? {
        guard state["queues"]?[dlq] != nil else { return nil }
        return queueMessages(dlq).count { m in
            m["MessageAttributes"]?["RULE_ARN"]?["StringValue"]?.stringValue == rule
                && m["MessageAttributes"]?["TARGET_ARN"]?["StringValue"]?.stringValue == target
        }
    }

    var note: String? {
        guard let d = state["deliveries"] else { return nil }
        return "rule deliveries: succeeded \(d["succeeded"]?.intValue ?? 0), retried \(d["retried"]?.intValue ?? 0), dead-lettered \(d["deadLettered"]?.intValue ?? 0), dropped \(d["dropped"]?.intValue ?? 0)"
    }
}
