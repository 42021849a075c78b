/// A poller of one event source mapping: the runner steps it on its clock.
protocol EventSourcePoller: Actor {
    /// The mapping it runs, as it is now.
    nonisolated var configuration: EventSourceMappingConfiguration { get }
    /// Where the configuration and function live (``reconfigure(_:runtime:)`` changes them).
    nonisolated var cell: MappingConfigurationCell { get }
    /// Applies a changed configuration or function from the next step on.
    func reconfigure(_ configuration: EventSourceMappingConfiguration, runtime: FunctionRuntime)
    /// Does whatever is due now; calls `invoking` just before it invokes the function with a
    /// batch (the runner waits for a step to end or to reach that point).
    func step(invoking: @escaping @Sendable () -> Void) async -> PollStep
    /// Its counters so far.
    var counters: EventSourceMappingCounters { get }
    /// Source-specific state for the state JSON (e.g. shard positions).
    var detailJSON: JSONValue { get }
}

extension EventSourcePoller {
    nonisolated var configuration: EventSourceMappingConfiguration { cell.configuration }

    /// Does whatever is due now.
    func step() async -> PollStep { await step(invoking: {}) }
}
