/// Per-shard throughput limits of a stream, enforced on the stream's clock in one-second
/// windows (each whole second of clock time starts a fresh budget).
public struct StreamLimits: Sendable, Hashable {
    /// Records a shard accepts per second (Kinesis: 1,000).
    public var writeRecordsPerSecond: Int
    /// Bytes (data + partition key) a shard accepts per second (Kinesis: 1 MiB).
    public var writeBytesPerSecond: Int
    /// GetRecords calls a shard serves per second (Kinesis: 5).
    public var getRecordsCallsPerSecond: Int
    /// Bytes a shard serves per second (Kinesis: 2 MiB). A GetRecords call that returns more than
    /// this blocks the shard's reads for as many seconds as it used (10 MiB → 5 s).
    public var readBytesPerSecond: Int

    public init(writeRecordsPerSecond: Int = 1000, writeBytesPerSecond: Int = 1 << 20, getRecordsCallsPerSecond: Int = 5,
                readBytesPerSecond: Int = 2 << 20) {
        self.writeRecordsPerSecond = writeRecordsPerSecond
        self.writeBytesPerSecond = writeBytesPerSecond
        self.getRecordsCallsPerSecond = getRecordsCallsPerSecond
        self.readBytesPerSecond = readBytesPerSecond
    }

    /// Kinesis's provisioned-mode limits.
    public static let kinesis = StreamLimits()
    /// No throughput limits (for benchmarks and bulk loading).
    public static let unlimited = StreamLimits(writeRecordsPerSecond: .max, writeBytesPerSecond: .max, getRecordsCallsPerSecond: .max,
                                               readBytesPerSecond: .max)

    /// Largest record (data + partition key), 1 MiB.
    public static let maximumRecordSize = 1 << 20
    /// Largest PutRecords request (all data + partition keys), 5 MiB.
    public static let maximumPutRecordsSize = 5 << 20
    /// Most records in one PutRecords request.
    public static let maximumPutRecordsCount = 500
    /// Most records one GetRecords call returns.
    public static let maximumGetRecordsLimit = 10_000
    /// Most data one GetRecords call returns, 10 MiB.
    public static let maximumGetRecordsSize = 10 << 20
    /// How long a shard iterator stays valid.
    public static let iteratorLifetime: Duration = .seconds(300)
}

/// Usage of one shard in the current one-second window.
struct RateWindow: Sendable, Hashable {
    var second: Int64 = .min
    var count = 0
    var bytes = 0

    /// Adds `count` and `bytes` if they fit the limits in the window of `now`; returns whether they did.
    mutating func admit(now: Timestamp, count: Int, bytes: Int, maxCount: Int, maxBytes: Int) -> Bool {
        let s = now.nanosecondsSinceEpoch >= 0 ? now.nanosecondsSinceEpoch / 1_000_000_000 : (now.nanosecondsSinceEpoch + 1) / 1_000_000_000 - 1
        if s != second {
            second = s
            self.count = 0
            self.bytes = 0
        }
        guard self.count <= maxCount - count, self.bytes <= maxBytes - bytes else { return false }
        self.count += count
        self.bytes += bytes
        return true
    }
}
