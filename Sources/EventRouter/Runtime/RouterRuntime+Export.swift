/// `eventrouter export rules`: the resources created through the API as rule files.
extension RouterRuntime {
    /// The resources of this runtime that do not come from files (`origins`): buses, rules
    /// (on any bus), queues, topics with their subscriptions and streams, as one rule-file
    /// document per account and region, `{"Account", "Region", "EventBuses", "Queues",
    /// "Topics", "Streams", "Rules"}`, in the format of docs/rule-files.md.
    /// - Returns: `{"Files": [{"Name": "api-ACCOUNT-REGION.json", "Document": {…}}], "Skipped": ["why…"]}`:
    ///   what `GET /_eventrouter/export` answers and `eventrouter export rules` writes.
    public func exportAPIResources(origins: ResourceOrigins) -> JSONValue {
        struct Group {
            var buses: [JSONValue] = []
            var queues: [JSONValue] = []
            var topics: [JSONValue] = []
            var streams: [JSONValue] = []
            var rules: [JSONValue] = []
        }
        var groups: [String: Group] = [:]
        var skipped: [String] = []
        func key(_ account: String, _ region: String) -> String { "\(account)-\(region)" }

        for busArn in router.busArns {
            guard let arn = try? ARN(parsing: busArn) else { continue }
            if arn.name != RouterDefaults.defaultBusName, !origins.isFromFiles(busArn) {
                groups[key(arn.account, arn.region), default: Group()].buses.append(["Name": .string(arn.name)])
            }
            for rule in router.rules(onBus: busArn) where !origins.isFromFiles(rule.arn) {
                guard let entry = RuleFileWriter.rule(rule) else {
                    skipped.append("rule \(rule.arn): it has a schedule and no event pattern, and rule files have no ScheduleExpression")
                    continue
                }
                groups[key(arn.account, arn.region), default: Group()].rules.append(entry)
            }
        }
        for queue in queues.queues where !origins.isFromFiles(queue.arn) {
            let c = queue.configuration
            groups[key(c.account, c.region), default: Group()].queues.append(RuleFileWriter.queue(c))
        }
        for topic in topics.topics {
            let c = topic.configuration
            if origins.isFromFiles(topic.arn) {
                for s in c.subscriptions where !origins.isFromFiles(s.arn) {
                    skipped.append("subscription \(s.arn): it was added through the API to topic \(topic.arn), which comes from the files; add it to that topic's Subscription list there")
                }
                continue
            }
            for s in c.subscriptions where !(s.endpointProtocol == .sqs || s.endpointProtocol == .lambda) || s.pendingConfirmation {
                skipped.append("subscription \(s.arn): only confirmed sqs and lambda subscriptions can be declared in rule files")
            }
            groups[key(c.account, c.region), default: Group()].topics.append(RuleFileWriter.topic(c))
        }
        for stream in streams.all where !origins.isFromFiles(stream.arn) {
            let c = stream.configuration
            groups[key(c.account, c.region), default: Group()].streams.append(RuleFileWriter.stream(c))
        }

        var files: [JSONValue] = []
        for name in groups.keys.sorted() {
            guard let g = groups[name] else { continue }
            let parts = name.split(separator: "-", maxSplits: 1).map(String.init)
            var o = JSONObject()
            o["Account"] = .string(parts.first ?? "")
            o["Region"] = .string(parts.count > 1 ? parts[1] : "")
            if !g.buses.isEmpty { o["EventBuses"] = .array(g.buses) }
            if !g.queues.isEmpty { o["Queues"] = .array(g.queues) }
            if !g.topics.isEmpty { o["Topics"] = .array(g.topics) }
            if !g.streams.isEmpty { o["Streams"] = .array(g.streams) }
            if !g.rules.isEmpty { o["Rules"] = .array(g.rules) }
            files.append(["Name": .string("api-\(name).json"), "Document": .object(o)])
        }
        return ["Files": .array(files), "Skipped": .array(skipped.map { .string($0) })]
    }
}
