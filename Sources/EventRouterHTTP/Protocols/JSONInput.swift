import EventRouter

/// The members of a JSON-protocol request body, read with AWS's errors: a body that is not a
/// UTF-8 JSON object or a member of the wrong type is a `SerializationException`, a missing
/// required member a `ValidationException`.
public struct JSONInput: Sendable {
    /// The body object.
    public let object: JSONObject

    /// Parses `body` (empty counts as `{}`).
    /// - Throws: ``AWSError`` `SerializationException` saying what is wrong.
    public init(body: [UInt8]) throws(AWSError) {
        guard !body.isEmpty else {
            object = JSONObject()
            return
        }
        guard String(validating: body, as: UTF8.self) != nil else {
            throw .serialization("the request body is not valid UTF-8; send JSON text in UTF-8")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes: body)
        } catch {
            throw .serialization("the request body is not valid JSON: \(error)")
        }
        guard case .object(let object) = value else {
            throw .serialization("the request body must be a JSON object ({...}), not \(value.kindName)")
        }
        self.object = object
    }

    public init(object: JSONObject) { self.object = object }

    /// A string member; `nil` when absent (or null) and not `required`.
    public func string(_ name: String, required: Bool = false) throws(AWSError) -> String? {
        guard let value = try member(name, required: required) else { return nil }
        guard case .string(let s) = value else { throw Self.wrongType(name, expected: "a string", got: value) }
        return s
    }

    /// A whole-number member.
    public func integer(_ name: String, required: Bool = false) throws(AWSError) -> Int? {
        guard let value = try member(name, required: required) else { return nil }
        guard let i = value.intValue else { throw Self.wrongType(name, expected: "a whole number", got: value) }
        return i
    }

    /// A boolean member.
    public func boolean(_ name: String, required: Bool = false) throws(AWSError) -> Bool? {
        guard let value = try member(name, required: required) else { return nil }
        guard let b = value.boolValue else { throw Self.wrongType(name, expected: "true or false", got: value) }
        return b
    }

    /// A list member.
    public func list(_ name: String, required: Bool = false) throws(AWSError) -> [JSONValue]? {
        guard let value = try member(name, required: required) else { return nil }
        guard let a = value.arrayValue else { throw Self.wrongType(name, expected: "a list", got: value) }
        return a
    }

    /// A structure or map member.
    public func structure(_ name: String, required: Bool = false) throws(AWSError) -> JSONInput? {
        guard let value = try member(name, required: required) else { return nil }
        guard let o = value.objectValue else { throw Self.wrongType(name, expected: "an object", got: value) }
        return JSONInput(object: o)
    }

    private func member(_ name: String, required: Bool) throws(AWSError) -> JSONValue? {
        let value = object[name]
        if value == nil || value?.isNull == true {
            if required {
                throw .validation("1 validation error detected: Value null at '\(name)' failed to satisfy constraint: Member must not be null")
            }
            return nil
        }
        return value
    }

    private static func wrongType(_ name: String, expected: String, got: JSONValue) -> AWSError {
        .serialization("member '\(name)' must be \(expected), not \(got.kindName)")
    }
}
