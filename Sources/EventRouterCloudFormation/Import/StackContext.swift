import EventRouter

/// One template being imported as one stack: its parameters, mappings, conditions and
/// resources, and the problems found so far (each with file, line and logical id).
final class StackContext {
    struct Resource {
        var logicalId: String
        var type: String
        var node: TemplateNode
        var line: Int
        var properties: TemplateNode { node["Properties"] ?? TemplateNode(.object([])) }
    }

    let source: TemplateSource
    let template: TemplateNode
    var exports: [String: JSONValue]
    var parameters: [String: JSONValue] = [:]
    var parameterNames: Set<String> = []
    var resources: [String: Resource] = [:]
    var resourceOrder: [String] = []
    var conditionDefinitions: [String: TemplateNode] = [:]
    var conditionValues: [String: Bool] = [:]
    var conditionsInProgress: Set<String> = []
    var namesInProgress: Set<String> = []
    var physicalNames: [String: String] = [:]
    var problems: [ImportProblem] = []
    /// `!ImportValue` names that no template exports (yet): another pass may resolve them.
    var unresolvedImports: Set<String> = []
    /// The logical id whose properties are being read (for messages).
    var current: String?

    static let pseudoParameters: Set<String> = [
        "AWS::AccountId", "AWS::Region", "AWS::StackName", "AWS::StackId", "AWS::Partition", "AWS::URLSuffix",
        "AWS::NoValue", "AWS::NotificationARNs",
    ]

    init(source: TemplateSource, template: TemplateNode, exports: [String: JSONValue]) {
        self.source = source
        self.template = template
        self.exports = exports
    }

    var account: String { source.account }
    var region: String { source.region }
    var stackName: String { source.stackName }

    // MARK: problems

    /// The line of `logicalId`'s key in `section`, for messages (JSON templates: found in the text).
    func line(of logicalId: String, in section: String = "Resources") -> Int {
        if let m = template[section]?.members?.last(where: { $0.key == logicalId }), m.line > 0 { return m.line }
        let needle = "\"\(logicalId)\""
        for (n, text) in source.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where text.contains(needle) {
            return n + 1
        }
        return 0
    }

    func problem(_ message: String, at node: TemplateNode? = nil, logicalId: String? = nil) {
        let id = logicalId ?? current
        var line = node?.line ?? 0
        if line == 0, let id { line = self.line(of: id, in: resources[id] != nil ? "Resources" : sectionOf(id)) }
        let p = ImportProblem(file: source.path, line: line, logicalId: id, message)
        if !problems.contains(p) { problems.append(p) }
    }

    func sectionOf(_ id: String) -> String {
        if parameterNames.contains(id) { return "Parameters" }
        if conditionDefinitions[id] != nil { return "Conditions" }
        if template["Outputs"]?[id] != nil { return "Outputs" }
        return "Resources"
    }

    // MARK: reading the sections

