/// The logic of `eventrouter stream …`: one operation applied to the `"streams"` part of a
/// state JSON document (the `--state-out` contract), without touching the file system.
public enum StreamStateFileOperations {
    /// Where GetRecords starts, for ``Action/get(_:)``.
    public struct ReadOptions: Sendable, Hashable {
        /// One shard to read; `nil` reads every shard in order.
        public var shardId: String?
        /// The iterator type (default `TRIM_HORIZON`).
        public var iteratorType: ShardIteratorType
        /// For `AT_SEQUENCE_NUMBER` / `AFTER_SEQUENCE_NUMBER`.
        public var sequenceNumber: String?
        /// For `AT_TIMESTAMP`.
        public var timestamp: Timestamp?
        /// An iterator from an earlier `get` (its `NextShardIterator`); overrides the others.
        public var shardIterator: String?
        /// Most records per shard (1…10,000).
        public var limit: Int?

        public init(shardId: String? = nil, iteratorType: ShardIteratorType = .trimHorizon, sequenceNumber: String? = nil,
                    timestamp: Timestamp? = nil, shardIterator: String? = nil, limit: Int? = nil) {
            self.shardId = shardId
            self.iteratorType = iteratorType
            self.sequenceNumber = sequenceNumber
            self.timestamp = timestamp
            self.shardIterator = shardIterator
            self.limit = limit
        }
    }

    /// One `stream` subcommand.
    public enum Action: Sendable, Hashable {
        /// Adds a stream to the state.
        case create(shardCount: Int, retentionPeriodHours: Int)
        /// One record answers like PutRecord; several like PutRecords (sent in batches of 500).
        case put([PutRecordsEntry])
        /// GetShardIterator + GetRecords.
        case get(ReadOptions)
        /// DescribeStream.
        case describe
        /// SplitShard.
        case split(shardId: String, newStartingHashKey: String)
        /// MergeShards.
        case merge(shardId: String, adjacentShardId: String)

        /// Whether the action changes the state (and the file must be written back).
        public var mutates: Bool {
            switch self {
            case .get, .describe: return false
            case .create, .put, .split, .merge: return true
            }
        }
    }

    /// What an action printed and the state afterwards.
    public struct Outcome: Sendable {
        /// The JSON answer to print.
        public var output: JSONValue
        /// The whole state document with its `"streams"` replaced (other keys kept as they were).
        public var state: JSONValue
    }

