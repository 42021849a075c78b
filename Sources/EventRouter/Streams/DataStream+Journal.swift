/// The records a stream submits to the journal (docs/durability.md, "Streams"): a whole state per
/// create/reshard/retention/mode/tag change (`stream.put`), the written records per
/// PutRecord(s) (`stream.records`).
extension DataStream {
    /// `stream.put`: the whole state of the stream `arn`.
    static func putRecord(_ arn: String, _ state: DataStreamState) -> StateRecord {
        StateRecord(.streamPut, ["arn": .string(arn), "s": state.journalJSON()])
    }

    /// `stream.records`: the records just written (each with its shard, sequence number and arrival time).
    static func recordsRecord(_ arn: String, _ written: [(PutRecordResult, PutRecordsEntry)], _ now: Timestamp) -> StateRecord {
        let arrival = JSONValue.number(JSONNumber(Double(now.millisecondsSinceEpoch) / 1000))
        var list: [JSONValue] = []
        list.reserveCapacity(written.count)
        for (result, entry) in written {
            var o: JSONObject = ["S": .string(result.shardId), "SequenceNumber": .string(result.sequenceNumber),
                                 "PartitionKey": .string(entry.partitionKey)]
            if let text = String(validating: entry.bytes, as: UTF8.self) {
                o["Data"] = .string(text)
            } else {
                o["DataBase64"] = .string(Base64.encode(entry.bytes))
            }
            o["ApproximateArrivalTimestamp"] = arrival
            list.append(.object(o))
        }
        return StateRecord(.streamRecords, ["arn": .string(arn), "r": .array(list)])
    }
}

extension DataStream {
    /// Records that the event source mapping `mapping` (``KinesisEventSourcePoller/checkpointKey``: function and stream)
    /// has processed `shardId` up to `sequenceNumber` (journaled as `mapping.checkpoint`).
    func checkpoint(mapping: String, shardId: String, sequenceNumber: String) {
        // Kept only with a data directory: in memory a mapping's progress lives in its poller.
        guard let journal = self.journal.withLock({ $0 }) else { return }
        withState { s in
            s.checkpoints[mapping, default: [:]][shardId] = sequenceNumber
            _ = journal.submit([StateRecord(.mappingCheckpoint, ["arn": .string(arn), "m": .string(mapping), "S": .string(shardId), "q": .string(sequenceNumber)])])
        }
    }

    /// Replaces the state in place (recovery: mappings keep reading this very stream).
    func replaceState(_ new: DataStreamState) { withState { s in s = new } }
}

extension DataStreamState {
    /// The state JSON entry (``stateJSON()``) plus what only the journal keeps: the capacity
    /// mode, the tags and the next sequence counter (so numbers continue past expired records).
    func journalJSON() -> JSONValue {
        guard case .object(var o) = stateJSON() else { return stateJSON() }
        o["StreamMode"] = .string(mode.rawValue)
        if !tags.isEmpty { o["Tags"] = .object(JSONObject(tags.sorted { $0.key < $1.key }.map { JSONObject.Member(key: $0.key, value: .string($0.value)) })) }
        o["NextSequenceCounter"] = .string(String(nextCounter))
        if !checkpoints.isEmpty {
            o["Checkpoints"] = .object(JSONObject(checkpoints.sorted { $0.key < $1.key }.map { m in
                JSONObject.Member(key: m.key, value: .object(JSONObject(m.value.sorted { $0.key < $1.key }.map { JSONObject.Member(key: $0.key, value: .string($0.value)) })))
            }))
        }
        return .object(o)
    }

    /// Rebuilds a stream from its ``journalJSON()``.
    /// - Throws: `InvalidArgumentException` naming the JSON path to fix.
    init(restoringJournal json: JSONValue, arn: String, limits: StreamLimits, now: Timestamp) throws(StreamError) {
        try self.init(restoringState: json, arn: arn, limits: limits, now: now)
        if let name = json["StreamMode"]?.stringValue {
            guard let mode = StreamMode(rawValue: name) else { throw .invalid("streams[\"\(arn)\"].StreamMode must be PROVISIONED or ON_DEMAND, got '\(name)'") }
            self.mode = mode
        }
        for member in json["Tags"]?.objectValue?.members ?? [] {
            guard let value = member.value.stringValue else { throw .invalid("streams[\"\(arn)\"].Tags[\"\(member.key)\"] must be a string") }
            tags[member.key] = value
        }
        if let text = json["NextSequenceCounter"]?.stringValue {
            guard let counter = UInt64(text) else { throw .invalid("streams[\"\(arn)\"].NextSequenceCounter must be a decimal counter, got '\(text)'") }
            nextCounter = max(nextCounter, counter)
        }
        for mapping in json["Checkpoints"]?.objectValue?.members ?? [] {
            for shard in mapping.value.objectValue?.members ?? [] {
                guard let seq = shard.value.stringValue else { throw .invalid("streams[\"\(arn)\"].Checkpoints[\"\(mapping.key)\"][\"\(shard.key)\"] must be a sequence number string") }
                checkpoints[mapping.key, default: [:]][shard.key] = seq
            }
        }
    }
}

extension DataStream {
    /// Drops the checkpoints kept under `mapping` (an API-created mapping deleted) and runs
    /// `journaling` under the stream's lock, so no checkpoint of this stream is journaled between.
    func clearCheckpoints(mapping: String, journaling: () -> Void) {
        withState { s in
            s.checkpoints[mapping] = nil
            journaling()
        }
    }
}
