extension DataStreamState {
    /// The open shards, by starting hash key.
    public var openShardIds: [String] { openShards.map { shards[$0].shardId } }

    private func openShard(_ shardId: String, operation: String) throws(StreamError) -> Int {
        let p = try position(ofShardId: shardId)
        guard shards[p].status == .open else {
            throw .invalid("\(operation): shard \(shardId) in stream \(configuration.name) is CLOSED (already split or merged); use one of the open shards \(openShardIds.joined(separator: ", "))")
        }
        return p
    }

    /// SplitShard: closes `shardId` and opens two children, `[start, newStartingHashKey − 1]` and
    /// `[newStartingHashKey, end]`. The parent stays readable until drained.
    /// - Returns: the ids of the two children, lower range first.
    /// - Throws: `ResourceNotFoundException` for an unknown shard; `InvalidArgumentException` for a closed
    ///   shard or a key outside (start, end]; `LimitExceededException` beyond 500 open shards.
    @discardableResult
    public mutating func splitShard(shardId: String, newStartingHashKey: String, now: Timestamp) throws(StreamError) -> [String] {
        expire(now: now)
        let p = try openShard(shardId, operation: "SplitShard")
        let range = shards[p].hashKeyRange
        guard let key = HashKeyRange.parseKey(newStartingHashKey), key > range.start, key <= range.end else {
            throw .invalid("SplitShard: NewStartingHashKey \(newStartingHashKey) must be a decimal integer greater than \(range.start) and at most \(range.end) (the hash-key range of \(shardId)); the midpoint is \(range.start + (range.end - range.start) / 2 + 1)")
        }
        guard openShards.count < StreamConfiguration.maximumShardCount else {
            throw StreamError(.limitExceeded,
                "SplitShard: stream \(configuration.name) already has \(openShards.count) open shards, the most allowed is \(StreamConfiguration.maximumShardCount); merge shards first")
        }
        let parentId = shards[p].shardId
        close(p, now: now)
        let low = newShard(HashKeyRange(start: range.start, end: key - 1), parent: parentId, adjacent: nil)
        let high = newShard(HashKeyRange(start: key, end: range.end), parent: parentId, adjacent: nil)
        rebuildOpenShards()
        return [low, high]
    }

    /// MergeShards: closes two open shards with adjacent hash-key ranges and opens one child over
    /// both, with `ParentShardId` = `shardId` and `AdjacentParentShardId` = `adjacentShardId`.
    /// - Returns: the id of the child.
    /// - Throws: `ResourceNotFoundException` for an unknown shard; `InvalidArgumentException` for a closed
    ///   shard, the same shard twice, or ranges that do not touch.
    @discardableResult
    public mutating func mergeShards(shardId: String, adjacentShardId: String, now: Timestamp) throws(StreamError) -> String {
        expire(now: now)
        let a = try openShard(shardId, operation: "MergeShards")
        let b = try openShard(adjacentShardId, operation: "MergeShards")
        let ra = shards[a].hashKeyRange, rb = shards[b].hashKeyRange
        let adjacent = a != b && ((ra.end != .max && ra.end + 1 == rb.start) || (rb.end != .max && rb.end + 1 == ra.start))
        guard adjacent else {
            throw .invalid("MergeShards: shards \(shardId) (\(ra.start)…\(ra.end)) and \(adjacentShardId) (\(rb.start)…\(rb.end)) are not adjacent; merge two open shards whose hash-key ranges touch")
        }
        close(a, now: now)
        close(b, now: now)
        let child = newShard(HashKeyRange(start: min(ra.start, rb.start), end: max(ra.end, rb.end)),
                             parent: shards[a].shardId, adjacent: shards[b].shardId)
        rebuildOpenShards()
        return child
    }

    /// UpdateShardCount with `UNIFORM_SCALING`: reshapes the open shards into `target` shards of
    /// even hash-key ranges, as Kinesis does, by splits and merges, so every new shard has
    /// parents and readers follow the lineage (intermediate shards close at once, empty).
    /// Works range by range from the low keys up, so the open count never exceeds
    /// max(current, target) + 1. Nothing changes on error.
    /// - Returns: the open shard count before the update.
    /// - Throws: `InvalidArgumentException` for a target outside 1…500 or outside half to
    ///   double the current open count (AWS's per-call limit).
    public mutating func updateShardCount(target: Int, now: Timestamp) throws(StreamError) -> Int {
        expire(now: now)
        let current = openShards.count
        guard (1...StreamConfiguration.maximumShardCount).contains(target) else {
            throw .invalid("UpdateShardCount: TargetShardCount must be from 1 to \(StreamConfiguration.maximumShardCount), got \(target)")
        }
        guard target <= current * 2, target * 2 >= current else {
            throw .invalid("UpdateShardCount: TargetShardCount \(target) must be between half (\((current + 1) / 2)) and double (\(current * 2)) the \(current) open shards of stream \(configuration.name); scale in several calls")
        }
        var next = self
        for range in HashKeyRange.evenSplit(count: target) {
            if range.end != .max {
                let boundary = range.end + 1
                let p = next.openShardPosition(forHashKey: boundary)
                if next.shards[p].hashKeyRange.start != boundary {
                    try next.splitShard(shardId: next.shards[p].shardId, newStartingHashKey: String(boundary), now: now)
                }
            }
            while true {
                let inside = next.openShards.filter { range.contains(next.shards[$0].hashKeyRange.start) }
                guard inside.count > 1 else { break }
                try next.mergeShards(shardId: next.shards[inside[0]].shardId, adjacentShardId: next.shards[inside[1]].shardId, now: now)
            }
        }
        self = next
        return current
    }

    private mutating func close(_ p: Int, now: Timestamp) {
        shards[p].closedAt = now
        shards[p].endingSequenceNumber = shards[p].lastSequenceNumber ?? shards[p].startingSequenceNumber
    }

    private mutating func newShard(_ range: HashKeyRange, parent: String?, adjacent: String?) -> String {
        let index = nextShardIndex
        nextShardIndex += 1
        let shard = StreamShard(index: index, hashKeyRange: range, parentShardId: parent, adjacentParentShardId: adjacent,
                                startingSequenceNumber: SequenceNumber(counter: nextCounter, shardIndex: index))
        shards.append(shard)
        return shard.shardId
    }

    /// DescribeStream's `StreamDescription`: name, ARN, status, retention, creation time and every shard.
    public func streamDescription() -> JSONValue {
        [
            "StreamDescription": [
                "StreamName": .string(configuration.name),
                "StreamARN": .string(configuration.arn),
                "StreamStatus": "ACTIVE",
                "StreamModeDetails": ["StreamMode": .string(mode.rawValue)],
                "RetentionPeriodHours": .number(JSONNumber(configuration.retentionPeriodHours)),
                "StreamCreationTimestamp": .number(JSONNumber(Double(createdAt.millisecondsSinceEpoch) / 1000)),
                "EncryptionType": "NONE",
                "OpenShardCount": .number(JSONNumber(openShards.count)),
                "Shards": .array(shards.map(\.jsonValue)),
                "HasMoreShards": false,
            ],
        ]
    }

    /// ListShards' answer: `{"Shards": […]}`.
    public func listShards() -> JSONValue { ["Shards": .array(shards.map(\.jsonValue))] }
}