    /// Parses a state file's text; a missing file (`nil`) is an empty state.
    /// - Throws: `InvalidArgumentException` when the text is not a JSON object.
    public static func parseState(_ text: String?, file: String) throws(StreamError) -> JSONValue {
        guard let text else { return .object(JSONObject()) }
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw .invalid("state file \(file) is not valid JSON: \(error); fix the file or point --state at a state written by replay --state-out")
        }
        guard value.objectValue != nil else {
            throw .invalid("state file \(file) must hold a JSON object like {\"streams\": {…}}, got \(value.kindName)")
        }
        return value
    }

    /// The newest time a state document records for its streams (creation, arrivals, closings),
    /// or `nil` when it has none. The command line acts at this time unless told otherwise, so a
    /// snapshot written under virtual time reads as it was written instead of being trimmed by
    /// retention against the real clock.
    /// - Throws: `InvalidArgumentException` naming the field when a recorded time is outside
    ///   ``Timestamp/supportedRange``.
    public static func latestTime(in state: JSONValue) throws(StreamError) -> Timestamp? {
        var latest: Timestamp?
        func see(_ seconds: Double?, _ path: @autoclosure () -> String) throws(StreamError) {
            guard let seconds else { return }
            let t = try DataStreamState.time(seconds, path())
            if latest.map({ t > $0 }) ?? true { latest = t }
        }
        for stream in state["streams"]?.objectValue?.members ?? [] {
            try see(stream.value["StreamCreationTimestamp"]?.doubleValue, "streams.\(stream.key).StreamCreationTimestamp")
            for (i, shard) in (stream.value["shards"]?.arrayValue ?? []).enumerated() {
                if let t = shard["ClosedAt"]?.stringValue.flatMap(Timestamp.init(iso8601:)), latest.map({ t > $0 }) ?? true { latest = t }
                try see(shard["records"]?.arrayValue?.last?["ApproximateArrivalTimestamp"]?.doubleValue,
                        "streams.\(stream.key).shards[\(i)].records.last.ApproximateArrivalTimestamp")
            }
        }
        return latest
    }

    /// Reads records for `put --records`: NDJSON lines (LF or CRLF, see ``TextLines``) or one JSON
    /// array of `{"Data", "PartitionKey", "ExplicitHashKey"?}`. A `Data` that is not a string is stored as its JSON text.
    /// - Throws: `InvalidArgumentException` naming the line or element to fix.
    public static func parseRecords(_ text: String) throws(StreamError) -> [PutRecordsEntry] {
        let bytes = Array(text.utf8)
        var values: [(String, JSONValue)] = []
        if bytes.first(where: { ![0x20, 0x0A, 0x09, 0x0D].contains($0) }) == UInt8(ascii: "[") {
            do {
                let array = try JSONParser.parse(bytes: bytes).arrayValue ?? []
                values = array.enumerated().map { ("element \($0.offset)", $0.element) }
            } catch {
                throw .invalid("records: not valid JSON: \(error)")
            }
        } else {
            for (line, range) in TextLines.ranges(in: bytes) {
                do {
                    values.append(("line \(line)", try JSONParser.parse(bytes: bytes[range])))
                } catch {
                    throw .invalid("records line \(line) is not valid JSON: \(error)")
                }
            }
        }
        var entries: [PutRecordsEntry] = []
        for (label, value) in values {
            guard let data = value["Data"], let key = value["PartitionKey"]?.stringValue else {
                throw .invalid("records \(label): needs \"Data\" and a string \"PartitionKey\", e.g. {\"Data\": \"…\", \"PartitionKey\": \"order-1\"}")
            }
            var explicit: String?
            if let e = value["ExplicitHashKey"] {
                guard let s = e.stringValue else { throw .invalid("records \(label): \"ExplicitHashKey\" must be a decimal string") }
                explicit = s
            }
            entries.append(PutRecordsEntry(data: data.stringValue ?? data.jsonText, partitionKey: key, explicitHashKey: explicit))
        }
        guard !entries.isEmpty else { throw .invalid("records: no records found; give one JSON object per line") }
        return entries
    }

    /// Applies `action` to stream `stream` (name or ARN) of `state`.
    /// - Throws: ``StreamError`` from the operation, or `ResourceNotFoundException` for an unknown stream.
    public static func run(_ action: Action, stream: String, state: JSONValue, clock: any EventClock,
                           account: String = "123456789012", region: String = "us-east-1") throws(StreamError) -> Outcome {
        let registry = StreamRegistry(clock: clock, defaultAccount: account, defaultRegion: region)
        if let streams = state["streams"] { try registry.restore(from: streams) }
        let output: JSONValue
        switch action {
        case .create(let shardCount, let retention):
            let arn = registry.arn(for: stream)
            let (r, a, name) = try DataStreamState.parseARN(arn)
            let s = try registry.create(StreamConfiguration(name: name, shardCount: shardCount, retentionPeriodHours: retention,
                                                            account: a, region: r))
            output = s.describe()
        case .put(let entries):
            let s = try registry.stream(stream)
            if entries.count == 1 {
                output = try s.putRecord(data: entries[0].data, partitionKey: entries[0].partitionKey,
                                         explicitHashKey: entries[0].explicitHashKey).jsonValue
            } else {
                var all: [PutRecordsResult.Entry] = []
                var start = 0
                while start < entries.count {
                    let end = min(start + StreamLimits.maximumPutRecordsCount, entries.count)
                    all += try s.putRecords(Array(entries[start..<end])).records
                    start = end
                }
                output = PutRecordsResult(records: all).jsonValue
            }
        case .get(let options):
            output = try read(registry.stream(stream), options)
        case .describe:
            output = try registry.stream(stream).describe()
        case .split(let shardId, let key):
            let s = try registry.stream(stream)
            try s.splitShard(shardId: shardId, newStartingHashKey: key)
            output = s.describe()
        case .merge(let shardId, let adjacent):
            let s = try registry.stream(stream)
            try s.mergeShards(shardId: shardId, adjacentShardId: adjacent)
            output = s.describe()
        }
        var object = state.objectValue ?? JSONObject()
        if action.mutates { object["streams"] = registry.stateJSON() }
        return Outcome(output: output, state: .object(object))
    }

    private static func read(_ s: DataStream, _ options: ReadOptions) throws(StreamError) -> JSONValue {
        func one(_ shardId: String?, iterator: String?) throws(StreamError) -> JSONValue {
            let it: String
            if let iterator {
                it = iterator
            } else {
                it = try s.shardIterator(shardId: shardId ?? "", type: options.iteratorType,
                                         sequenceNumber: options.sequenceNumber, timestamp: options.timestamp)
            }
            let result = try s.getRecords(shardIterator: it, limit: options.limit)
            guard case .object(var o) = result.jsonValue else { return result.jsonValue }
            if let shardId { o.members.insert(JSONObject.Member(key: "ShardId", value: .string(shardId)), at: 0) }
            return .object(o)
        }
        if let iterator = options.shardIterator { return try one(nil, iterator: iterator) }
        if let shardId = options.shardId { return try one(shardId, iterator: nil) }
        var shards: [JSONValue] = []
        for shard in s.snapshot.shards { shards.append(try one(shard.shardId, iterator: nil)) }
        return ["Shards": .array(shards)]
    }
}
