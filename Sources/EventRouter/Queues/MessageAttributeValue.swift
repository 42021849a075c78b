/// A message attribute: a data type (`String`, `Number`, `Binary`, optionally with a custom
/// suffix such as `Number.float`) and its value.
///
/// Dead-letter messages from the delivery engine carry `RULE_ARN`, `TARGET_ARN`, `ERROR_CODE`, …
/// as `String` attributes (``string(_:)``).
public struct MessageAttributeValue: Sendable, Hashable {
    /// `String`, `Number` or `Binary`, optionally followed by `.` and a custom label.
    public var dataType: String
    /// The value of a `String` or `Number` attribute.
    public var stringValue: String?
    /// The value of a `Binary` attribute.
    public var binaryValue: [UInt8]?

    public init(dataType: String, stringValue: String? = nil, binaryValue: [UInt8]? = nil) {
        self.dataType = dataType
        self.stringValue = stringValue
        self.binaryValue = binaryValue
    }

    /// A `String` attribute.
    public static func string(_ value: String) -> MessageAttributeValue { MessageAttributeValue(dataType: "String", stringValue: value) }
    /// A `Number` attribute (the number's text, as SQS keeps it).
    public static func number(_ text: String) -> MessageAttributeValue { MessageAttributeValue(dataType: "Number", stringValue: text) }
    /// A `Binary` attribute.
    public static func binary(_ bytes: [UInt8]) -> MessageAttributeValue { MessageAttributeValue(dataType: "Binary", binaryValue: bytes) }

    /// The base type: `String`, `Number` or `Binary` (or the unknown prefix as written).
    public var baseType: String {
        if let dot = dataType.firstIndex(of: ".") { return String(dataType[..<dot]) }
        return dataType
    }

    /// Bytes this attribute counts toward the message size (name excluded): type plus value.
    var sizeInBytes: Int { dataType.utf8.count + (stringValue?.utf8.count ?? 0) + (binaryValue?.count ?? 0) }
}
