import EventRouter

/// Writes JSON values as block-style YAML: every string double-quoted (JSON's escapes are
/// YAML's), keys plain when they can be, empty collections in flow style.
public enum YAMLWriter {
    public static func write(_ value: JSONValue) -> String {
        var out = ""
        emit(value, indent: 0, into: &out, inline: false)
        return out.hasSuffix("\n") ? out : out + "\n"
    }

    static func key(_ k: String) -> String {
        let plain = !k.isEmpty && k.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }
            && k.first?.isLetter == true && TemplateReader.boolValue(k) == nil && !["null", "Null", "NULL", "y", "n"].contains(k)
        return plain ? k : JSONValue.string(k).jsonText
    }

    static func scalar(_ v: JSONValue) -> String {
        switch v {
        case .object(let o) where o.isEmpty: return "{}"
        case .array(let a) where a.isEmpty: return "[]"
        default: return v.jsonText
        }
    }

    static func isCollection(_ v: JSONValue) -> Bool {
        switch v {
        case .object(let o): return !o.isEmpty
        case .array(let a): return !a.isEmpty
        default: return false
        }
    }

    static func emit(_ value: JSONValue, indent: Int, into out: inout String, inline: Bool) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let o) where !o.isEmpty:
            for (n, m) in o.members.enumerated() {
                if !(inline && n == 0) { out += pad }
                out += key(m.key) + ":"
                if isCollection(m.value) {
                    out += "\n"
                    emit(m.value, indent: indent + 2, into: &out, inline: false)
                } else {
                    out += " " + scalar(m.value) + "\n"
                }
            }
        case .array(let a) where !a.isEmpty:
            for item in a {
                out += pad + "-"
                if case .object(let o) = item, !o.isEmpty {
                    out += " "
                    emit(item, indent: indent + 2, into: &out, inline: true)
                } else if isCollection(item) {
                    out += "\n"
                    emit(item, indent: indent + 2, into: &out, inline: false)
                } else {
                    out += " " + scalar(item) + "\n"
                }
            }
        default:
            out += pad + scalar(value) + "\n"
        }
    }
}
