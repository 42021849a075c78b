/// A log group as DescribeLogGroups reports it.
public struct LogGroupInfo: Sendable, Hashable {
    public var name: String
    /// Milliseconds since the epoch.
    public var creationTime: Int64
    /// Events whose timestamp is older than this many days before the clock's now have
    /// expired: reads skip them and PutLogEvents rejects them (``LogGroupRegistry``).
    public var retentionInDays: Int?
    /// The sum of the stored messages' UTF-8 bytes.
    public var storedBytes: Int = 0

    public init(name: String, creationTime: Int64, retentionInDays: Int? = nil) {
        self.name = name
        self.creationTime = creationTime
        self.retentionInDays = retentionInDays
    }

    /// The values CloudWatch Logs accepts for a retention in days.
    public static let retentionValues = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]

    /// The oldest timestamp (milliseconds) still kept at `now`, or `nil` without a retention.
    public func retentionCutoff(now: Int64) -> Int64? {
        retentionInDays.map { now &- Int64($0) * 86_400_000 }
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
