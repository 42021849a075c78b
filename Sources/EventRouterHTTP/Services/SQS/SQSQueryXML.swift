import EventRouter

/// Renders an SQS result, built once in the JSON protocol's shape, as the query protocol's XML
/// (wire.md §4.2): lists and maps are flattened — `Messages` becomes repeated `<Message>`,
/// `Attributes` repeated `<Attribute><Name/><Value/></Attribute>`, `Tags` repeated
/// `<Tag><Key/><Value/></Tag>` — with the element names of SQS's query model.
enum SQSQueryXML {
    /// JSON list member → the name of each flattened element.
    static let listElements: [String: String] = [
        "QueueUrls": "QueueUrl", "queueUrls": "QueueUrl", "Messages": "Message", "Failed": "BatchResultErrorEntry",
        "Results": "ListMessageMoveTasksResultEntry", "StringListValues": "StringListValue", "BinaryListValues": "BinaryListValue",
    ]
    /// JSON map member → (element, key element, value element).
    static let mapElements: [String: (element: String, key: String, value: String)] = [
        "Attributes": ("Attribute", "Name", "Value"), "MessageAttributes": ("MessageAttribute", "Name", "Value"), "Tags": ("Tag", "Key", "Value"),
    ]

    /// The inner XML of `<OperationResult>` for `result`.
    static func render(_ result: JSONObject, operation: String) -> String {
        var out = ""
        members(result, operation: operation, into: &out)
        return out
    }

    private static func members(_ object: JSONObject, operation: String, into out: inout String) {
        for member in object.members {
            let name = member.key
            if let map = mapElements[name], let entries = member.value.objectValue {
                for entry in entries.members {
                    out += "<\(map.element)>" + XMLText.element(map.key, entry.key) + "<\(map.value)>"
                    value(entry.value, operation: operation, into: &out)
                    out += "</\(map.value)></\(map.element)>"
                }
            } else if let items = member.value.arrayValue {
                let itemName = name == "Successful" ? operation + "ResultEntry" : listElements[name] ?? name
                for item in items { element(itemName, item, operation: operation, into: &out) }
            } else {
                element(name, member.value, operation: operation, into: &out)
            }
        }
    }

    private static func element(_ name: String, _ content: JSONValue, operation: String, into out: inout String) {
        out += "<\(name)>"
        value(content, operation: operation, into: &out)
        out += "</\(name)>"
    }

    private static func value(_ content: JSONValue, operation: String, into out: inout String) {
        switch content {
        case .object(let o): members(o, operation: operation, into: &out)
        case .string(let s): out += XMLText.escape(s)
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.text
        case .array(let items): for item in items { value(item, operation: operation, into: &out) }
        case .null: break
        }
    }
}
