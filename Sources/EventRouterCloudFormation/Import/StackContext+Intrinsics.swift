import Foundation
import EventRouter

/// Resolving intrinsic functions to plain JSON: `nil` is `AWS::NoValue` (the key or item goes).
extension StackContext {
    static let intrinsicKeys: Set<String> = [
        "Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::If", "Fn::Equals", "Fn::And", "Fn::Or",
        "Fn::Not", "Fn::FindInMap", "Fn::ImportValue", "Fn::GetAZs", "Fn::Base64", "Fn::Cidr", "Fn::Length", "Fn::ToJsonString",
    ]

    func resolve(_ node: TemplateNode) -> JSONValue? {
        switch node.value {
        case .array(let items):
            return .array(items.compactMap { resolve($0) })
        case .object(let members):
            if members.count == 1, let m = members.first, m.key == "Ref" || m.key.hasPrefix("Fn::") {
                return intrinsic(m.key, m.value, at: node)
            }
            var out = JSONObject()
            for m in members {
                if let v = resolve(m.value) { out.members.append(JSONObject.Member(key: m.key, value: v)) }
            }
            return .object(out)
        default:
            return node.json
        }
    }

    /// `resolve` that reads a string (numbers and booleans as their text).
    func resolveString(_ node: TemplateNode, what: String) -> String? {
        guard let v = resolve(node) else { return nil }
        switch v {
        case .string(let s): return s
        case .number(let n): return n.text
        case .bool(let b): return b ? "true" : "false"
        default:
            problem("\(what) must be a string, not a \(Self.kind(v))", at: node)
            return nil
        }
    }

    func intrinsic(_ key: String, _ arg: TemplateNode, at node: TemplateNode) -> JSONValue? {
        switch key {
        case "Ref":
            guard let name = arg.scalarText else { problem("Ref takes a name, not a \(arg.kindName)", at: node); return .null }
            return ref(name, at: node)
        case "Fn::GetAtt":
            var parts: [String] = []
            if let items = arg.items {
                for item in items {
                    if let s = item.scalarText { parts.append(s) } else if let s = resolveString(item, what: "a Fn::GetAtt attribute") { parts.append(s) }
                }
            } else if let s = arg.scalarText, let dot = s.firstIndex(of: ".") {
                parts = [String(s[..<dot]), String(s[s.index(after: dot)...])]
            }
            guard parts.count == 2 else { problem("Fn::GetAtt takes [LogicalId, Attribute]", at: node); return .null }
            return .string(getAtt(parts[0], parts[1], at: node))
        case "Fn::Sub":
            return sub(arg, at: node).map { .string($0) } ?? .null
        case "Fn::Join":
            guard let items = arg.items, items.count == 2, let sep = resolveString(items[0], what: "the Fn::Join delimiter") else {
                problem("Fn::Join takes [delimiter, [values]]", at: node); return .null
            }
            guard case .array(let values)? = resolve(items[1]) else { problem("the second item of Fn::Join must be a list", at: items[1]); return .null }
            return .string(values.map(Self.comparable).joined(separator: sep))
        case "Fn::Select":
            guard let items = arg.items, items.count == 2, let indexText = resolveString(items[0], what: "the Fn::Select index"), let index = Int(indexText) else {
                problem("Fn::Select takes [index, [values]]", at: node); return .null
            }
            guard case .array(let values)? = resolve(items[1]) else { problem("the second item of Fn::Select must be a list", at: items[1]); return .null }
            guard index >= 0, index < values.count else { problem("Fn::Select index \(index) is outside the list of \(values.count)", at: node); return .null }
            return values[index]
        case "Fn::Split":
            guard let items = arg.items, items.count == 2, let sep = resolveString(items[0], what: "the Fn::Split delimiter"), !sep.isEmpty,
                  let text = resolveString(items[1], what: "the Fn::Split source") else {
                problem("Fn::Split takes [delimiter, string]", at: node); return .null
            }
            return .array(text.components(separatedBy: sep).map { .string($0) })
        case "Fn::If":
            guard let items = arg.items, items.count == 3, let name = items[0].scalarText else {
                problem("Fn::If takes [ConditionName, value if true, value if false]", at: node); return .null
            }
            return condition(name, at: items[0], logicalId: current) ? resolve(items[1]) : resolve(items[2])
        case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
            return .bool(evaluateCondition(node))
        case "Fn::FindInMap":
            guard let items = arg.items, items.count >= 3 else { problem("Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]", at: node); return .null }
            let keys = items.prefix(3).map { resolveString($0, what: "a Fn::FindInMap key") ?? "" }
            guard let map = template["Mappings"]?[keys[0]] else { problem("Fn::FindInMap: mapping \(keys[0]) is not defined in Mappings", at: node); return .null }
            guard let top = map[keys[1]] else { problem("Fn::FindInMap: mapping \(keys[0]) has no key \(keys[1])", at: node); return .null }
            guard let value = top[keys[2]] else {
                if items.count == 4, let d = items[3]["DefaultValue"] { return resolve(d) }
                problem("Fn::FindInMap: mapping \(keys[0]).\(keys[1]) has no key \(keys[2])", at: node); return .null
            }
            return resolve(value)
        case "Fn::ImportValue":
            guard let name = resolveString(arg, what: "the Fn::ImportValue name") else { return .null }
            if let v = exports[name] { return v }
            unresolvedImports.insert(name)
            problem("Fn::ImportValue '\(name)': no given template exports it; add the exporting template to the command (TEMPLATE@STACK) or replace the import", at: node)
            return .string("")
        case "Fn::GetAZs":
            let r = resolveString(arg, what: "the Fn::GetAZs region") ?? ""
            let region = r.isEmpty ? self.region : r
            return .array(["a", "b", "c"].map { .string(region + $0) })
        case "Fn::Base64":
            guard let text = resolveString(arg, what: "the Fn::Base64 value") else { return .null }
            return .string(Data(text.utf8).base64EncodedString())
        case "Fn::Length":
            guard case .array(let values)? = resolve(arg) else { problem("Fn::Length takes a list", at: node); return .null }
            return .number(JSONNumber(values.count))
        case "Fn::ToJsonString":
            return .string((resolve(arg) ?? .null).jsonText)
        case "Fn::Cidr":
            problem("Fn::Cidr has no meaning for the resources EventRouter runs; move it into a resource the importer skips or remove it", at: node)
            return .null
        default:
            problem("unknown intrinsic function \(key); CloudFormation's are \(Self.intrinsicKeys.sorted().joined(separator: ", "))", at: node)
            return .null
        }
    }

