import Testing

/// One row of a JSON-protocol error table: the operation and body sent, the `__type` expected and
/// a fragment of the message (used by the EventBridge and Kinesis error tables).
struct JSONErrorCase: Sendable, CustomTestStringConvertible {
    var name: String
    var operation: String
    var body: String
    var code: String
    var fragment: String
    var testDescription: String { name }
}
