/// The archives part of ``StateRecovery``: rebuilds each archive from its last `archive.put`
/// (or the snapshot's `"archives"` section) and the `archive.events` after it, skipping events
/// the snapshot already holds (by the archive's sequence numbers: a snapshot captured just after
/// its roll), and each replay from its last `replay.put`.
///
/// The snapshot section: `{"archives": {ARN: {"put"?: archive.put payload, "q": last sequence,
/// "e": [[sequence, receivedAt ns, size, event]]}}, "replays": [replay]}`.
struct ArchiveRecovery: Sendable {
    struct Model: Sendable {
        /// The last `archive.put` payload; nil for an archive of a rule file never changed through the API.
        var put: JSONValue?
        /// Events by receipt, as recorded.
        var events: [ArchivedEvent] = []
        /// Events up to this sequence number are held already (the snapshot's).
        var floor: UInt64 = 0
    }

    private(set) var archives: [String: Model] = [:]
    private(set) var replays: [String: ReplayRecord] = [:]
    /// Events recovered.
    private(set) var eventCount = 0

    /// Takes the snapshot's `"archives"` section.
    mutating func applySnapshotSection(_ section: JSONValue?) throws(StateJournalFailure) {
        guard let section else { return }
        for member in section["archives"]?.objectValue?.members ?? [] {
            let at = "the snapshot's archives[\"\(member.key)\"]"
            var model = Model(put: member.value["put"])
            model.events = try Self.events(member.value["e"], at: at)
            model.floor = UInt64(max(0, Self.exactInteger(member.value["q"]) ?? 0))
            archives[member.key] = model
        }
        for (i, replay) in (section["replays"]?.arrayValue ?? []).enumerated() {
            let record = try ReplayRecord(journalJSON: replay, at: "the snapshot's archives.replays[\(i)]")
            replays[record.arn] = record
        }
    }

    /// Applies one `archive.*` or `replay.put` record.
    mutating func apply(_ type: StateRecordType, _ json: JSONValue, arn: String) throws(StateJournalFailure) {
        let at = "a \(type) record for \(arn)"
        switch type {
        case .archivePut:
            guard json["a"]?.objectValue != nil else { throw StateJournalFailure("\(at) has no archive definition \"a\"") }
            if json["new"]?.boolValue == true || archives[arn] == nil {
                archives[arn] = Model(put: json)
            } else {
                archives[arn]?.put = json
            }
        case .archiveDelete:
            archives[arn] = nil
        case .archiveEvents:
            let events = try Self.events(json["e"], at: at)
            var model = archives[arn] ?? Model()
            for event in events where event.sequence > model.floor {
                model.events.append(event)
                eventCount += 1
            }
            archives[arn] = model
        case .replayPut:
            guard let r = json["r"] else { throw StateJournalFailure("\(at) has no replay \"r\"") }
            replays[arn] = try ReplayRecord(journalJSON: r, at: at)
        default:
            break
        }
    }

    /// A whole number read from its text (nanoseconds since the epoch need all 64 bits, more than a `Double` holds).
    static func exactInteger(_ value: JSONValue?) -> Int64? {
        guard case .number(let n)? = value else { return nil }
        return Int64(n.text)
    }

    /// Reads `[[sequence, receivedAt ns, size, event]]`.
    private static func events(_ value: JSONValue?, at: String) throws(StateJournalFailure) -> [ArchivedEvent] {
        guard let list = value?.arrayValue else { throw StateJournalFailure("\(at) has no event list \"e\"") }
        var events: [ArchivedEvent] = []
        events.reserveCapacity(list.count)
        for (i, entry) in list.enumerated() {
            guard let fields = entry.arrayValue, fields.count == 4, let seq = exactInteger(fields[0]), seq > 0, let ns = exactInteger(fields[1]),
                  let size = fields[2].intValue, size >= 0, fields[3].objectValue != nil
            else {
                throw StateJournalFailure("\(at): event \(i) is not [sequence (from 1), receivedAt (ns since the epoch), size in bytes, event object]: \(entry.jsonText.prefix(120))")
            }
            events.append(ArchivedEvent(json: fields[3], receivedAt: Timestamp(nanosecondsSinceEpoch: ns), sizeBytes: size, sequence: UInt64(seq)))
        }
        return events
    }

    /// Puts the recovered archives and their events into `registry` (before a journal is attached).
    /// - Returns: the archives and events restored.
    /// - Throws: ``StateJournalFailure`` naming the archive and what does not fit.
    func restore(into registry: ArchiveRegistry) throws(StateJournalFailure) -> (archives: Int, events: Int) {
        var events = 0
        for arn in archives.keys.sorted() {
            guard let model = archives[arn] else { continue }
            let store: ArchiveStore
            if let put = model.put {
                let at = "the archive.put record for \(arn)"
                var problems: [ValidationProblem] = []
                guard let a = put["a"], var definition = ArchiveDefinition.parse(a, problems: &problems) else {
                    let reason = problems.map { "\($0.path): \($0.message)" }.joined(separator: "; ")
                    throw StateJournalFailure("\(at) has a definition that does not read: \(reason)")
                }
                guard definition.arn == arn else { throw StateJournalFailure("\(at) defines \(definition.arn), another archive") }
                if a["EventPattern"] == nil, put["api"]?.boolValue != true, let file = registry.archive(arn: arn) {
                    definition.pattern = file.definition.pattern  // UpdateArchive without a pattern kept the file's
                }
                func time(_ key: String) -> Timestamp? { Self.exactInteger(put[key]).map { Timestamp(nanosecondsSinceEpoch: $0) } }
                var info: ArchiveRegistry.Info?
                if let c = time("c"), let m = time("m") {
                    info = ArchiveRegistry.Info(patternText: a["EventPattern"]?.stringValue, created: c, modified: m,
                                                createdThroughAPI: put["api"]?.boolValue ?? false)
                }
                store = registry.add(definition, info: info)
            } else if let file = registry.archive(arn: arn) {
                store = file
            } else {
                throw StateJournalFailure("the journal holds events of archive \(arn), which was neither created through the API nor is declared in the rule files; declare it again (Archives in a rule file), or move the data directory aside to start empty")
            }
            let sorted = model.events.enumerated().sorted { ($0.element.receivedAt, $0.offset) < ($1.element.receivedAt, $1.offset) }.map(\.element)
            store.adopt(sorted, lastSequence: max(model.floor, model.events.map(\.sequence).max() ?? 0))
            events += store.eventCount
        }
        return (archives.count, events)
    }
}

extension RouterRuntime {
    /// The snapshot's `"archives"` section (``ArchiveRecovery``).
    func archivesJournalJSON() -> JSONValue {
        var archives = JSONObject()
        for store in router.archives.all {
            let held = store.held
            var entry = JSONObject()
            if let info = router.archives.info(arn: store.arn),
               let put = try? JSONParser.parse(bytes: ArchiveJournalBatch.putRecord(store.definition, info: info, new: false).payload) {
                entry["put"] = put
            }
            entry["q"] = .number(JSONNumber(Int(held.lastSequence)))
            entry["e"] = .array(held.events.map { e in
                [.number(JSONNumber(Int(e.sequence))), .number(JSONNumber(Int(e.receivedAt.nanosecondsSinceEpoch))),
                 .number(JSONNumber(e.sizeBytes)), e.json]
            })
            archives[store.arn] = .object(entry)
        }
        let replays = archiveReplays.started.all.map(\.journalJSON)
        return ["archives": .object(archives), "replays": .array(replays)]
    }
}