    func ref(_ name: String, at node: TemplateNode) -> JSONValue? {
        switch name {
        case "AWS::AccountId": return .string(account)
        case "AWS::Region": return .string(region)
        case "AWS::StackName": return .string(stackName)
        case "AWS::StackId": return .string("arn:aws:cloudformation:\(region):\(account):stack/\(stackName)/\(PhysicalName.suffix(account, region, stackName, "stack-id"))")
        case "AWS::Partition": return .string("aws")
        case "AWS::URLSuffix": return .string("amazonaws.com")
        case "AWS::NoValue": return nil
        case "AWS::NotificationARNs": return .array([])
        default: break
        }
        if let v = parameters[name] { return v }
        guard let r = resources[name] else {
            problem("Ref \(name) names no parameter, resource or pseudo parameter of this template", at: node)
            return .string("")
        }
        let physical = physicalName(r.logicalId)
        switch r.type {
        case "AWS::SQS::Queue": return .string("https://sqs.\(region).amazonaws.com/\(account)/\(physical)")
        case "AWS::SNS::Topic": return .string("arn:aws:sns:\(region):\(account):\(physical)")
        case "AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine": return .string("arn:aws:states:\(region):\(account):stateMachine:\(physical)")
        case "AWS::Events::Rule":
            let bus = ruleBusName(r)
            return .string(bus == "default" ? physical : "\(bus)|\(physical)")
        default: return .string(physical)
        }
    }

    func ruleBusName(_ r: Resource) -> String {
        guard let b = r.properties["EventBusName"], let text = resolveString(b, what: "EventBusName") else { return "default" }
        if text.hasPrefix("arn:"), let slash = text.lastIndex(of: "/") { return String(text[text.index(after: slash)...]) }
        return text
    }

