/// The state of one stream and every decision about it, as a pure value: each operation takes
/// the current time and returns its answer, so the rules are tested without a clock or locks.
/// ``DataStream`` wraps it behind a lock with an injected clock.
///
/// Records older than the retention period disappear lazily: every operation first drops them.
public struct DataStreamState: Sendable {
    /// Name, retention, account and region.
    public internal(set) var configuration: StreamConfiguration
    /// Provisioned (shards as asked) or on demand (4 shards' capacity).
    public internal(set) var mode: StreamMode = .provisioned
    /// The stream's tags (AddTagsToStream, TagResource).
    public internal(set) var tags: [String: String] = [:]
    /// Throughput limits per shard.
    public var limits: StreamLimits
    /// Every shard, open and closed, in creation order.
    public internal(set) var shards: [StreamShard]
    /// When the stream was created.
    public internal(set) var createdAt: Timestamp
    /// The counter the next sequence number gets.
    var nextCounter: UInt64 = 1
    /// Positions in ``shards`` of the open shards, by starting hash key.
    var openShards: [Int] = []
    /// The clock second retention was last applied in.
    var lastExpirySecond: Int64 = .min
    /// The index the next new shard gets.
    var nextShardIndex: Int
    /// Event source mappings' checkpoints: mapping key → ShardId → sequence number processed.
    var checkpoints: [String: [String: String]] = [:]

    /// A new stream with ``StreamConfiguration/shardCount`` shards that split the hash-key space evenly.
    public init(configuration: StreamConfiguration, limits: StreamLimits = .kinesis, now: Timestamp) {
        self.configuration = configuration
        self.limits = limits
        self.createdAt = now
        self.nextShardIndex = configuration.shardCount
        self.shards = HashKeyRange.evenSplit(count: configuration.shardCount).enumerated().map { i, range in
            StreamShard(index: i, hashKeyRange: range, startingSequenceNumber: SequenceNumber(counter: 0, shardIndex: i))
        }
        rebuildOpenShards()
    }

    // MARK: Writing

    /// The hash key a record routes by: `explicitHashKey` if given, else the MD5 of the partition key.
    /// - Throws: `InvalidArgumentException` for a partition key outside 1–256 characters or a malformed hash key.
    public static func hashKey(partitionKey: String, explicitHashKey: String?) throws(StreamError) -> UInt128 {
        let length = partitionKey.unicodeScalars.count
        guard (1...256).contains(length) else {
            throw .invalid("PartitionKey must be 1 to 256 characters long, got \(length); \(length == 0 ? "give a non-empty key" : "use a shorter key") (e.g. an id)")
        }
        guard let explicitHashKey else { return MD5.hashKey(partitionKey) }
        guard let key = HashKeyRange.parseKey(explicitHashKey) else {
            throw .invalid("ExplicitHashKey must be a decimal integer from 0 to \(UInt128.max), got '\(explicitHashKey)'")
        }
        return key
    }

