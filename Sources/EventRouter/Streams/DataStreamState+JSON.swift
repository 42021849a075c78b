extension DataStreamState {
    /// This stream's entry under `"streams"` in the state JSON (keyed by its ARN).
    ///
    /// The contract keys are `shards[].ShardId` and `shards[].records[]` with `SequenceNumber`,
    /// `PartitionKey` and `Data` (the record's text as written, not base64; `DataBase64` instead
    /// when the payload is not UTF-8). Added so that a
    /// restore is exact: `RetentionPeriodHours`, `StreamCreationTimestamp`, and per shard
    /// `HashKeyRange`, `ParentShardId`, `AdjacentParentShardId`, `SequenceNumberRange`, `ClosedAt`,
    /// and per record `ApproximateArrivalTimestamp` (epoch seconds).
    public func stateJSON() -> JSONValue {
        var stream = JSONObject()
        stream["RetentionPeriodHours"] = .number(JSONNumber(configuration.retentionPeriodHours))
        stream["StreamCreationTimestamp"] = .number(JSONNumber(Double(createdAt.millisecondsSinceEpoch) / 1000))
        stream["shards"] = .array(shards.map { shard in
            guard case .object(var o) = shard.jsonValue else { return shard.jsonValue }
            if let closed = shard.closedAt { o["ClosedAt"] = .string(closed.iso8601Milliseconds) }
            o["records"] = .array(shard.records.map { r -> JSONValue in
                var record = JSONObject()
                record["SequenceNumber"] = .string(r.sequenceNumber.description)
                record["PartitionKey"] = .string(r.partitionKey)
                if let text = String(validating: r.bytes, as: UTF8.self) {
                    record["Data"] = .string(text)
                } else {
                    record["DataBase64"] = .string(Base64.encode(r.bytes))
                }
                record["ApproximateArrivalTimestamp"] = .number(JSONNumber(Double(r.approximateArrivalTimestamp.millisecondsSinceEpoch) / 1000))
                return .object(record)
            })
            return .object(o)
        })
        return .object(stream)
    }

    /// Splits `arn:aws:kinesis:REGION:ACCOUNT:stream/NAME` into its parts.
    /// - Throws: `InvalidArgumentException` when `arn` has another shape.
    public static func parseARN(_ arn: String) throws(StreamError) -> (region: String, account: String, name: String) {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "kinesis", parts[5].hasPrefix("stream/") else {
            throw .invalid("'\(arn)' is not a stream ARN; use arn:aws:kinesis:REGION:ACCOUNT:stream/NAME")
        }
        return (parts[3], parts[4], String(parts[5].dropFirst(7)))
    }

    /// Rebuilds a stream from its ``stateJSON()`` entry. Only `shards[].ShardId` and the records'
    /// `SequenceNumber`, `PartitionKey` and `Data` are required; without `HashKeyRange`s the listed
    /// shards split the hash-key space evenly, and records without a timestamp arrived `now`.
    /// - Throws: `InvalidArgumentException` naming the JSON path to fix.
    /// A state file's seconds since the epoch, checked against ``Timestamp/supportedRange``.
    static func time(_ seconds: Double, _ path: String) throws(StreamError) -> Timestamp {
        do { return try Timestamp(checkedSecondsSinceEpoch: seconds) } catch { throw .invalid("\(path) is not valid: \(error)") }
    }

    public init(restoringState json: JSONValue, arn: String, limits: StreamLimits = .kinesis, now: Timestamp) throws(StreamError) {
        let (region, account, name) = try Self.parseARN(arn)
        let at = "state streams[\"\(arn)\"]"
        guard let object = json.objectValue else { throw .invalid("\(at) must be an object, got \(json.kindName)") }
        var retention = 24
        if let r = object["RetentionPeriodHours"] {
            guard let v = r.intValue else { throw .invalid("\(at).RetentionPeriodHours must be a whole number, got \(r.jsonText)") }
            retention = v
        }
        guard let shardList = object["shards"]?.arrayValue, !shardList.isEmpty else {
            throw .invalid("\(at).shards must be a non-empty array of shards ({\"ShardId\", \"records\"})")
        }
        let configuration: StreamConfiguration
        do {
            configuration = try StreamConfiguration(name: name, shardCount: max(1, min(shardList.count, StreamConfiguration.maximumShardCount)),
                                                    retentionPeriodHours: retention, account: account, region: region)
        } catch {
            throw .invalid("\(at): \(error.message)")
        }
        self.init(configuration: configuration, limits: limits, now: now)
        if let created = object["StreamCreationTimestamp"]?.doubleValue { createdAt = try Self.time(created, "\(at).StreamCreationTimestamp") }
        let even = HashKeyRange.evenSplit(count: shardList.count)
        var restored: [StreamShard] = []
        var maxCounter: UInt64 = 0
        for (i, value) in shardList.enumerated() {
            let path = "\(at).shards[\(i)]"
            guard let s = value.objectValue else { throw .invalid("\(path) must be an object, got \(value.kindName)") }
            guard let id = s["ShardId"]?.stringValue, let index = StreamShard.index(ofShardId: id) else {
                throw .invalid("\(path).ShardId must be a shard id like shardId-000000000000")
            }
            var range = even[i]
            if let r = s["HashKeyRange"] {
                guard let start = r["StartingHashKey"]?.stringValue.flatMap(HashKeyRange.parseKey),
                    let end = r["EndingHashKey"]?.stringValue.flatMap(HashKeyRange.parseKey), start <= end
                else { throw .invalid("\(path).HashKeyRange needs decimal StartingHashKey ≤ EndingHashKey") }
                range = HashKeyRange(start: start, end: end)
            }
            func sequence(_ v: JSONValue?, _ key: String) throws(StreamError) -> SequenceNumber? {
                guard let v else { return nil }
                guard let text = v.stringValue, let seq = SequenceNumber(text), seq.shardIndex == index else {
                    throw .invalid("\(path).\(key) must be a 56-digit sequence number of \(id), got \(v.jsonText)")
                }
                maxCounter = max(maxCounter, seq.counter)
                return seq
            }
            let seqRange = s["SequenceNumberRange"]
            var shard = StreamShard(index: index, hashKeyRange: range, parentShardId: s["ParentShardId"]?.stringValue,
                                    adjacentParentShardId: s["AdjacentParentShardId"]?.stringValue,
                                    startingSequenceNumber: try sequence(seqRange?["StartingSequenceNumber"], "SequenceNumberRange.StartingSequenceNumber")
                                        ?? SequenceNumber(counter: 0, shardIndex: index))
            shard.endingSequenceNumber = try sequence(seqRange?["EndingSequenceNumber"], "SequenceNumberRange.EndingSequenceNumber")
            if let closed = s["ClosedAt"] {
                guard let text = closed.stringValue else { throw .invalid("\(path).ClosedAt must be an ISO-8601 time, got \(closed.jsonText)") }
                do { shard.closedAt = try Timestamp.parse(iso8601: text) } catch { throw .invalid("\(path).ClosedAt is not valid: \(error)") }
            } else if shard.endingSequenceNumber != nil {
                shard.closedAt = now
            }
            for (j, rv) in (s["records"]?.arrayValue ?? []).enumerated() {
                let rp = "\(path).records[\(j)]"
                guard let seq = try sequence(rv["SequenceNumber"], "records[\(j)].SequenceNumber") else {
                    throw .invalid("\(rp).SequenceNumber is missing")
                }
                guard let key = rv["PartitionKey"]?.stringValue else { throw .invalid("\(rp).PartitionKey must be a string") }
                let bytes: [UInt8]
                if let text = rv["Data"]?.stringValue {
                    bytes = Array(text.utf8)
                } else if let encoded = rv["DataBase64"]?.stringValue, let decoded = Base64.decode(encoded) {
                    bytes = decoded
                } else {
                    throw .invalid("\(rp).Data must be a string (the record text), or DataBase64 the payload in base64")
                }
                if let previous = shard.records.last?.sequenceNumber, previous >= seq {
                    throw .invalid("\(rp).SequenceNumber must be greater than the record before it; keep each shard's records in write order")
                }
                var arrival = now
                if let seconds = rv["ApproximateArrivalTimestamp"]?.doubleValue { arrival = try Self.time(seconds, "\(rp).ApproximateArrivalTimestamp") }
                shard.records.append(StreamRecord(sequenceNumber: seq, partitionKey: key, bytes: bytes, approximateArrivalTimestamp: arrival))
            }
            shard.lastSequenceNumber = shard.records.last?.sequenceNumber ?? shard.endingSequenceNumber
            guard !restored.contains(where: { $0.index == index }) else { throw .invalid("\(path).ShardId \(id) appears twice") }
            restored.append(shard)
        }
        shards = restored
        nextCounter = maxCounter + 1
        nextShardIndex = (restored.map(\.index).max() ?? -1) + 1
        rebuildOpenShards()
        var expected: UInt128 = 0
        for (k, p) in openShards.enumerated() {
            let r = shards[p].hashKeyRange
            guard r.start == expected, k == openShards.count - 1 ? r.end == .max : r.end != .max else {
                throw .invalid("\(at): the open shards' HashKeyRanges must cover 0…\(UInt128.max) without gaps or overlaps; \(shards[p].shardId) starts at \(r.start), expected \(expected)")
            }
            expected = r.end == .max ? 0 : r.end + 1
        }
        guard !openShards.isEmpty else { throw .invalid("\(at): at least one shard must be open (no SequenceNumberRange.EndingSequenceNumber)") }
    }
}
