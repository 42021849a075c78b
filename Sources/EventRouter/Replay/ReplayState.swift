/// The states of an archive replay, as `DescribeReplay` reports them.
public enum ReplayState: String, Sendable, Hashable, CaseIterable {
    case starting = "STARTING"
    case running = "RUNNING"
    case cancelling = "CANCELLING"
    case completed = "COMPLETED"
    case cancelled = "CANCELLED"
    case failed = "FAILED"

    /// Whether the replay has ended.
    public var isTerminal: Bool { self == .completed || self == .cancelled || self == .failed }
}