    /// The position in ``shards`` of the open shard whose range holds `key`.
    func openShardPosition(forHashKey key: UInt128) -> Int {
        var lo = 0, hi = openShards.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if shards[openShards[mid]].hashKeyRange.start <= key { lo = mid } else { hi = mid - 1 }
        }
        return openShards[lo]
    }

    /// The id of the open shard a record with this partition key (or explicit hash key) goes to.
    public func shardId(forPartitionKey partitionKey: String, explicitHashKey: String? = nil) throws(StreamError) -> String {
        shards[openShardPosition(forHashKey: try Self.hashKey(partitionKey: partitionKey, explicitHashKey: explicitHashKey))].shardId
    }

    private static func validateSize(_ entry: PutRecordsEntry, label: String) throws(StreamError) {
        guard entry.size <= StreamLimits.maximumRecordSize else {
            throw .invalid("\(label)size of \(entry.size) bytes (data + partition key) exceeds the 1 MiB (1048576 bytes) record limit; split the data into smaller records")
        }
    }

    /// PutRecord: writes one record to the shard its hash key picks.
    /// - Throws: `InvalidArgumentException` for a bad key or size; `ProvisionedThroughputExceededException`
    ///   when the shard has taken its 1,000 records or 1 MiB this second (retry later).
    public mutating func putRecord(_ entry: PutRecordsEntry, now: Timestamp) throws(StreamError) -> PutRecordResult {
        expire(now: now)
        try Self.validateSize(entry, label: "record ")
        let key = try Self.hashKey(partitionKey: entry.partitionKey, explicitHashKey: entry.explicitHashKey)
        return try append(entry, key: key, now: now)
    }

    /// PutRecords: writes up to 500 records; each succeeds or fails on its own.
    /// - Throws: `InvalidArgumentException` for the whole request when it has 0 or more than 500 records,
    ///   more than 5 MiB, or any record with a bad key or over 1 MiB. Throttled records are reported
    ///   per record (`ProvisionedThroughputExceededException`), not thrown.
    public mutating func putRecords(_ entries: [PutRecordsEntry], now: Timestamp) throws(StreamError) -> PutRecordsResult {
        expire(now: now)
        guard (1...StreamLimits.maximumPutRecordsCount).contains(entries.count) else {
            throw .invalid("PutRecords takes 1 to 500 records per call, got \(entries.count); send the records in batches of at most 500")
        }
        var total = 0
        var keys: [UInt128] = []
        keys.reserveCapacity(entries.count)
        for (i, entry) in entries.enumerated() {
            try Self.validateSize(entry, label: "Records[\(i)]: ")
            do {
                keys.append(try Self.hashKey(partitionKey: entry.partitionKey, explicitHashKey: entry.explicitHashKey))
            } catch {
                throw .invalid("Records[\(i)]: \(error.message)")
            }
            total += entry.size
        }
        guard total <= StreamLimits.maximumPutRecordsSize else {
            throw .invalid("PutRecords request of \(total) bytes (data + partition keys) exceeds the 5 MiB (5242880 bytes) limit; send fewer records per call")
        }
        var results: [PutRecordsResult.Entry] = []
        results.reserveCapacity(entries.count)
        for (i, entry) in entries.enumerated() {
            do {
                results.append(.success(try append(entry, key: keys[i], now: now)))
            } catch {
                results.append(.failure(code: error.code.name, message: error.message))
            }
        }
        return PutRecordsResult(records: results)
    }

    private mutating func append(_ entry: PutRecordsEntry, key: UInt128, now: Timestamp) throws(StreamError) -> PutRecordResult {
        let position = openShardPosition(forHashKey: key)
        let admitted = shards[position].writeWindow.admit(
            now: now, count: 1, bytes: entry.size, maxCount: limits.writeRecordsPerSecond, maxBytes: limits.writeBytesPerSecond)
        guard admitted else {
            throw StreamError(.provisionedThroughputExceeded,
                "Rate exceeded for shard \(shards[position].shardId) in stream \(configuration.name) under account \(configuration.account): a shard takes \(limits.writeRecordsPerSecond) records or \(limits.writeBytesPerSecond) bytes per second; retry after this second, or add shards (SplitShard) and spread partition keys")
        }
        let sequence = SequenceNumber(counter: nextCounter, shardIndex: shards[position].index)
        nextCounter += 1
        shards[position].records.append(StreamRecord(
            sequenceNumber: sequence, partitionKey: entry.partitionKey, bytes: entry.bytes, approximateArrivalTimestamp: now))
        shards[position].lastSequenceNumber = sequence
        return PutRecordResult(shardId: shards[position].shardId, sequenceNumber: sequence.description)
    }

    // MARK: Reading

    /// The position in ``shards`` of `shardId`.
    /// - Throws: `ResourceNotFoundException` naming the shards that exist.
    func position(ofShardId shardId: String) throws(StreamError) -> Int {
        if let index = StreamShard.index(ofShardId: shardId), let p = shards.firstIndex(where: { $0.index == index }) { return p }
        throw StreamError(.resourceNotFound,
            "Shard \(shardId) in stream \(configuration.name) under account \(configuration.account) does not exist; its shards are \(shards.map(\.shardId).joined(separator: ", "))")
    }

    /// GetShardIterator: a position in a shard to read from.
    /// - Parameters:
    ///   - sequenceNumber: required for `AT_SEQUENCE_NUMBER` and `AFTER_SEQUENCE_NUMBER`.
    ///   - timestamp: required for `AT_TIMESTAMP` (records that arrived at or after it).
    /// - Throws: `ResourceNotFoundException` for an unknown shard; `InvalidArgumentException` for a
    ///   missing or foreign sequence number or a missing timestamp.
    public mutating func shardIterator(shardId: String, type: ShardIteratorType, sequenceNumber: String? = nil,
                                       timestamp: Timestamp? = nil, now: Timestamp) throws(StreamError) -> String {
        expire(now: now)
        let p = try position(ofShardId: shardId)
        let shard = shards[p]
        var position: SequenceNumber?
        var inclusive = false
        switch type {
        case .trimHorizon:
            position = nil
        case .latest:
            position = shard.lastSequenceNumber
        case .atSequenceNumber, .afterSequenceNumber:
            guard let text = sequenceNumber else {
                throw .invalid("ShardIteratorType \(type.rawValue) needs a StartingSequenceNumber; pass the SequenceNumber of a record in \(shardId)")
            }
            guard let seq = SequenceNumber(text), seq.shardIndex == shard.index else {
                throw .invalid("StartingSequenceNumber \(text) used in GetShardIterator on shard \(shardId) in stream \(configuration.name) under account \(configuration.account) is invalid because it did not come from this shard; use a SequenceNumber that PutRecord(s) or GetRecords returned for \(shardId)")
            }
            position = seq
            inclusive = type == .atSequenceNumber
        case .atTimestamp:
            guard let timestamp else {
                throw .invalid("ShardIteratorType AT_TIMESTAMP needs a Timestamp; pass the time to start reading from")
            }
            let first = shard.records.firstIndex { $0.approximateArrivalTimestamp >= timestamp } ?? shard.records.count
            if first > 0 {
                position = shard.records[first - 1].sequenceNumber
            } else if first == 0 && !shard.records.isEmpty {
                position = nil
            } else {
                position = shard.lastSequenceNumber
            }
        }
        return ShardIterator(streamName: configuration.name, shardIndex: shard.index, position: position,
                             inclusive: inclusive, issuedAt: now).token
    }

    /// GetRecords: up to `limit` (1…10,000, default 10,000) records from the iterator's position,
    /// at most 10 MiB, and the iterator to continue from.
    /// - Throws: `InvalidArgumentException` for a malformed iterator or limit; `ExpiredIteratorException`
    ///   for one older than 5 minutes; `ResourceNotFoundException` when its shard has expired;
    ///   `ProvisionedThroughputExceededException` after 5 calls on the shard in one second, or within
    ///   the seconds a call over 2 MiB used up (10 MiB → the next 5 s).
    public mutating func getRecords(shardIterator token: String, limit: Int? = nil, now: Timestamp) throws(StreamError) -> GetRecordsResult {
        expire(now: now)
        let iterator = try ShardIterator(token: token)
        guard iterator.streamName == configuration.name else {
            throw .invalid("ShardIterator belongs to stream \(iterator.streamName), not \(configuration.name); get an iterator for this stream")
        }
        let limit = limit ?? StreamLimits.maximumGetRecordsLimit
        guard (1...StreamLimits.maximumGetRecordsLimit).contains(limit) else {
            throw .invalid("Limit must be from 1 to 10000, got \(limit)")
        }
        let age = now - iterator.issuedAt
        guard age <= StreamLimits.iteratorLifetime else {
            throw StreamError(.expiredIterator,
                "Iterator expired: it was issued at \(iterator.issuedAt.iso8601Milliseconds), \(Int(age.seconds)) s ago, and iterators last 300 s; get a new one with GetShardIterator (continue AFTER_SEQUENCE_NUMBER the last record read)")
        }
        guard let p = shards.firstIndex(where: { $0.index == iterator.shardIndex }) else {
            throw StreamError(.resourceNotFound,
                "Shard \(StreamShard.shardId(iterator.shardIndex)) in stream \(configuration.name) has expired (closed and past the retention period); read its child shards instead")
        }
        if let blocked = shards[p].readsBlockedUntil, now < blocked {
            throw StreamError(.provisionedThroughputExceeded,
                "Rate exceeded for shard \(shards[p].shardId) in stream \(configuration.name) under account \(configuration.account): the last GetRecords used the shard's read budget of \(limits.readBytesPerSecond) bytes per second until \(blocked.iso8601Milliseconds); retry then, or read with a smaller Limit")
        }
        guard shards[p].readWindow.admit(now: now, count: 1, bytes: 0, maxCount: limits.getRecordsCallsPerSecond, maxBytes: .max) else {
            throw StreamError(.provisionedThroughputExceeded,
                "Rate exceeded for shard \(shards[p].shardId) in stream \(configuration.name) under account \(configuration.account): a shard serves \(limits.getRecordsCallsPerSecond) GetRecords calls per second; wait for the next second or read with a larger Limit")
        }
        let shard = shards[p]
        let start = shard.firstIndex(after: iterator.position, inclusive: iterator.inclusive)
        var end = start
        var bytes = 0
        while end < shard.records.count, end - start < limit {
            let size = shard.records[end].size
            if end > start && bytes + size > StreamLimits.maximumGetRecordsSize { break }
            bytes += size
            end += 1
        }
        let records = Array(shard.records[start..<end])
        if bytes > limits.readBytesPerSecond {
            let seconds = Double(bytes) / Double(limits.readBytesPerSecond)
            shards[p].readsBlockedUntil = now + .nanoseconds(Int64(seconds * 1e9))
        }
        let remaining = end < shard.records.count
        let millisBehind = remaining ? max(0, (now - shard.records[end].approximateArrivalTimestamp).nanoseconds / 1_000_000) : 0
        if shard.status == .closed && !remaining {
            let children = shards.filter { $0.parentShardId == shard.shardId || $0.adjacentParentShardId == shard.shardId }
            return GetRecordsResult(records: records, nextShardIterator: nil, millisBehindLatest: 0, childShards: children)
        }
        var next = iterator
        next.issuedAt = now
        if let last = records.last {
            next.position = last.sequenceNumber
            next.inclusive = false
        }
        return GetRecordsResult(records: records, nextShardIterator: next.token, millisBehindLatest: millisBehind)
    }

    // MARK: Retention

    /// Drops records older than the retention period, and closed shards with no records left
    /// that were closed longer ago than the retention period. Runs at most once per clock second.
    public mutating func expire(now: Timestamp) {
        let second = now.nanosecondsSinceEpoch / 1_000_000_000
        guard second != lastExpirySecond else { return }
        lastExpirySecond = second
        let cutoff = now - configuration.retention
        var removedShard = false
        for p in shards.indices {
            let n = shards[p].records.prefix { $0.approximateArrivalTimestamp < cutoff }.count
            if n > 0 { shards[p].records.removeFirst(n) }
            if let closed = shards[p].closedAt, closed < cutoff, shards[p].records.isEmpty { removedShard = true }
        }
        if removedShard {
            shards.removeAll { s in s.closedAt.map { $0 < cutoff } == true && s.records.isEmpty }
            rebuildOpenShards()
        }
    }

    mutating func rebuildOpenShards() {
        openShards = shards.indices.filter { shards[$0].status == .open }.sorted {
            shards[$0].hashKeyRange.start < shards[$1].hashKeyRange.start
        }
    }
}
