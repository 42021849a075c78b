/// How a target's input is made from the event: `Input`, `InputPath`, `InputTransformer`,
/// or (none of them) the whole event.
public enum TargetInput: Sendable, Hashable {
    /// The event envelope as JSON.
    case event
    /// `Input`: this constant JSON text.
    case constant(String)
    /// `InputPath`: the part of the event the path selects, as JSON.
    case path(JSONPath)
    /// `InputTransformer`.
    case transformer(InputTransformer)

    /// Renders the input for one event.
    /// - Throws: ``EventRouterError`` (`InvalidInput`) when nothing can be delivered (an
    ///   `InputPath` that selects nothing, a JSON template whose result is not JSON); the
    ///   delivery then fails without retries and goes to the dead-letter queue.
    public func render(_ context: InputContext) throws(EventRouterError) -> String {
        switch self {
        case .event:
            return context.event.jsonText
        case .constant(let text):
            return text
        case .path(let path):
            guard let value = path.select(in: context.event.json) else {
                throw EventRouterError(.invalidInput, "InputPath \(path.text) selects nothing in event \(context.event.id)")
            }
            return value.jsonText
        case .transformer(let transformer):
            return try transformer.render(context)
        }
    }
}
