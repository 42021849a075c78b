/// What one step of a poller did and when it next has something to do.
public struct PollStep: Sendable, Equatable {
    /// It received, read, invoked or changed state: step again at the same instant.
    public var didWork: Bool
    /// When it next has something to do (a batching window closes, a message becomes visible,
    /// a retry is due); `nil` when only new input would give it work.
    public var wakeAt: Timestamp?
    /// Its source still holds work for it (messages in the queue, unread or unfinished records).
    public var pending: Bool
    /// How much left the source for good in this step (deleted, redriven, expired, checkpointed).
    public var progress: Int

    public init(didWork: Bool, wakeAt: Timestamp? = nil, pending: Bool, progress: Int = 0) {
        self.didWork = didWork
        self.wakeAt = wakeAt
        self.pending = pending
        self.progress = progress
    }
}

/// A poller of one event source mapping: the runner steps it on its clock.
protocol EventSourcePoller: Actor {
    /// The mapping it runs.
    nonisolated var configuration: EventSourceMappingConfiguration { get }
    /// Does whatever is due now.
    func step() async -> PollStep
    /// Its counters so far.
    var counters: EventSourceMappingCounters { get }
    /// Source-specific state for the state JSON (e.g. shard positions).
    var detailJSON: JSONValue { get }
}

/// Settings of the pollers that AWS does not expose.
public struct EventSourceMappingOptions: Sendable, Equatable {
    /// How long a stream mapping waits before retrying a failed or throttled batch (default 1 s).
    public var retryDelay: Duration = .seconds(1)
    /// How often the real-clock loop polls a source with nothing to do (default 1 s).
    public var idlePollInterval: Duration = .seconds(1)
    /// The most payload bytes an SQS batch gathers before it is invoked (Lambda: 6 MB).
    public var maximumPayloadBytes = 6 * 1024 * 1024

    public init() {}
}
