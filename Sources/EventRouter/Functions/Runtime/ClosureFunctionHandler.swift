/// A handler made from a closure over `JSONValue`s.
///
/// ```swift
/// let echo = ClosureFunctionHandler { event, context in ["echo": event] }
/// ```
public struct ClosureFunctionHandler: FunctionHandler {
    private let body: @Sendable (JSONValue, FunctionContext) async throws -> JSONValue

    /// Wraps `body`; the payload is parsed before the call and the result serialized after.
    public init(_ body: @escaping @Sendable (JSONValue, FunctionContext) async throws -> JSONValue) {
        self.body = body
    }

    public func handle(_ payload: [UInt8], context: FunctionContext) async throws -> [UInt8] {
        let event: JSONValue
        do {
            event = payload.isEmpty ? .null : try JSONParser.parse(bytes: payload)
        } catch {
            throw FunctionError(type: "Runtime.InvalidPayload", message: "the payload is not valid JSON: \(error)")
        }
        let result = try await body(event, context)
        var out: [UInt8] = []
        JSONSerializer.write(result, into: &out)
        return out
    }
}
