/// One shard of a stream: its hash-key range, lineage, records and throughput windows.
public struct StreamShard: Sendable, Hashable {
    /// Open shards take writes; closed shards (parents after a split or merge) are read-only
    /// until drained and disappear once their records have all passed the retention period.
    public enum Status: String, Sendable { case open = "OPEN", closed = "CLOSED" }

    /// The numeric part of the id.
    public var index: Int
    /// The hash keys this shard owns.
    public var hashKeyRange: HashKeyRange
    /// The shard this one was split from, or the first shard of the merge it came from.
    public var parentShardId: String?
    /// The second shard of the merge it came from.
    public var adjacentParentShardId: String?
    /// The first sequence number this shard can hold.
    public var startingSequenceNumber: SequenceNumber
    /// The last sequence number, set when the shard is closed.
    public var endingSequenceNumber: SequenceNumber?
    /// When the shard was closed, if it was.
    public var closedAt: Timestamp?
    /// Records still within the retention period, oldest first.
    public var records: [StreamRecord] = []
    /// The newest record ever written (even if since expired), for `LATEST`.
    public var lastSequenceNumber: SequenceNumber?
    var writeWindow = RateWindow()
    var readWindow = RateWindow()
    /// Reads fail until this time after a call that returned more than a second's read budget.
    var readsBlockedUntil: Timestamp?

    public init(index: Int, hashKeyRange: HashKeyRange, parentShardId: String? = nil, adjacentParentShardId: String? = nil,
                startingSequenceNumber: SequenceNumber) {
        self.index = index
        self.hashKeyRange = hashKeyRange
        self.parentShardId = parentShardId
        self.adjacentParentShardId = adjacentParentShardId
        self.startingSequenceNumber = startingSequenceNumber
    }

    /// `shardId-` and the index in 12 digits, e.g. `shardId-000000000000`.
    public var shardId: String { Self.shardId(index) }

    /// Open or closed.
    public var status: Status { closedAt == nil ? .open : .closed }

    /// The id text of shard `index`.
    public static func shardId(_ index: Int) -> String { "shardId-" + SequenceNumber.pad(String(index), 12) }

    /// The index in an id like `shardId-000000000003`, or `nil` when `id` is not one.
    public static func index(ofShardId id: String) -> Int? {
        guard id.hasPrefix("shardId-") else { return nil }
        let digits = id.dropFirst(8)
        guard !digits.isEmpty, digits.count <= 18, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(digits)
    }

    /// The index of the first record to read from `position` (see ``ShardIterator``).
    func firstIndex(after position: SequenceNumber?, inclusive: Bool) -> Int {
        guard let position else { return 0 }
        var lo = 0, hi = records.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let s = records[mid].sequenceNumber
            if s < position || (!inclusive && s == position) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The DescribeStream / ListShards shape of the shard.
    public var jsonValue: JSONValue {
        var o = JSONObject()
        o["ShardId"] = .string(shardId)
        if let parentShardId { o["ParentShardId"] = .string(parentShardId) }
        if let adjacentParentShardId { o["AdjacentParentShardId"] = .string(adjacentParentShardId) }
        o["HashKeyRange"] = hashKeyRange.jsonValue
        var range = JSONObject()
        range["StartingSequenceNumber"] = .string(startingSequenceNumber.description)
        if let endingSequenceNumber { range["EndingSequenceNumber"] = .string(endingSequenceNumber.description) }
        o["SequenceNumberRange"] = .object(range)
        return .object(o)
    }
}
