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
