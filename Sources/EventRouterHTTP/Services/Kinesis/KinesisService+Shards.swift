import EventRouter

/// ListShards (filters and paging), SplitShard, MergeShards and UpdateShardCount.
extension KinesisService {
    func listShards(_ r: KinesisRequest) throws(AWSError) -> JSONObject {
        let maxResults = try r.integer("MaxResults", in: 1...10_000, default: 1000) ?? 1000
        let now = streams.clock.now
        let stream: DataStream
        var after: Int?
        if let token = try r.input.string("NextToken") {
            for member in ["StreamName", "StreamARN", "ExclusiveStartShardId", "ShardFilter"] where r.input.object[member].map({ !$0.isNull }) == true {
                throw KinesisRequest.invalid("ListShards: NextToken and \(member) cannot be provided together; a NextToken already names its stream and position")
            }
            let page = try KinesisPageToken(token, kind: "shards", now: now)
            stream = try KinesisRequest.map { () throws(StreamError) in try streams.stream(page.scope) }
            after = Int(page.after)
        } else {
            stream = try r.stream()
            after = try r.input.string("ExclusiveStartShardId").map { id throws(AWSError) -> Int in try Self.shardIndex(id, member: "ExclusiveStartShardId") }
        }
        let state = stream.snapshot
        var shards = state.shards.filter { after == nil || $0.index > after! }
        if let filter = try r.input.structure("ShardFilter") {
            shards = try Self.filter(shards, in: state, by: filter, r)
        }
        let page = Array(shards.prefix(maxResults))
        var o: JSONObject = ["Shards": .array(page.map(\.jsonValue))]
        if shards.count > maxResults, let last = page.last {
            o["NextToken"] = .string(KinesisPageToken(kind: "shards", scope: stream.arn, after: String(last.index), issuedAt: now).text)
        }
        return o
    }

    /// The shards `ShardFilter` keeps.
    static func filter(_ shards: [StreamShard], in state: DataStreamState, by filter: JSONInput, _ r: KinesisRequest) throws(AWSError) -> [StreamShard] {
        guard let type = try filter.string("Type", required: true) else { return shards }
        let closedAt = Dictionary(state.shards.map { ($0.shardId, $0.closedAt) }, uniquingKeysWith: { a, _ in a })
        /// When a shard opened: when its parent closed, or when the stream was created.
        func openedAt(_ s: StreamShard) -> Timestamp {
            s.parentShardId.flatMap { closedAt[$0] ?? nil } ?? state.createdAt
        }
        func time() throws(AWSError) -> Timestamp {
            guard let t = try r.timestamp("Timestamp", in: filter) else {
                throw KinesisRequest.invalid("ShardFilter Type \(type) needs a Timestamp")
            }
            return t
        }
        switch type {
        case "AT_LATEST": return shards.filter { $0.status == .open }
        case "FROM_TRIM_HORIZON": return shards
        case "AT_TRIM_HORIZON":
            let present = Set(state.shards.map(\.shardId))
            return shards.filter { s in [s.parentShardId, s.adjacentParentShardId].compactMap { $0 }.allSatisfy { !present.contains($0) } }
        case "AT_TIMESTAMP":
            let t = try time()
            return shards.filter { openedAt($0) <= t && ($0.closedAt.map { $0 > t } ?? true) }
        case "FROM_TIMESTAMP":
            let t = try time()
            return shards.filter { $0.closedAt.map { $0 > t } ?? true }
        case "AFTER_SHARD_ID":
            guard let id = try filter.string("ShardId") else { throw KinesisRequest.invalid("ShardFilter Type AFTER_SHARD_ID needs a ShardId") }
            let index = try shardIndex(id, member: "ShardFilter.ShardId")
            return shards.filter { $0.index > index }
        default:
            throw KinesisRequest.invalid("ShardFilter.Type must be one of AFTER_SHARD_ID, AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AT_LATEST, AT_TIMESTAMP, FROM_TIMESTAMP; got '\(type)'")
        }
    }

    func splitShard(_ r: KinesisRequest) throws(AWSError) -> JSONObject {
        let stream = try r.stream()
        guard let shard = try r.input.string("ShardToSplit", required: true),
            let key = try r.input.string("NewStartingHashKey", required: true)
        else { return [:] }
        _ = try Self.shardIndex(shard, member: "ShardToSplit")
        try KinesisRequest.map { () throws(StreamError) in try stream.splitShard(shardId: shard, newStartingHashKey: key) }
        return [:]
    }

    func mergeShards(_ r: KinesisRequest) throws(AWSError) -> JSONObject {
        let stream = try r.stream()
        guard let shard = try r.input.string("ShardToMerge", required: true),
            let adjacent = try r.input.string("AdjacentShardToMerge", required: true)
        else { return [:] }
        _ = try Self.shardIndex(shard, member: "ShardToMerge")
        _ = try Self.shardIndex(adjacent, member: "AdjacentShardToMerge")
        try KinesisRequest.map { () throws(StreamError) in try stream.mergeShards(shardId: shard, adjacentShardId: adjacent) }
        return [:]
    }

    func updateShardCount(_ r: KinesisRequest) throws(AWSError) -> JSONObject {
        let stream = try r.stream()
        guard let target = try r.input.integer("TargetShardCount", required: true),
            let scaling = try r.input.string("ScalingType", required: true)
        else { return [:] }
        guard scaling == "UNIFORM_SCALING" else {
            throw KinesisRequest.invalid("ScalingType must be UNIFORM_SCALING (the only type), got '\(scaling)'")
        }
        let current = try KinesisRequest.map { () throws(StreamError) in
            try stream.update { (s: inout DataStreamState, now) throws(StreamError) in
                guard s.mode == .provisioned else {
                    throw StreamError(.invalidArgument, "UpdateShardCount: stream \(s.configuration.name) is ON_DEMAND; only PROVISIONED streams take a shard count")
                }
                return try s.updateShardCount(target: target, now: now)
            }
        }
        return ["StreamName": .string(stream.name), "StreamARN": .string(stream.arn),
                "CurrentShardCount": .number(JSONNumber(current)), "TargetShardCount": .number(JSONNumber(target))]
    }
}
