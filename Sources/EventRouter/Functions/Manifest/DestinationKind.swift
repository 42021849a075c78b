/// The kind of resource an ARN names, for destinations and dead-letter targets.
public enum DestinationKind: String, Sendable, Equatable {
    case queue, topic, bus, function

    /// Classifies `arn`; `nil` when it is none of the four kinds.
    public init?(arn: String) {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[2].isEmpty, !parts[5].isEmpty else { return nil }
        switch parts[2] {
        case "sqs": self = .queue
        case "sns": self = .topic
        case "events" where parts[5].hasPrefix("event-bus/"): self = .bus
        case "lambda" where parts[5].hasPrefix("function:"): self = .function
        default: return nil
        }
    }
}
