/// A delivery stream's buffer and when it is due, as a pure value: records wait until their
/// bytes reach the size hint or the oldest has waited the interval hint, whichever comes first
/// (an interval of 0 delivers at once).
public struct DeliveryStreamBuffer: Sendable, Hashable {
    public private(set) var records: [DeliveryStreamRecord] = []
    /// The bytes buffered (the records' data).
    public private(set) var bytes = 0
    /// `SizeInMBs` in bytes.
    public var sizeLimit: Int
    /// `IntervalInSeconds`.
    public var interval: Duration

    public init(sizeLimit: Int, interval: Duration) {
        self.sizeLimit = sizeLimit
        self.interval = interval
    }

    public var isEmpty: Bool { records.isEmpty }

    public mutating func append(_ record: DeliveryStreamRecord) {
        records.append(record)
        bytes += record.data.count
    }

    /// When the buffer is due: at once when full (the newest record's arrival), else the oldest
    /// record's arrival plus the interval; `nil` when empty.
    public var deadline: Timestamp? {
        guard let first = records.first, let last = records.last else { return nil }
        if bytes >= sizeLimit { return last.arrival }
        return first.arrival + interval
    }

    /// The records, when due at `now` (the buffer is then empty); `nil` when not due.
    public mutating func takeIfDue(at now: Timestamp) -> [DeliveryStreamRecord]? {
        guard let deadline, deadline <= now else { return nil }
        return takeAll()
    }

    /// Every record, due or not (the buffer is then empty).
    public mutating func takeAll() -> [DeliveryStreamRecord] {
        defer { records = []; bytes = 0 }
        return records
    }
}
