/// Writes JSON for people: two-space indentation, and any object or array whose one-line form
/// fits in the line width kept on one line (`{"Id": "x", "Arn": "…"}`), as hand-written rule
/// files are. Keys keep their order.
public enum JSONPrettyPrinter {
    /// The text of `value`, ending with a newline.
    public static func format(_ value: JSONValue, width: Int = 100) -> String {
        var out = ""
        write(value, indent: 0, width: width, into: &out)
        return out + "\n"
    }

    /// The one-line form with a space after `:` and `,`.
    static func inline(_ value: JSONValue) -> String {
        switch value {
        case .array(let items): return "[" + items.map(inline).joined(separator: ", ") + "]"
        case .object(let o): return "{ " + o.members.map { JSONSerializer.quoted($0.key) + ": " + inline($0.value) }.joined(separator: ", ") + " }"
        default: return value.jsonText
        }
    }

    private static func write(_ value: JSONValue, indent: Int, width: Int, into out: inout String) {
        let one = inline(value)
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .array(let items) where indent + one.count > width && !items.isEmpty:
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad + "  "
                write(item, indent: indent + 2, width: width, into: &out)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += pad + "]"
        case .object(let o) where indent + one.count > width && !o.isEmpty:
            out += "{\n"
            for (i, m) in o.members.enumerated() {
                let key = JSONSerializer.quoted(m.key) + ": "
                out += pad + "  " + key
                write(m.value, indent: indent + 2, width: width, into: &out)
                out += i == o.count - 1 ? "\n" : ",\n"
            }
            out += pad + "}"
        case .object(let o) where o.isEmpty:
            out += "{}"
        default:
            out += one
        }
    }
}
