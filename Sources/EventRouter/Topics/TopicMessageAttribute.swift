/// A message attribute of a published message: `String`, `Number`, `String.Array` or `Binary`
/// (custom suffixes like `Number.float` allowed), with its value as text (`Binary`: base64).
public struct TopicMessageAttribute: Sendable, Hashable {
    /// The data type as written, e.g. `String` or `Number.float`.
    public var dataType: String
    /// The value (`String.Array`: a JSON array text; `Binary`: base64).
    public var value: String

    public init(dataType: String, value: String) {
        self.dataType = dataType
        self.value = value
    }

    /// A `String` attribute.
    public static func string(_ value: String) -> TopicMessageAttribute { TopicMessageAttribute(dataType: "String", value: value) }
    /// A `Number` attribute.
    public static func number(_ text: String) -> TopicMessageAttribute { TopicMessageAttribute(dataType: "Number", value: text) }

    /// `String`, `Number`, `String.Array` or `Binary` (the part before a custom suffix).
    public var baseType: String {
        if dataType.hasPrefix("String.Array") { return "String.Array" }
        if let dot = dataType.firstIndex(of: ".") { return String(dataType[..<dot]) }
        return dataType
    }

    /// Checks the type and value.
    /// - Throws: `InvalidParameterException` naming the attribute.
    func validate(name: String) throws(TopicError) {
        switch baseType {
        case "String", "Binary":
            return
        case "Number":
            guard (try? JSONParser.parse(value))?.doubleValue != nil else {
                throw .invalid("MessageAttributes '\(name)': a Number attribute needs a numeric value, got '\(value)'")
            }
        case "String.Array":
            guard (try? JSONParser.parse(value))?.arrayValue != nil else {
                throw .invalid("MessageAttributes '\(name)': a String.Array attribute needs a JSON array value like [\"a\", 1], got '\(value)'")
            }
        default:
            throw .invalid("MessageAttributes '\(name)': DataType must be String, Number, String.Array or Binary, got '\(dataType)'")
        }
    }

    /// The value as filter policies see it: a string, a number, an array, or `nil` for `Binary`.
    var filterValue: JSONValue? {
        switch baseType {
        case "String": return .string(value)
        case "Number": return (try? JSONParser.parse(value)).flatMap { $0.doubleValue != nil ? $0 : nil }
        case "String.Array": return (try? JSONParser.parse(value)).flatMap { $0.arrayValue != nil ? $0 : nil }
        default: return nil
        }
    }
}
