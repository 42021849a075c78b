import EventRouter

/// Turns a ``WorkspaceDraft`` into files: attaches subscriptions, bus policies and invoke
/// configs; declares what rules and mappings name but no template creates; replaces targets
/// the engine cannot deliver to by stand-in queues; writes the rule files and function folders.
struct WorkspaceAssembler {
    var draft: WorkspaceDraft
    var problems: [ImportProblem] = []

    init(draft: WorkspaceDraft) { self.draft = draft }

    struct ARNParts {
        var service: String
        var region: String
        var account: String
        var resource: String
    }

    static func parse(_ arn: String) -> ARNParts? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn" else { return nil }
        return ARNParts(service: String(parts[2]), region: String(parts[3]), account: String(parts[4]), resource: String(parts[5]))
    }

    var accounts: Set<String> { Set(draft.stacks.map(\.account)) }

    func index(_ section: String, key: String, account: String, region: String, name: String) -> Int? {
        draft.entries.firstIndex { $0.section == section && $0.account == account && $0.region == region && $0.object[key]?.stringValue == name }
    }

    /// The stack whose file holds declarations for (account, region), or a file of its own.
    func home(account: String, region: String) -> String {
        draft.stacks.first { $0.account == account && $0.region == region }?.name ?? "declared-\(account)-\(region)"
    }

    mutating func declare(_ section: String, key: String, name: String, account: String, region: String, why: String, extra: JSONObject = JSONObject()) {
        guard index(section, key: key, account: account, region: region, name: name) == nil else { return }
        var o: JSONObject = [key: .string(name)]
        for m in extra.members { o[m.key] = m.value }
        draft.entries.append(WorkspaceDraft.Entry(stack: home(account: account, region: region), account: account, region: region, section: section, object: o))
        let kind = ["EventBuses": "bus", "Queues": "queue", "Topics": "topic", "Streams": "stream"][section] ?? section
        draft.note("Declared resources", "\(kind) \(name) in \(account)/\(region): \(why)")
    }

    /// Makes sure the resource an ARN names exists when it is in an account of the workspace
    /// (buses: in any account). Returns false when the ARN is of a kind the engine does not deliver to.
    mutating func ensure(_ arn: String, why: String, function allowed: Bool = true) -> Bool {
        guard let p = Self.parse(arn) else { return false }
        let known = accounts.contains(p.account)
        switch p.service {
        case "sqs":
            if known { declare("Queues", key: "QueueName", name: p.resource, account: p.account, region: p.region, why: why, extra: p.resource.hasSuffix(".fifo") ? ["FifoQueue": true] : JSONObject()) }
            return true
        case "sns":
            if known { declare("Topics", key: "TopicName", name: p.resource, account: p.account, region: p.region, why: why, extra: p.resource.hasSuffix(".fifo") ? ["FifoTopic": true] : JSONObject()) }
            return true
        case "kinesis":
            guard p.resource.hasPrefix("stream/") else { return false }
            if known { declare("Streams", key: "Name", name: String(p.resource.dropFirst(7)), account: p.account, region: p.region, why: why) }
            return true
        case "events":
            if p.resource.hasPrefix("api-destination/") {
                // Delivered when the stacks declare it (AWS::Events::ApiDestination); otherwise a stand-in.
                let name = p.resource.split(separator: "/").dropFirst().first.map(String.init) ?? ""
                return draft.entries.contains { $0.section == "ApiDestinations" && $0.account == p.account && $0.object["Name"]?.stringValue == name }
            }
            guard p.resource.hasPrefix("event-bus/") else { return false }
            let name = String(p.resource.dropFirst(10))
            if name != "default" { declare("EventBuses", key: "Name", name: name, account: p.account, region: p.region, why: why) }
            else if !known { declare("EventBuses", key: "Name", name: "default", account: p.account, region: p.region, why: why) }
            return true
        case "lambda":
            guard allowed, p.resource.hasPrefix("function:") else { return false }
            let rest = p.resource.dropFirst(9)
            let name = String(rest.split(separator: ":").first ?? rest)
            if known && !draft.functions.contains(where: { $0.name == name }) {
                draft.functions.append(WorkspaceDraft.FunctionDraft(
                    name: name, account: p.account, region: p.region,
                    manifest: ["Runtime": "process", "Handler": "standin.sh", "Description": .string("Stand-in: \(why)"),
                               "Account": .string(p.account), "Region": .string(p.region)],
                    files: [ImportedFile(path: "standin.sh", text: StackContext.standInHandler, executable: true)], source: why))
                draft.note("Stand-in functions", "\(name): \(why); no given template creates it, Functions/\(name)/standin.sh returns its event")
            }
            return true
        default:
            return false
        }
    }

    static func sanitized(_ s: String) -> String {
        String(s.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
    }

    mutating func assemble() -> [ImportedFile] {
        attachSubscriptions()
        attachBusStatements()
        attachInvokeConfigs()
        checkFunctionNames()
        fixRules()
        fixMappingsAndDestinations()
        return writeFiles()
    }

    mutating func attachSubscriptions() {
        for (topicArn, sub, origin) in draft.subscriptions {
            guard let p = Self.parse(topicArn), p.service == "sns" else {
                draft.note("Skipped resources", "\(origin): subscription to '\(topicArn)', which is not a topic ARN")
                continue
            }
            _ = ensure(topicArn, why: "\(origin) subscribes to it")
            if let i = index("Topics", key: "TopicName", account: p.account, region: p.region, name: p.resource) {
                var list = draft.entries[i].object["Subscription"]?.arrayValue ?? []
                list.append(.object(sub))
                draft.entries[i].object["Subscription"] = .array(list)
            } else {
                draft.note("Skipped resources", "\(origin): subscription to \(topicArn), a topic of an account no given template is in")
            }
        }
    }

    mutating func attachBusStatements() {
        for (busArn, statement) in draft.busStatements {
            guard let p = Self.parse(busArn), p.resource.hasPrefix("event-bus/") else { continue }
            let name = String(p.resource.dropFirst(10))
            if index("EventBuses", key: "Name", account: p.account, region: p.region, name: name) == nil {
                draft.entries.append(WorkspaceDraft.Entry(stack: home(account: p.account, region: p.region), account: p.account, region: p.region,
                                                          section: "EventBuses", object: ["Name": .string(name)]))
            }
            guard let i = index("EventBuses", key: "Name", account: p.account, region: p.region, name: name) else { continue }
            var policy = draft.entries[i].object["Policy"]?.objectValue ?? ["Version": "2012-10-17", "Statement": []]
            var statements = policy["Statement"]?.arrayValue ?? policy["Statement"].map { [$0] } ?? []
            statements.append(statement)
            policy["Statement"] = .array(statements)
            draft.entries[i].object["Policy"] = .object(policy)
        }
    }

    mutating func attachInvokeConfigs() {
        for (arn, settings, origin) in draft.invokeConfigs {
            let name = Self.parse(arn).map { String($0.resource.dropFirst(9).split(separator: ":").first ?? "") } ?? arn
            guard let i = draft.functions.firstIndex(where: { $0.name == name }) else {
                _ = ensure(arn, why: "\(origin) configures it")
                if let j = draft.functions.firstIndex(where: { $0.name == name }) { merge(settings, into: j) }
                continue
            }
            merge(settings, into: i)
        }
    }

    mutating func merge(_ settings: JSONObject, into i: Int) {
        for m in settings.members { draft.functions[i].manifest[m.key] = m.value }
    }

    mutating func checkFunctionNames() {
        var seen: [String: String] = [:]
        for f in draft.functions where !f.file.isEmpty {
            if let other = seen[f.name] {
                problems.append(ImportProblem(file: f.file, line: 0, logicalId: f.logicalId,
                                              "function name \(f.name) is also used by \(other); a workspace's function folders are named by function name, give one a FunctionName"))
            }
            seen[f.name] = f.source
        }
    }

    mutating func fixRules() {
        for i in draft.entries.indices where draft.entries[i].section == "Rules" {
            let e = draft.entries[i]
            let ruleName = e.object["Name"]?.stringValue ?? ""
            if let bus = e.object["EventBusName"]?.stringValue, bus != "default" {
                let arn = bus.hasPrefix("arn:") ? bus : "arn:aws:events:\(e.region):\(e.account):event-bus/\(bus)"
                _ = ensure(arn, why: "rule \(ruleName) is on it")
            }
            var targets = e.object["Targets"]?.arrayValue ?? []
            for t in targets.indices {
                guard var target = targets[t].objectValue, let arn = target["Arn"]?.stringValue else { continue }
                let id = target["Id"]?.stringValue ?? "target"
                if !ensure(arn, why: "rule \(ruleName) targets it") {
                    let base = Self.sanitized("\(ruleName)-\(id)-standin")
                    let name = base.count <= 80 ? base : String(base.prefix(67)) + "-" + PhysicalName.suffix(base)
                    declare("Queues", key: "QueueName", name: name, account: e.account, region: e.region, why: "stand-in for \(arn)")
                    target["Arn"] = .string("arn:aws:sqs:\(e.region):\(e.account):\(name)")
                    target.members.removeAll { $0.key == "KinesisParameters" }
                    draft.note("Stand-in queues", "rule \(ruleName) target \(id): \(arn) → queue \(name) (EventRouter does not deliver to this kind of target)")
                }
                if let p = Self.parse(arn), p.service == "lambda", p.resource.split(separator: ":").count == 3 {
                    // function:NAME:QUALIFIER — EventRouter has no versions or aliases: the function itself.
                    let parts = p.resource.split(separator: ":")
                    if parts[2] != "$LATEST" {
                        target["Arn"] = .string("arn:aws:lambda:\(p.region):\(p.account):function:\(parts[1])")
                        draft.note("Notes", "rule \(ruleName) target \(id): \(arn) delivers to the function itself (EventRouter has no versions or aliases)")
                    }
                }
                if let dlq = target["DeadLetterConfig"]?["Arn"]?.stringValue { _ = ensure(dlq, why: "dead-letter queue of rule \(ruleName) target \(id)") }
                targets[t] = .object(target)
            }
            draft.entries[i].object["Targets"] = .array(targets)
        }
    }

    mutating func fixMappingsAndDestinations() {
        for e in draft.entries where e.section == "EventSourceMappings" {
            if let source = e.object["EventSourceArn"]?.stringValue { _ = ensure(source, why: "an event source mapping reads it") }
            if let f = e.object["FunctionName"]?.stringValue {
                _ = ensure(f.hasPrefix("arn:") ? f : "arn:aws:lambda:\(e.region):\(e.account):function:\(f)", why: "an event source mapping invokes it")
            }
            if let d = e.object["DestinationConfig"]?["OnFailure"]?["Destination"]?.stringValue { _ = ensure(d, why: "on-failure destination of a mapping") }
        }
        for e in draft.entries where e.section == "Topics" {
            for s in e.object["Subscription"]?.arrayValue ?? [] {
                if let endpoint = s["Endpoint"]?.stringValue { _ = ensure(endpoint, why: "topic \(e.object["TopicName"]?.stringValue ?? "") delivers to it") }
                if let dlq = s["RedrivePolicy"]?["deadLetterTargetArn"]?.stringValue { _ = ensure(dlq, why: "a subscription's dead-letter queue") }
            }
        }
        for e in draft.entries where e.section == "Queues" {
            if let dlq = e.object["RedrivePolicy"]?["deadLetterTargetArn"]?.stringValue { _ = ensure(dlq, why: "redrive target of \(e.object["QueueName"]?.stringValue ?? "")") }
        }
        for f in draft.functions {
            for key in ["OnSuccess", "OnFailure"] {
                if let d = f.manifest["DestinationConfig"]?[key]?["Destination"]?.stringValue { _ = ensure(d, why: "\(key) destination of \(f.name)") }
            }
            if let d = f.manifest["DeadLetterConfig"]?["TargetArn"]?.stringValue { _ = ensure(d, why: "dead-letter queue of \(f.name)") }
        }
    }

    static let sectionOrder = ["EventBuses", "Archives", "Queues", "Topics", "Streams", "Connections", "ApiDestinations", "Rules", "EventSourceMappings"]

    func writeFiles() -> [ImportedFile] {
        var files: [ImportedFile] = []
        var fileOrder: [String] = []
        var byFile: [String: (account: String, region: String, sections: [String: [JSONValue]])] = [:]
        for e in draft.entries {
            let name = Self.sanitized(e.stack) + (e.stack.hasPrefix("declared-") || draft.stacks.contains { $0.name == e.stack && $0.account == e.account && $0.region == e.region } ? "" : "-\(e.account)-\(e.region)")
            if byFile[name] == nil { byFile[name] = (e.account, e.region, [:]); fileOrder.append(name) }
            byFile[name]?.sections[e.section, default: []].append(.object(e.object))
        }
        for s in draft.stacks {
            let name = Self.sanitized(s.name)
            if byFile[name] == nil { byFile[name] = (s.account, s.region, [:]); fileOrder.append(name) }
        }
        for name in fileOrder {
            guard let f = byFile[name] else { continue }
            var o: JSONObject = ["Account": .string(f.account), "Region": .string(f.region)]
            for section in Self.sectionOrder { if let list = f.sections[section] { o[section] = .array(list) } }
            files.append(ImportedFile(path: "Rules/\(name).json", text: JSONPrettyPrinter.format(.object(o)) + "\n"))
        }
        for fn in draft.functions {
            files.append(ImportedFile(path: "Functions/\(fn.name)/function.json", text: JSONPrettyPrinter.format(.object(fn.manifest)) + "\n"))
            for file in fn.files { files.append(ImportedFile(path: "Functions/\(fn.name)/\(file.path)", contents: file.contents, executable: file.executable)) }
        }
        return files
    }

    func reportText(sources: [TemplateSource]) -> String {
        var text = "# Import report\n\nTemplates:\n\n"
        for s in sources { text += "- `\(s.path)` as stack `\(s.stackName)` in \(s.account)/\(s.region)\n" }
        let counts = Dictionary(grouping: draft.entries, by: \.section).mapValues(\.count)
        let labels = ["EventBuses": "buses", "Archives": "archives", "Queues": "queues", "Topics": "topics", "Streams": "streams",
                      "Rules": "rules", "EventSourceMappings": "event source mappings"]
        var written: [String] = []
        for section in Self.sectionOrder {
            if let c = counts[section] { written.append("\(c) \(labels[section] ?? section)") }
        }
        text += "\nWritten: " + written.joined(separator: ", ")
        text += (draft.functions.isEmpty ? "" : ", \(draft.functions.count) functions") + "\n"
        for heading in WorkspaceDraft.reportHeadings {
            guard let lines = draft.report[heading], !lines.isEmpty else { continue }
            text += "\n## \(heading)\n\n" + lines.map { "- \($0)\n" }.joined()
        }
        return text
    }
}
