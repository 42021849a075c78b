import Synchronization

/// A mapping's configuration and function as they are now: a poller reads them at each step
/// (without awaiting its actor), and `UpdateEventSourceMapping` changes them in place, so a
/// stream mapping keeps its shard positions and a queue mapping its gathered batch.
final class MappingConfigurationCell: Sendable {
    private let state: Mutex<(configuration: EventSourceMappingConfiguration, runtime: FunctionRuntime)>

    init(_ configuration: EventSourceMappingConfiguration, runtime: FunctionRuntime) {
        state = Mutex((configuration, runtime))
    }

    /// The configuration now.
    var configuration: EventSourceMappingConfiguration { state.withLock { $0.configuration } }
    /// The function now.
    var runtime: FunctionRuntime { state.withLock { $0.runtime } }

    /// Replaces both.
    func set(_ configuration: EventSourceMappingConfiguration, runtime: FunctionRuntime) {
        state.withLock { $0 = (configuration, runtime) }
    }
}
