import EventRouter

/// The references between resources: every `Ref`, `Fn::GetAtt` and `${…}` of `Fn::Sub` must
/// name something, and `DependsOn` plus references may not go round in a circle.
extension StackContext {
    /// The names a node refers to (`Ref`, `Fn::GetAtt`, `Fn::Sub`), each with the node it is in.
    func references(in node: TemplateNode, into out: inout [(name: String, node: TemplateNode, attribute: Bool)]) {
        switch node.value {
        case .array(let items): for i in items { references(in: i, into: &out) }
        case .object(let members):
            if members.count == 1, let m = members.first {
                switch m.key {
                case "Ref":
                    if let n = m.value.scalarText { out.append((n, node, false)) }
                    return
                case "Fn::GetAtt":
                    if let first = m.value.items?.first?.scalarText { out.append((first, node, true)) }
                    else if let s = m.value.scalarText, let dot = s.firstIndex(of: ".") { out.append((String(s[..<dot]), node, true)) }
                    return
                case "Fn::Sub":
                    var text = m.value.scalarText
                    var variables: Set<String> = []
                    if let items = m.value.items, items.count == 2 {
                        text = items[0].scalarText
                        variables = Set(items[1].members?.map(\.key) ?? [])
                        references(in: items[1], into: &out)
                    }
                    var rest = Substring(text ?? "")
                    while let open = rest.range(of: "${") {
                        guard let close = rest[open.upperBound...].firstIndex(of: "}") else { break }
                        let name = String(rest[open.upperBound..<close])
                        rest = rest[rest.index(after: close)...]
                        if name.hasPrefix("!") || variables.contains(name) { continue }
                        if let dot = name.firstIndex(of: "."), !name.hasPrefix("AWS::") { out.append((String(name[..<dot]), node, true)) }
                        else { out.append((name, node, false)) }
                    }
                    return
                default: break
                }
            }
            for m in members { references(in: m.value, into: &out) }
        default: return
        }
    }

    /// Reports references to nothing and circular dependencies.
    func checkReferences() {
        var edges: [String: [String]] = [:]
        for id in resourceOrder {
            guard let r = resources[id] else { continue }
            var refs: [(name: String, node: TemplateNode, attribute: Bool)] = []
            references(in: r.node, into: &refs)
            var targets: [String] = []
            for ref in refs {
                if resources[ref.name] != nil { targets.append(ref.name); continue }
                if ref.attribute {
                    problem("Fn::GetAtt \(ref.name) names no resource of this template", at: ref.node, logicalId: id)
                } else if parameters[ref.name] == nil && !Self.pseudoParameters.contains(ref.name) {
                    problem("Ref \(ref.name) names no parameter, resource or pseudo parameter of this template", at: ref.node, logicalId: id)
                }
            }
            if let d = r.node["DependsOn"] {
                let names = d.items?.compactMap(\.scalarText) ?? [d.scalarText].compactMap { $0 }
                for n in names {
                    if resources[n] == nil { problem("DependsOn \(n) names no resource of this template", at: d, logicalId: id) }
                    else { targets.append(n) }
                }
            }
            edges[id] = targets
        }
        for m in template["Outputs"]?.members ?? [] {
            var refs: [(name: String, node: TemplateNode, attribute: Bool)] = []
            references(in: m.value, into: &refs)
            for ref in refs where resources[ref.name] == nil && parameters[ref.name] == nil && !Self.pseudoParameters.contains(ref.name) {
                problem(ref.attribute ? "Fn::GetAtt \(ref.name) names no resource of this template"
                                      : "Ref \(ref.name) names no parameter, resource or pseudo parameter of this template", at: ref.node, logicalId: m.key)
            }
        }
        // Depth-first search for a cycle.
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        var reported = false
        func visit(_ id: String, _ path: [String]) {
            if reported { return }
            if state[id] == 2 { return }
            if state[id] == 1 {
                let start = path.firstIndex(of: id) ?? 0
                let cycle = path[start...] + [id]
                problem("circular dependency: \(cycle.joined(separator: " → ")) (DependsOn and references may not form a circle)", logicalId: id)
                reported = true
                return
            }
            state[id] = 1
            for t in edges[id] ?? [] { visit(t, path + [id]) }
            state[id] = 2
        }
        for id in resourceOrder { visit(id, []) }
    }

    static let nameProperty: [String: (key: String, maximum: Int)] = [
        "AWS::SQS::Queue": ("QueueName", 80), "AWS::SNS::Topic": ("TopicName", 256), "AWS::Events::EventBus": ("Name", 256),
        "AWS::Events::Rule": ("Name", 64), "AWS::Events::Archive": ("ArchiveName", 48), "AWS::Kinesis::Stream": ("Name", 128),
        "AWS::Events::Connection": ("Name", 64), "AWS::Events::ApiDestination": ("Name", 64),
        "AWS::Lambda::Function": ("FunctionName", 64), "AWS::Serverless::Function": ("FunctionName", 64),
    ]

    /// The resource's name: its name property, or one generated as CloudFormation does.
    func physicalName(_ logicalId: String) -> String {
        if let n = physicalNames[logicalId] { return n }
        guard let r = resources[logicalId] else { return logicalId }
        if namesInProgress.contains(logicalId) {
            problem("circular dependency: the name of \(logicalId) refers to itself", logicalId: logicalId)
            return logicalId
        }
        namesInProgress.insert(logicalId)
        defer { namesInProgress.remove(logicalId) }
        let saved = current
        current = logicalId
        defer { current = saved }
        var name: String?
        if let spec = Self.nameProperty[r.type], let node = r.properties[spec.key] {
            name = resolveString(node, what: spec.key)
        }
        if name == nil || name == "" {
            let maximum = Self.nameProperty[r.type]?.maximum ?? 128
            var ending = ""
            if r.type == "AWS::SQS::Queue", let f = r.properties["FifoQueue"], (resolve(f)).map(StackContext.comparable) == "true" { ending = ".fifo" }
            if r.type == "AWS::SNS::Topic", let f = r.properties["FifoTopic"], (resolve(f)).map(StackContext.comparable) == "true" { ending = ".fifo" }
            name = PhysicalName.generate(stack: stackName, logicalId: logicalId, account: account, region: region, maximumLength: maximum, ending: ending)
        }
        let result = name ?? logicalId
        physicalNames[logicalId] = result
        return result
    }
}
