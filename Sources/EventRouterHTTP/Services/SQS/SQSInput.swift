import EventRouter

/// The members of one SQS request, whichever protocol it came in: a JSON-protocol body, or
/// query parameters turned into the same shape by ``SQSQueryDecoder``.
///
/// A missing required member is SQS's `MissingParameter`. A member of the wrong type is a
/// `SerializationException` in JSON and `InvalidParameterValue` in query (where every value is
/// text and numbers are read from it).
struct SQSInput: Sendable {
    let object: JSONObject
    let isQuery: Bool
    /// Where members live, for messages: `""` at the top, `Entries[2].` inside a batch entry.
    let path: String

    init(object: JSONObject, isQuery: Bool, path: String = "") {
        self.object = object
        self.isQuery = isQuery
        self.path = path
    }

    /// The input of `call`.
    init(_ call: AWSCall) throws(AWSError) {
        if call.protocol == .query {
            self.init(object: try SQSQueryDecoder.decode(call.parameters, operation: call.operation), isQuery: true)
        } else {
            self.init(object: call.input.object, isQuery: false)
        }
    }

    private func value(_ name: String, required: Bool) throws(AWSError) -> JSONValue? {
        guard let value = object[name], !value.isNull else {
            if required { throw SQSErrors.missing(path + name) }
            return nil
        }
        return value
    }

    private func wrongType(_ name: String, _ expected: String, _ value: JSONValue) -> AWSError {
        isQuery ? SQSErrors.invalid(path + name, value.stringValue ?? value.jsonText, "must be \(expected).")
            : .serialization("member '\(path + name)' must be \(expected), not \(value.kindName)")
    }

    /// A string member.
    func string(_ name: String, required: Bool = false) throws(AWSError) -> String? {
        guard let value = try value(name, required: required) else { return nil }
        guard case .string(let s) = value else { throw wrongType(name, "a string", value) }
        return s
    }

    /// A whole-number member (query: decimal text).
    func integer(_ name: String, required: Bool = false) throws(AWSError) -> Int? {
        guard let value = try value(name, required: required) else { return nil }
        if isQuery, let s = value.stringValue {
            guard let i = Int(s) else { throw wrongType(name, "a whole number", value) }
            return i
        }
        guard case .number = value, let i = value.intValue else { throw wrongType(name, "a whole number", value) }
        return i
    }

    /// A list of strings.
    func strings(_ name: String, required: Bool = false) throws(AWSError) -> [String]? {
        guard let value = try value(name, required: required) else { return nil }
        guard let items = value.arrayValue else { throw wrongType(name, "a list of strings", value) }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard let s = item.stringValue else { throw wrongType("\(name)[\(i)]", "a string", item) }
            out.append(s)
        }
        return out
    }

    /// A map of strings to strings (queue attributes, tags), in the order sent.
    func stringMap(_ name: String, required: Bool = false) throws(AWSError) -> [(name: String, value: String)]? {
        guard let value = try value(name, required: required) else { return nil }
        guard let map = value.objectValue else { throw wrongType(name, "a map of strings", value) }
        var out: [(name: String, value: String)] = []
        for member in map.members {
            guard let s = member.value.stringValue else { throw wrongType("\(name).\(member.key)", "a string", member.value) }
            out.append((member.key, s))
        }
        return out
    }

    /// A map of names to structures (message attributes), each read as its own input.
    func structureMap(_ name: String) throws(AWSError) -> [(name: String, value: SQSInput)] {
        guard let value = try value(name, required: false) else { return [] }
        guard let map = value.objectValue else { throw wrongType(name, "a map", value) }
        var out: [(name: String, value: SQSInput)] = []
        for member in map.members {
            guard let o = member.value.objectValue else { throw wrongType("\(name).\(member.key)", "a structure", member.value) }
            out.append((member.key, SQSInput(object: o, isQuery: isQuery, path: "\(path)\(name).\(member.key).")))
        }
        return out
    }

    /// A list of structures (batch entries).
    func structures(_ name: String, required: Bool = false) throws(AWSError) -> [SQSInput]? {
        guard let value = try value(name, required: required) else { return nil }
        guard let items = value.arrayValue else { throw wrongType(name, "a list of structures", value) }
        var out: [SQSInput] = []
        for (i, item) in items.enumerated() {
            guard let o = item.objectValue else { throw wrongType("\(name)[\(i)]", "a structure", item) }
            out.append(SQSInput(object: o, isQuery: isQuery, path: "\(path)\(name)[\(i)]."))
        }
        return out
    }
}
