/// A log group as DescribeLogGroups reports it.
public struct LogGroupInfo: Sendable, Hashable {
    public var name: String
    /// Milliseconds since the epoch.
    public var creationTime: Int64
    /// Kept and reported; events are not expired.
    public var retentionInDays: Int?
    /// The sum of the stored messages' UTF-8 bytes.
    public var storedBytes: Int = 0

    public init(name: String, creationTime: Int64, retentionInDays: Int? = nil) {
        self.name = name
        self.creationTime = creationTime
        self.retentionInDays = retentionInDays
    }
}

/// A log stream as DescribeLogStreams reports it.
public struct LogStreamInfo: Sendable, Hashable {
    public var name: String
    public var creationTime: Int64
    public var firstEventTimestamp: Int64?
    public var lastEventTimestamp: Int64?
    public var lastIngestionTime: Int64?
    public var storedBytes: Int = 0
    public var eventCount: Int = 0

    public init(name: String, creationTime: Int64) {
        self.name = name
        self.creationTime = creationTime
    }
}

/// An event found by ``LogGroupRegistry/filter(group:streams:streamPrefix:start:end:pattern:)``.
public struct FilteredLogEvent: Sendable, Hashable {
    public var stream: String
    public var event: LogEvent
    /// Unique in the registry (a decimal number).
    public var eventId: String
}
