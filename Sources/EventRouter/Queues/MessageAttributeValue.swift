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
        // ASCII type names (all real ones) are searched as bytes; others by Character, where a
        // "." followed by a combining mark is not a ".".
        let utf8 = dataType.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            guard let dot = utf8.firstIndex(of: UInt8(ascii: ".")) else { return dataType }
            return String(dataType[..<dot])
        }
        if let dot = dataType.firstIndex(of: ".") { return String(dataType[..<dot]) }
        return dataType
    }

    /// Whether `name` holds ".." (bytes; what `zip(utf8, utf8.dropFirst())` found, without the iterators).
    static func hasDoubleDot(_ name: String) -> Bool {
        var previous: UInt8 = 0
        for c in name.utf8 {
            if c == 0x2E && previous == 0x2E { return true }
            previous = c
        }
        return false
    }

    /// Whether `name` starts with `prefix` (lowercase ASCII) ignoring ASCII case: for an ASCII
    /// `name`, what `name.lowercased().hasPrefix(prefix)` answers, without the lowercased copy
    /// (the attribute-name checks accept ASCII names only).
    static func hasPrefixIgnoringASCIICase(_ name: String, _ prefix: StaticString) -> Bool {
        let p = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        var i = 0
        for c in name.utf8 {
            if i == p.count { return true }
            let lower = c >= 0x41 && c <= 0x5A ? c | 0x20 : c
            if lower != p[i] { return false }
            i += 1
        }
        return i == p.count
    }

    /// Bytes this attribute counts toward the message size (name excluded): type plus value.
    var sizeInBytes: Int { dataType.utf8.count + (stringValue?.utf8.count ?? 0) + (binaryValue?.count ?? 0) }
}