    func getAtt(_ logicalId: String, _ attribute: String, at node: TemplateNode) -> String {
        guard let r = resources[logicalId] else {
            problem("Fn::GetAtt \(logicalId).\(attribute) names no resource of this template", at: node)
            return ""
        }
        let name = physicalName(logicalId)
        let prefix = "arn:aws"
        switch (r.type, attribute) {
        case ("AWS::SQS::Queue", "Arn"): return "\(prefix):sqs:\(region):\(account):\(name)"
        case ("AWS::SQS::Queue", "QueueName"): return name
        case ("AWS::SQS::Queue", "QueueUrl"): return "https://sqs.\(region).amazonaws.com/\(account)/\(name)"
        case ("AWS::SNS::Topic", "TopicArn"): return "\(prefix):sns:\(region):\(account):\(name)"
        case ("AWS::SNS::Topic", "TopicName"): return name
        case ("AWS::Events::EventBus", "Arn"): return "\(prefix):events:\(region):\(account):event-bus/\(name)"
        case ("AWS::Events::EventBus", "Name"): return name
        case ("AWS::Events::Rule", "Arn"):
            let bus = ruleBusName(r)
            return "\(prefix):events:\(region):\(account):rule/" + (bus == "default" ? name : "\(bus)/\(name)")
        case ("AWS::Events::Archive", "Arn"): return "\(prefix):events:\(region):\(account):archive/\(name)"
        case ("AWS::Kinesis::Stream", "Arn"): return "\(prefix):kinesis:\(region):\(account):stream/\(name)"
        case ("AWS::Events::Connection", "Arn"): return "\(prefix):events:\(region):\(account):connection/\(name)"
        case ("AWS::Events::ApiDestination", "Arn"): return "\(prefix):events:\(region):\(account):api-destination/\(name)"
        case ("AWS::Lambda::Function", "Arn"), ("AWS::Serverless::Function", "Arn"): return "\(prefix):lambda:\(region):\(account):function:\(name)"
        case ("AWS::SQS::Queue", _), ("AWS::SNS::Topic", _), ("AWS::Events::EventBus", _), ("AWS::Events::Rule", _),
             ("AWS::Kinesis::Stream", _), ("AWS::Lambda::Function", _), ("AWS::Serverless::Function", _), ("AWS::Events::Archive", _):
            problem("Fn::GetAtt \(logicalId).\(attribute): \(r.type) has no attribute \(attribute) the importer knows", at: node)
            return ""
        default:
            // A resource EventRouter does not run: a stand-in value in the resource's service.
            if r.type == "AWS::StepFunctions::StateMachine" || r.type == "AWS::Serverless::StateMachine", attribute == "Arn" {
                return "\(prefix):states:\(region):\(account):stateMachine:\(name)"
            }
            let service = r.type.split(separator: "::").dropFirst().first.map { $0.lowercased() } ?? "unknown"
            return attribute.hasSuffix("Arn") ? "\(prefix):\(service):\(region):\(account):\(name)" : "\(name).\(attribute)"
        }
    }

    /// `Fn::Sub` with `${Name}`, `${Resource.Attribute}`, `${!Literal}` and an optional variable map.
    func sub(_ arg: TemplateNode, at node: TemplateNode) -> String? {
        var text: String
        var variables: [String: String] = [:]
        if let s = arg.scalarText {
            text = s
        } else if let items = arg.items, items.count == 2, let s = items[0].scalarText, let map = items[1].members {
            text = s
            for m in map { variables[m.key] = resolveString(m.value, what: "the Fn::Sub variable \(m.key)") ?? "" }
        } else {
            problem("Fn::Sub takes a string or [string, {variables}]", at: node)
            return nil
        }
        var out = ""
        while let open = text.range(of: "${") {
            out += text[..<open.lowerBound]
            guard let close = text[open.upperBound...].firstIndex(of: "}") else {
                out += text[open.lowerBound...]
                text = ""
                break
            }
            let name = String(text[open.upperBound..<close])
            text = String(text[text.index(after: close)...])
            if name.hasPrefix("!") { out += "${" + name.dropFirst() + "}"; continue }
            if let v = variables[name] { out += v; continue }
            if let dot = name.firstIndex(of: "."), !name.hasPrefix("AWS::") {
                out += getAtt(String(name[..<dot]), String(name[name.index(after: dot)...]), at: node)
            } else if let v = ref(name, at: node) {
                if case .array = v { problem("Fn::Sub: ${\(name)} is a list; use Fn::Join", at: node) } else { out += Self.comparable(v) }
            }
        }
        return out + text
    }
}