    /// Reads parameters (with `--parameter` values), conditions and the resource table.
    func readSections(cliParameters: [String: String]) {
        guard template.members != nil else {
            problem("a template is a mapping with a Resources section, not a \(template.kindName)", at: template)
            return
        }
        if let transform = template["Transform"] {
            let names = transform.items?.compactMap(\.scalarText) ?? [transform.scalarText ?? ""]
            for name in names where name != "AWS::Serverless-2016-10-31" {
                problem("Transform '\(name)' is not supported (only AWS::Serverless-2016-10-31); expand the macro first", at: transform, logicalId: "Transform")
            }
        }
        for m in template["Parameters"]?.members ?? [] {
            parameterNames.insert(m.key)
            let type = m.value["Type"]?.scalarText ?? "String"
            let isList = type.hasPrefix("List<") || type == "CommaDelimitedList" || type.contains("::List<")
            if let given = cliParameters[m.key] {
                if type == "Number", case .number(let n)? = try? JSONParser.parse(given) {
                    parameters[m.key] = .number(n)
                } else if type == "Number" {
                    problem("parameter \(m.key) is a Number; '\(given)' is not a number", at: TemplateNode(.null, line: m.line), logicalId: m.key)
                } else {
                    parameters[m.key] = isList ? .array(given.split(separator: ",", omittingEmptySubsequences: false).map { .string(String($0).trimmingSpaces) }) : .string(given)
                }
            } else if let d = m.value["Default"], type == "Number", let text = d.scalarText, case .number(let n)? = try? JSONParser.parse(text) {
                parameters[m.key] = .number(n)
            } else if let d = m.value["Default"] {
                if isList, let text = d.scalarText {
                    parameters[m.key] = .array(text.split(separator: ",", omittingEmptySubsequences: false).map { .string(String($0).trimmingSpaces) })
                } else if let text = d.scalarText {
                    parameters[m.key] = .string(text)
                } else {
                    parameters[m.key] = d.json
                }
            } else {
                problem("parameter \(m.key) has no Default; give it with --parameter \(m.key)=VALUE", at: TemplateNode(.null, line: m.line), logicalId: m.key)
                parameters[m.key] = .string("")
            }
            if let allowed = m.value["AllowedValues"]?.items?.compactMap(\.scalarText), let v = parameters[m.key]?.stringValue,
               !allowed.isEmpty, cliParameters[m.key] != nil, !allowed.contains(v) {
                problem("parameter \(m.key) is '\(v)'; AllowedValues are \(allowed.joined(separator: ", "))", at: TemplateNode(.null, line: m.line), logicalId: m.key)
            }
        }
        for m in template["Conditions"]?.members ?? [] { conditionDefinitions[m.key] = m.value }
        guard let resourceMembers = template["Resources"]?.members else {
            problem("the template has no Resources mapping", at: template)
            return
        }
        for m in resourceMembers {
            guard let type = m.value["Type"]?.scalarText else {
                problem("a resource needs a Type", at: TemplateNode(.null, line: m.line), logicalId: m.key)
                continue
            }
            if let props = m.value["Properties"], props.members == nil {
                problem("Properties must be a mapping, not a \(props.kindName)", at: props.line > 0 ? props : TemplateNode(.null, line: m.line), logicalId: m.key)
            }
            resources[m.key] = Resource(logicalId: m.key, type: type, node: m.value, line: m.line)
            resourceOrder.append(m.key)
        }
    }

    /// Whether the resource's `Condition` holds (true without one).
    func isCreated(_ r: Resource) -> Bool {
        guard let c = r.node["Condition"] else { return true }
        guard let name = c.scalarText else {
            problem("Condition must be a condition name", at: c, logicalId: r.logicalId)
            return false
        }
        return condition(name, at: c, logicalId: r.logicalId)
    }

    // MARK: conditions

    func condition(_ name: String, at node: TemplateNode?, logicalId: String?) -> Bool {
        if let v = conditionValues[name] { return v }
        guard let definition = conditionDefinitions[name] else {
            problem("condition \(name) is not defined in Conditions", at: node, logicalId: logicalId)
            return false
        }
        if conditionsInProgress.contains(name) {
            problem("condition \(name) depends on itself (circular Condition references)", at: definition, logicalId: name)
            return false
        }
        conditionsInProgress.insert(name)
        let saved = current
        current = name
        let value = evaluateCondition(definition)
        current = saved
        conditionsInProgress.remove(name)
        conditionValues[name] = value
        return value
    }

    func evaluateCondition(_ node: TemplateNode) -> Bool {
        guard let members = node.members, members.count == 1, let m = members.first else {
            if case .bool(let b) = node.value { return b }
            if let t = node.scalarText, t == "true" || t == "false" { return t == "true" }
            problem("a condition is Fn::Equals, Fn::And, Fn::Or, Fn::Not or {Condition: NAME}, not \(node.json)", at: node)
            return false
        }
        let args = m.value.items ?? []
        switch m.key {
        case "Condition":
            guard let name = m.value.scalarText else { problem("Condition takes a condition name", at: m.value); return false }
            return condition(name, at: m.value, logicalId: current)
        case "Fn::Equals":
            guard args.count == 2 else { problem("Fn::Equals takes a list of two values", at: m.value); return false }
            let a = resolve(args[0]) ?? .null, b = resolve(args[1]) ?? .null
            return Self.comparable(a) == Self.comparable(b)
        case "Fn::And", "Fn::Or":
            guard (2...10).contains(args.count) else { problem("\(m.key) takes a list of 2 to 10 conditions", at: m.value); return false }
            let values = args.map { evaluateCondition($0) }
            return m.key == "Fn::And" ? values.allSatisfy { $0 } : values.contains(true)
        case "Fn::Not":
            guard args.count == 1 else { problem("Fn::Not takes a list of one condition", at: m.value); return false }
            return !evaluateCondition(args[0])
        default:
            if case .bool(let b) = resolve(node) ?? .null { return b }
            problem("\(m.key) cannot be used as a condition; use Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition", at: node)
            return false
        }
    }

    static func comparable(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .number(let n): return n.text
        case .bool(let b): return b ? "true" : "false"
        default: return v.jsonText
        }
    }
}
