/// The kind of resource an ARN names, for destinations and dead-letter targets.
public enum DestinationKind: String, Sendable, Equatable {
    case queue, topic, bus, function

    /// Classifies `arn` by ``ARN/kind(of:)``; `nil` when it is none of the four kinds.
    public init?(arn: String) {
        switch ARN.kind(of: arn) {
        case .queue?: self = .queue
        case .topic?: self = .topic
        case .eventBus?: self = .bus
        case .function?: self = .function
        default: return nil
        }
    }
}
