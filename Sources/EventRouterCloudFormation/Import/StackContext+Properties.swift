import EventRouter

/// Reading resolved properties with their types checked (a wrong type is a problem naming the
/// property, its line and the logical id).
extension StackContext {
    /// CloudFormation's words for a value's kind.
    static func kind(_ v: JSONValue) -> String {
        switch v {
        case .array: return "list"
        case .object: return "mapping"
        default: return v.kindName
        }
    }

    struct Props {
        func kind(_ v: JSONValue) -> String { StackContext.kind(v) }

        let context: StackContext
        let node: TemplateNode
        let json: JSONObject

        func line(_ key: String) -> TemplateNode? { node[key] }

        func value(_ key: String) -> JSONValue? { json[key] }

        func string(_ key: String) -> String? {
            guard let v = json[key] else { return nil }
            switch v {
            case .string(let s): return s
            case .number(let n): return n.text
            case .bool(let b): return b ? "true" : "false"
            default:
                context.problem("property \(key) must be a string, not a \(kind(v))", at: node[key])
                return nil
            }
        }

        func int(_ key: String) -> Int? {
            guard let v = json[key] else { return nil }
            if let i = v.intValue { return i }
            if let s = v.stringValue, let i = Int(s) { return i }
            context.problem("property \(key) must be an integer, not \(kind(v) == "string" ? "'\(v.stringValue ?? "")'" : "a \(kind(v))")", at: node[key])
            return nil
        }

        func bool(_ key: String) -> Bool? {
            guard let v = json[key] else { return nil }
            if let b = v.boolValue { return b }
            if let s = v.stringValue, s == "true" || s == "false" { return s == "true" }
            context.problem("property \(key) must be true or false, not \(v.jsonText)", at: node[key])
            return nil
        }

        func list(_ key: String) -> [JSONValue]? {
            guard let v = json[key] else { return nil }
            if let a = v.arrayValue { return a }
            context.problem("property \(key) must be a list, not a \(kind(v))", at: node[key])
            return nil
        }

        func object(_ key: String) -> JSONObject? {
            guard let v = json[key] else { return nil }
            if let o = v.objectValue { return o }
            context.problem("property \(key) must be a mapping, not a \(kind(v))", at: node[key])
            return nil
        }

        /// An object, or a JSON string holding one (policies, patterns).
        func objectOrJSONText(_ key: String) -> JSONValue? {
            guard let v = json[key] else { return nil }
            if v.objectValue != nil { return v }
            if let s = v.stringValue, let parsed = try? JSONParser.parse(s), parsed.objectValue != nil { return parsed }
            context.problem("property \(key) must be a mapping (or JSON text of one), not \(kind(v) == "string" ? "this text" : "a \(kind(v))")", at: node[key])
            return nil
        }
    }

    /// The resource's properties, resolved.
    func props(_ r: Resource) -> Props {
        let node = r.properties
        let json = resolve(node)?.objectValue ?? JSONObject()
        return Props(context: self, node: node, json: json)
    }

    /// Props of a nested mapping that is already resolved.
    func props(_ json: JSONObject, node: TemplateNode?) -> Props {
        Props(context: self, node: node ?? TemplateNode(.object([])), json: json)
    }
}
