import EventRouter

/// Message attributes on the wire: `{"NAME": {"DataType", "StringValue" | "BinaryValue"}}` in
/// JSON, `MessageAttribute.N.Name` / `.Value.DataType` / `.Value.StringValue` in query; binary
/// values are base64 both ways.
enum SQSMessageAttributes {
    /// The message attributes of member `name` (`MessageAttributes`, `MessageSystemAttributes`).
    /// - Throws: ``AWSError`` `InvalidParameterValue` naming the attribute for a missing data
    ///   type, a value that is not base64, or the list values SQS reserves.
    static func read(_ input: SQSInput, _ name: String) throws(AWSError) -> [String: MessageAttributeValue] {
        var out: [String: MessageAttributeValue] = [:]
        for (attribute, value) in try input.structureMap(name) {
            guard let dataType = try value.string("DataType") else {
                throw SQSErrors.error("InvalidParameterValue", "The message attribute '\(attribute)' must contain a non-empty message attribute type: set DataType to String, Number or Binary.")
            }
            let stringList = try value.strings("StringListValues") ?? []
            let binaryList = try value.strings("BinaryListValues") ?? []
            if !stringList.isEmpty || !binaryList.isEmpty {
                throw SQSErrors.error("InvalidParameterValue", "Message attribute list values in '\(attribute)' are not supported, and the values are reserved for future use: use StringValue or BinaryValue.")
            }
            var bytes: [UInt8]?
            if let text = try value.string("BinaryValue") {
                guard let decoded = Base64.decode(text) else {
                    throw SQSErrors.error("InvalidParameterValue", "The BinaryValue of message attribute '\(attribute)' is not valid base64: encode the bytes in standard base64 with padding.")
                }
                bytes = decoded
            }
            out[attribute] = MessageAttributeValue(dataType: dataType, stringValue: try value.string("StringValue"), binaryValue: bytes)
        }
        return out
    }

    /// `attributes` as the JSON-shaped map of a reply, names sorted.
    static func json(_ attributes: [String: MessageAttributeValue]) -> JSONValue {
        var map = JSONObject()
        for name in attributes.keys.sorted() {
            guard let value = attributes[name] else { continue }
            var o = JSONObject()
            if let s = value.stringValue { o["StringValue"] = .string(s) }
            if let b = value.binaryValue { o["BinaryValue"] = .string(Base64.encode(b)) }
            o["DataType"] = .string(value.dataType)
            map[name] = .object(o)
        }
        return .object(map)
    }

    /// The attributes `MessageAttributeNames` asks for: `All` or `.*` for every one, `PREFIX.*`
    /// for names starting with `PREFIX.`, or exact names.
    static func select(_ attributes: [String: MessageAttributeValue], names: [String]) -> [String: MessageAttributeValue] {
        guard !names.isEmpty, !attributes.isEmpty else { return [:] }
        if names.contains("All") || names.contains(".*") { return attributes }
        return attributes.filter { key, _ in
            names.contains { name in
                name.hasSuffix(".*") ? key.hasPrefix(String(name.dropLast(1))) : key == name
            }
        }
    }
}
