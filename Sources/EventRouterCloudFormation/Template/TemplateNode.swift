import EventRouter

/// A template value with where it was written: JSON's kinds, each node with its line and
/// column (0 when the template was JSON, whose parser keeps no positions).
///
/// Numbers keep their text (`012345678901` stays that text when used as a string).
public struct TemplateNode: Sendable, Equatable {
    /// The value.
    public indirect enum Value: Sendable, Equatable {
        case null
        case bool(Bool)
        case number(String)
        case string(String)
        case array([TemplateNode])
        case object([Member])
    }

    /// One key of an object, with the key's position.
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: TemplateNode
        public var line: Int
        public init(key: String, value: TemplateNode, line: Int) {
            self.key = key
            self.value = value
            self.line = line
        }
    }

    public var value: Value
    public var line: Int
    public var column: Int

    public init(_ value: Value, line: Int = 0, column: Int = 0) {
        self.value = value
        self.line = line
        self.column = column
    }

    /// The member `key` of an object.
    public subscript(key: String) -> TemplateNode? {
        guard case .object(let members) = value else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// The members of an object, or `nil`.
    public var members: [Member]? {
        if case .object(let m) = value { return m }
        return nil
    }

    /// The items of an array, or `nil`.
    public var items: [TemplateNode]? {
        if case .array(let a) = value { return a }
        return nil
    }

    /// The text of a string, number or boolean (how CloudFormation reads scalars as strings).
    public var scalarText: String? {
        switch value {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

    /// The kind's name for messages.
    public var kindName: String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "list"
        case .object: return "mapping"
        }
    }

    /// The value as JSON (numbers in YAML-only spellings such as `0x1F` or `007` become their value).
    public var json: JSONValue {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let text): return .number(Self.jsonNumber(text))
        case .string(let s): return .string(s)
        case .array(let a): return .array(a.map(\.json))
        case .object(let m): return .object(JSONObject(m.map { JSONObject.Member(key: $0.key, value: $0.value.json) }))
        }
    }

    static func jsonNumber(_ text: String) -> JSONNumber {
        if case .number(let n)? = try? JSONParser.parse(text) { return n }
        var t = Substring(text)
        var negative = false
        if t.first == "+" || t.first == "-" { negative = t.first == "-"; t = t.dropFirst() }
        var value: Int?
        if t.hasPrefix("0x") { value = Int(t.dropFirst(2), radix: 16) }
        else if t.hasPrefix("0o") { value = Int(t.dropFirst(2), radix: 8) }
        else if let i = Int(t) { value = i }
        if let v = value { return JSONNumber(negative ? -v : v) }
        if let d = Double(t), d.isFinite { return JSONNumber(negative ? -d : d) }
        return JSONNumber(0)
    }

    /// A node from JSON (no positions).
    public init(json: JSONValue) {
        switch json {
        case .null: self.init(.null)
        case .bool(let b): self.init(.bool(b))
        case .number(let n): self.init(.number(n.text))
        case .string(let s): self.init(.string(s))
        case .array(let a): self.init(.array(a.map { TemplateNode(json: $0) }))
        case .object(let o): self.init(.object(o.members.map { Member(key: $0.key, value: TemplateNode(json: $0.value), line: 0) }))
        }
    }
}
