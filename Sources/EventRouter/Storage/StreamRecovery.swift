/// The streams part of ``StateRecovery``: rebuilds each stream from its last `stream.put`
/// (or the snapshot) and the `stream.records` after it, skipping records it already holds (a
/// snapshot captured just after its roll), so sequence numbers continue where they were.
struct StreamRecovery: Sendable {
    struct Model: Sendable {
        /// The stream's ``DataStreamState/journalJSON()`` with the shards' records taken out;
        /// nil for a stream declared in a rule file that was never created or reshaped through the API.
        var base: JSONObject?
        /// Records by ShardId, in write order.
        var records: [String: [JSONValue]] = [:]
        /// The last sequence number per ShardId.
        var last: [String: String] = [:]
        /// Mapping → ShardId → the sequence number it checkpointed.
        var checkpoints: [String: [String: String]] = [:]
    }

    private(set) var streams: [String: Model] = [:]
    private(set) var deleted: Set<String> = []

    /// Whether sequence number `a` comes after `b` (both decimal, at most 56 digits here).
    static func after(_ a: String, _ b: String) -> Bool { a.count != b.count ? a.count > b.count : a > b }

    /// A stream's whole state (`stream.put`, or an entry of the snapshot's `"streams"`).
    mutating func put(_ arn: String, _ state: JSONValue, at: String) throws(StateJournalFailure) {
        guard var object = state.objectValue, let shards = object["shards"]?.arrayValue else {
            throw StateJournalFailure("\(at) has no stream state with \"shards\" for \(arn)")
        }
        var model = Model()
        var stripped: [JSONValue] = []
        for shard in shards {
            guard var s = shard.objectValue, let id = s["ShardId"]?.stringValue else {
                throw StateJournalFailure("\(at): a shard of \(arn) has no ShardId")
            }
            let records = s["records"]?.arrayValue ?? []
            model.records[id] = records
            if let last = records.last?["SequenceNumber"]?.stringValue { model.last[id] = last }
            s["records"] = nil
            stripped.append(.object(s))
        }
        object["shards"] = .array(stripped)
        for mapping in object["Checkpoints"]?.objectValue?.members ?? [] {
            for shard in mapping.value.objectValue?.members ?? [] {
                if let seq = shard.value.stringValue { model.checkpoints[mapping.key, default: [:]][shard.key] = seq }
            }
        }
        object["Checkpoints"] = nil
        model.base = object
        streams[arn] = model
        deleted.remove(arn)
    }

    mutating func delete(_ arn: String) {
        streams[arn] = nil
        deleted.insert(arn)
    }

    /// Records written (`stream.records`); ones at or before a shard's last are already held.
    mutating func append(_ arn: String, _ json: JSONValue) throws(StateJournalFailure) {
        guard let list = json["r"]?.arrayValue else { throw StateJournalFailure("a streamRecords record for \(arn) has no \"r\" list") }
        if streams[arn] == nil && deleted.contains(arn) { return }
        var model = streams[arn] ?? Model()
        for entry in list {
            guard var record = entry.objectValue, let shard = record["S"]?.stringValue,
                let seq = record["SequenceNumber"]?.stringValue
            else { throw StateJournalFailure("a streamRecords record for \(arn) has an entry without \"S\" (ShardId) or \"SequenceNumber\"") }
            if let last = model.last[shard], !Self.after(seq, last) { continue }
            record["S"] = nil
            model.records[shard, default: []].append(.object(record))
            model.last[shard] = seq
        }
        streams[arn] = model
    }

    /// Drops the checkpoints kept under `mapping` (an API-created mapping deleted: `mapping.delete`).
    mutating func clearCheckpoints(_ arn: String, mapping: String) {
        streams[arn]?.checkpoints[mapping] = nil
    }

    /// A mapping's checkpoint (`mapping.checkpoint`).
    mutating func checkpoint(_ arn: String, _ json: JSONValue) throws(StateJournalFailure) {
        guard let mapping = json["m"]?.stringValue, let shard = json["S"]?.stringValue, let seq = json["q"]?.stringValue else {
            throw StateJournalFailure("a mappingCheckpoint record for \(arn) needs \"m\" (the mapping), \"S\" (ShardId) and \"q\" (SequenceNumber)")
        }
        if streams[arn] == nil && deleted.contains(arn) { return }
        streams[arn, default: Model()].checkpoints[mapping, default: [:]][shard] = seq
    }

    /// Puts the recovered streams into `registry`; returns (streams, records) restored.
    /// - Throws: ``StateJournalFailure`` naming the stream and what does not fit.
    func restore(into registry: StreamRegistry) throws(StateJournalFailure) -> (streams: Int, records: Int) {
        var states: [(arn: String, state: JSONValue)] = []
        var recordCount = 0
        for arn in streams.keys.sorted() {
            guard let model = streams[arn] else { continue }
            var base: JSONObject
            if let b = model.base {
                base = b
            } else if let existing = try? registry.stream(arn), let b = existing.snapshot.journalJSON().objectValue {
                base = b
            } else {
                throw StateJournalFailure("the journal holds records of stream \(arn), which was neither created through the API nor is declared in the rule files; declare it again (Streams in a rule file), or move the data directory aside to start empty")
            }
            var shards: [JSONValue] = []
            var placed = 0
            for shard in base["shards"]?.arrayValue ?? [] {
                guard var s = shard.objectValue, let id = s["ShardId"]?.stringValue else { shards.append(shard); continue }
                if let records = model.records[id] {
                    s["records"] = .array(records)
                    placed += records.count
                }
                shards.append(.object(s))
            }
            let held = model.records.values.reduce(0) { $0 + $1.count }
            if placed != held {
                let missing = model.records.keys.filter { id in !shards.contains { $0["ShardId"]?.stringValue == id } }.sorted()
                throw StateJournalFailure("the journal holds records of stream \(arn) for shards it does not have (\(missing.joined(separator: ", "))); move the data directory aside to start empty")
            }
            recordCount += held
            base["shards"] = .array(shards)
            if !model.checkpoints.isEmpty {
                base["Checkpoints"] = .object(JSONObject(model.checkpoints.sorted { $0.key < $1.key }.map { m in
                    JSONObject.Member(key: m.key, value: .object(JSONObject(m.value.sorted { $0.key < $1.key }.map { JSONObject.Member(key: $0.key, value: .string($0.value)) })))
                }))
            }
            states.append((arn, .object(base)))
        }
        do { try registry.restore(journal: states, deleted: deleted) } catch {
            throw StateJournalFailure("the recovered streams do not fit: \(error.message)")
        }
        return (states.count, recordCount)
    }
}
