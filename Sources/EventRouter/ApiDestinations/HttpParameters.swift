/// One named HTTP parameter (a header, a query-string parameter or a body field), kept in order.
public struct HTTPParameter: Sendable, Hashable {
    public var name: String
    public var value: String
    /// `IsValueSecret` of a connection parameter: never shown by `DescribeConnection`.
    public var isSecret: Bool

    public init(_ name: String, _ value: String, isSecret: Bool = false) {
        self.name = name
        self.value = value
        self.isSecret = isSecret
    }
}

/// A rule target's `HttpParameters` (API destination targets): values for the `*` path
/// parameters of the destination's endpoint, headers and query-string parameters.
public struct HttpParameters: Sendable, Hashable {
    /// `PathParameterValues`: one value per `*` of the endpoint, in order.
    public var pathParameterValues: [String]
    /// `HeaderParameters`, in the order written.
    public var headerParameters: [HTTPParameter]
    /// `QueryStringParameters`, in the order written.
    public var queryStringParameters: [HTTPParameter]

    public init(pathParameterValues: [String] = [], headerParameters: [HTTPParameter] = [], queryStringParameters: [HTTPParameter] = []) {
        self.pathParameterValues = pathParameterValues
        self.headerParameters = headerParameters
        self.queryStringParameters = queryStringParameters
    }

    /// The JSON form: `{"PathParameterValues": [...], "HeaderParameters": {...}, "QueryStringParameters": {...}}`.
    public var json: JSONValue {
        var o = JSONObject()
        if !pathParameterValues.isEmpty { o["PathParameterValues"] = .array(pathParameterValues.map { .string($0) }) }
        if !headerParameters.isEmpty { o["HeaderParameters"] = .object(JSONObject(headerParameters.map { .init(key: $0.name, value: .string($0.value)) })) }
        if !queryStringParameters.isEmpty {
            o["QueryStringParameters"] = .object(JSONObject(queryStringParameters.map { .init(key: $0.name, value: .string($0.value)) }))
        }
        return .object(o)
    }

    /// Reads `HttpParameters` with the one field reader; `nil` after reporting a problem.
    public static func read(_ o: JSONObject, fields: inout FieldReader, at path: String) -> HttpParameters? {
        let before = fields.errorCount
        fields.checkKeys(o, allowed: ["PathParameterValues", "HeaderParameters", "QueryStringParameters"], what: "HttpParameters", at: path)
        var result = HttpParameters()
        if let items = fields.array(o, "PathParameterValues", at: path, of: "strings") {
            for (i, item) in items.enumerated() {
                guard case .string(let s) = item else {
                    fields.error("\(path).PathParameterValues[\(i)]", "each path parameter value must be a string, not \(item.kindName)")
                    continue
                }
                result.pathParameterValues.append(s)
            }
        }
        result.headerParameters = readMap(o, "HeaderParameters", fields: &fields, at: path)
        result.queryStringParameters = readMap(o, "QueryStringParameters", fields: &fields, at: path)
        for h in result.headerParameters where !HTTPHeaderName.isValid(h.name) {
            fields.error("\(path).HeaderParameters.\(h.name)", "'\(h.name)' is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)")
        }
        return fields.errorCount == before ? result : nil
    }

    /// A `{"NAME": "VALUE", …}` object of strings.
    static func readMap(_ o: JSONObject, _ key: String, fields: inout FieldReader, at path: String) -> [HTTPParameter] {
        guard let map = fields.object(o, key, at: path) else { return [] }
        var result: [HTTPParameter] = []
        for member in map.members {
            guard case .string(let value) = member.value else {
                fields.error("\(path).\(key).\(member.key)", "each value of \(key) must be a string, not \(member.value.kindName)")
                continue
            }
            result.append(HTTPParameter(member.key, value))
        }
        return result
    }
}

/// HTTP header names (RFC 9110 tokens).
enum HTTPHeaderName {
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { c in
            c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || "!#$%&'*+-.^_`|~".unicodeScalars.contains(c))
        }
    }
}
