/// The answer to PutRecords: one entry per request record, in request order.
public struct PutRecordsResult: Sendable, Hashable {
    /// A record's outcome: where it went, or why it failed.
    public enum Entry: Sendable, Hashable {
        case success(PutRecordResult)
        case failure(code: String, message: String)

        /// `{"SequenceNumber", "ShardId"}` or `{"ErrorCode", "ErrorMessage"}`.
        public var jsonValue: JSONValue {
            switch self {
            case .success(let r): return ["SequenceNumber": .string(r.sequenceNumber), "ShardId": .string(r.shardId)]
            case .failure(let code, let message): return ["ErrorCode": .string(code), "ErrorMessage": .string(message)]
            }
        }
    }

    /// The outcomes, same length and order as the request.
    public var records: [Entry]

    public init(records: [Entry]) { self.records = records }

    /// How many records failed.
    public var failedRecordCount: Int {
        records.reduce(0) { n, e in
            if case .failure = e { return n + 1 }
            return n
        }
    }

    /// `{"FailedRecordCount", "Records": […]}` as PutRecords answers.
    public var jsonValue: JSONValue {
        ["FailedRecordCount": .number(JSONNumber(failedRecordCount)), "Records": .array(records.map(\.jsonValue))]
    }
}

/// The answer to GetRecords.
public struct GetRecordsResult: Sendable, Hashable {
    /// The records read, oldest first.
    public var records: [StreamRecord]
    /// Where to read next; `nil` once a closed shard has been read to its end.
    public var nextShardIterator: String?
    /// How far behind the newest record of the shard this read is, in milliseconds (0 = caught up).
    public var millisBehindLatest: Int64
    /// The shards that replaced this one, reported when a closed shard has been read to its end.
    public var childShards: [StreamShard]

    public init(records: [StreamRecord], nextShardIterator: String?, millisBehindLatest: Int64, childShards: [StreamShard] = []) {
        self.records = records
        self.nextShardIterator = nextShardIterator
        self.millisBehindLatest = millisBehindLatest
        self.childShards = childShards
    }

    /// `{"Records", "NextShardIterator", "MillisBehindLatest", "ChildShards"?}` as GetRecords answers.
    public var jsonValue: JSONValue {
        var o = JSONObject()
        o["Records"] = .array(records.map(\.jsonValue))
        o["NextShardIterator"] = nextShardIterator.map(JSONValue.string) ?? .null
        o["MillisBehindLatest"] = .number(JSONNumber(Int(millisBehindLatest)))
        if !childShards.isEmpty {
            o["ChildShards"] = .array(childShards.map { c in
                var parents: [JSONValue] = []
                if let p = c.parentShardId { parents.append(.string(p)) }
                if let p = c.adjacentParentShardId { parents.append(.string(p)) }
                return ["ShardId": .string(c.shardId), "ParentShards": .array(parents), "HashKeyRange": c.hashKeyRange.jsonValue]
            })
        }
        return .object(o)
    }
}
