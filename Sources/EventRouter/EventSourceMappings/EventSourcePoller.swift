/// A poller of one event source mapping: the runner steps it on its clock.
protocol EventSourcePoller: Actor {
    /// The mapping it runs.
    nonisolated var configuration: EventSourceMappingConfiguration { get }
    /// Does whatever is due now; calls `invoking` just before it invokes the function with a
    /// batch (the runner waits for a step to end or to reach that point).
    func step(invoking: @escaping @Sendable () -> Void) async -> PollStep
    /// Its counters so far.
    var counters: EventSourceMappingCounters { get }
    /// Source-specific state for the state JSON (e.g. shard positions).
    var detailJSON: JSONValue { get }
}

extension EventSourcePoller {
    /// Does whatever is due now.
    func step() async -> PollStep { await step(invoking: {}) }
}
