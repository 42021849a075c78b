import EventRouter

/// Turns SQS query-protocol parameters into the JSON-protocol input object, so one reader
/// serves both protocols.
///
/// The query form flattens lists and maps (wire.md §3.3): `AttributeName.1=All`,
/// `Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=60`, `MessageAttribute.1.Value.DataType=String`,
/// `SendMessageBatchRequestEntry.2.MessageBody=…`. The names of the JSON model's members
/// (`AttributeNames.1`, `Attributes.1.key`) are accepted too.
enum SQSQueryDecoder {
    /// Flattened lists of strings: query name → JSON member.
    static let lists: [String: String] = [
        "AttributeName": "AttributeNames", "AttributeNames": "AttributeNames",
        "MessageAttributeName": "MessageAttributeNames", "MessageAttributeNames": "MessageAttributeNames",
        "MessageSystemAttributeName": "MessageSystemAttributeNames", "MessageSystemAttributeNames": "MessageSystemAttributeNames",
        "TagKey": "TagKeys", "TagKeys": "TagKeys",
        "AWSAccountId": "AWSAccountIds", "AWSAccountIds": "AWSAccountIds",
        "ActionName": "Actions", "Actions": "Actions",
        "StringListValue": "StringListValues", "StringListValues": "StringListValues",
        "BinaryListValue": "BinaryListValues", "BinaryListValues": "BinaryListValues",
    ]
    /// Flattened maps: query name → JSON member (CreateQueue's tag map is `tags`, see ``decode(_:operation:)``).
    static let maps: [String: String] = [
        "Attribute": "Attributes", "Attributes": "Attributes",
        "MessageAttribute": "MessageAttributes", "MessageAttributes": "MessageAttributes",
        "MessageSystemAttribute": "MessageSystemAttributes", "MessageSystemAttributes": "MessageSystemAttributes",
        "Tag": "Tags", "Tags": "Tags", "tags": "Tags",
    ]
    /// Flattened lists of structures (batch entries): all become `Entries`.
    static let entryLists: Set<String> = [
        "SendMessageBatchRequestEntry", "DeleteMessageBatchRequestEntry", "ChangeMessageVisibilityBatchRequestEntry", "Entries",
    ]
    /// Parameters that are the protocol's, not the operation's.
    static let envelope: Set<String> = ["Action", "Version", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
                                        "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token"]

    /// The input object of `operation` from its query `parameters`.
    /// - Throws: ``AWSError`` `InvalidParameterValue` for a list or map index that is not a positive number.
    static func decode(_ parameters: [(String, String)], operation: String) throws(AWSError) -> JSONObject {
        let pairs = parameters.filter { !envelope.contains($0.0) }.map { (path: $0.0.split(separator: ".", omittingEmptySubsequences: false).map(String.init), value: $0.1) }
        var object = try decode(pairs, prefix: "")
        if operation == "CreateQueue", let tags = object["Tags"] {
            object["Tags"] = nil
            object["tags"] = tags
        }
        return object
    }

    private static func decode(_ pairs: [(path: [String], value: String)], prefix: String) throws(AWSError) -> JSONObject {
        var object = JSONObject()
        var grouped: [String: [(path: [String], value: String)]] = [:]
        var order: [String] = []
        for pair in pairs {
            guard let head = pair.path.first else { continue }
            if pair.path.count == 1, lists[head] == nil, maps[head] == nil, !entryLists.contains(head) {
                object[head] = .string(pair.value)
                continue
            }
            if grouped[head] == nil { order.append(head) }
            grouped[head, default: []].append((Array(pair.path.dropFirst()), pair.value))
        }
        for head in order {
            let rest = grouped[head] ?? []
            let name = prefix + head
            if let member = lists[head] {
                let items = try indexed(rest, name)
                object[member] = .array(items.map { item in .string(item.pairs.first { $0.path.isEmpty }?.value ?? "") })
            } else if let member = maps[head] {
                var map = JSONObject()
                for item in try indexed(rest, name) {
                    let key = item.pairs.first { $0.path == ["Name"] || $0.path == ["Key"] || $0.path == ["key"] }?.value ?? ""
                    let valuePairs = item.pairs.filter { $0.path.first == "Value" || $0.path.first == "value" }
                    if let plain = valuePairs.first(where: { $0.path.count == 1 }) {
                        map[key] = .string(plain.value)
                    } else {
                        map[key] = .object(try decode(valuePairs.map { (Array($0.path.dropFirst()), $0.value) }, prefix: "\(name).\(item.index).Value."))
                    }
                }
                object[member] = .object(map)
            } else if entryLists.contains(head) {
                var entries: [JSONValue] = []
                for item in try indexed(rest, name) {
                    entries.append(.object(try decode(item.pairs, prefix: "\(name).\(item.index).")))
                }
                object["Entries"] = .array(entries)
            } else {
                // A structure member written Outer.Inner: keep it nested.
                object[head] = .object(try decode(rest, prefix: name + "."))
            }
        }
        return object
    }

    /// Groups `Name.N.rest` pairs by N (1, 2, …, in numeric order); `Name=` alone is an empty list.
    private static func indexed(_ pairs: [(path: [String], value: String)], _ name: String) throws(AWSError) -> [(index: Int, pairs: [(path: [String], value: String)])] {
        var byIndex: [Int: [(path: [String], value: String)]] = [:]
        for pair in pairs {
            guard let first = pair.path.first else { continue }
            guard let index = Int(first), index >= 1 else {
                throw SQSErrors.invalid("\(name).\(pair.path.joined(separator: "."))", pair.value,
                                        "'\(first)' is not a list position: write \(name).1, \(name).2, … (positions count from 1).")
            }
            byIndex[index, default: []].append((Array(pair.path.dropFirst()), pair.value))
        }
        return byIndex.keys.sorted().map { ($0, byIndex[$0] ?? []) }
    }
}
