/// The accepted, unsettled rule deliveries rebuilt at start-up from the snapshot's
/// `"deliveries"` and the `event.accepted` (40), `delivery.attempt` (41) and `delivery.done` (42)
/// records after it, then delivered again (``restore(into:)``): each resumes its retry policy
/// from its retries so far and next-attempt time, with its event's age counted from when
/// PutEvents accepted it.
///
/// Reads the binary payloads (``DeliveryRecordCodec``) and session 6's JSON ones (a payload
/// starting with `{`), so a data directory written then still recovers.
struct DeliveryRecovery: Sendable {
    struct Entry: Sendable {
        var order: Int
        /// The envelope's JSON text.
        var eventText: String
        var busArn: String
        /// Nanoseconds since the epoch; nil in session 6's data (then: the time of the start).
        var acceptedAt: Int64?
        var retries = 0
        var due: Int64?
    }

    private(set) var pending: [DeliveryKey: Entry] = [:]
    private var nextOrder = 0

    var count: Int { pending.count }

    /// The event text of the pending delivery `key` (a `message.put.event` record's body).
    func eventText(_ key: DeliveryKey) -> String? { pending[key]?.eventText }

    /// Settles the deliveries `keys` (their messages' `message.put.event` record: no `delivery.done` follows).
    mutating func settle(_ keys: [DeliveryKey]) {
        for key in keys { pending[key] = nil }
    }

    private mutating func add(_ key: DeliveryKey, _ entry: Entry) {
        var entry = entry
        entry.order = nextOrder
        nextOrder += 1
        pending[key] = entry
    }

    /// Takes the snapshot's `"deliveries"` list (``DeliveryJournal/snapshotJSON()``).
    mutating func applySnapshotSection(_ json: JSONValue?) throws(StateJournalFailure) {
        for (i, entry) in (json?.arrayValue ?? []).enumerated() {
            try addJSON(entry, at: "pending delivery \(i) of the snapshot")
        }
    }

    /// A session-6 style entry `{"k", "e", "b", "r"}`, with this session's optional `"t"`, `"a"`, `"n"`, `"d"`.
    private mutating func addJSON(_ entry: JSONValue, at place: String) throws(StateJournalFailure) {
        guard let text = entry["k"]?.stringValue, let key = DeliveryKey(text: text) else {
            throw StateJournalFailure("\(place) has no key \"k\" of the form eventId|ruleArn|targetId")
        }
        guard let event = entry["e"], case .object = event, let bus = entry["b"]?.stringValue else {
            throw StateJournalFailure("\(place) (\(text)) has no event envelope \"e\" or bus \"b\"")
        }
        func number(_ name: String) throws(StateJournalFailure) -> Int64? {
            guard let value = entry[name] else { return nil }
            guard let s = value.stringValue, let n = Int64(s) else {
                throw StateJournalFailure("\(place) (\(text)) has \"\(name)\": \(value.jsonText), not a whole number in a string")
            }
            return n
        }
        let retries = try number("n") ?? 0
        guard (0...Int64(Int32.max)).contains(retries) else { throw StateJournalFailure("\(place) (\(text)) has \"n\": \(retries) retries, out of range") }
        let acceptedAt = try number("a"), due = try number("d")
        add(key, Entry(order: 0, eventText: event.jsonText, busArn: bus, acceptedAt: acceptedAt, retries: Int(retries), due: due))
    }

    /// Applies a delivery record; false for other types.
    mutating func apply(_ type: StateRecordType, _ payload: [UInt8]) throws(StateJournalFailure) -> Bool {
        switch type {
        case .eventAccepted, .deliveryAttempt, .deliveryDone: break
        default: return false
        }
        if payload.first == UInt8(ascii: "{") {
            try applyJSON(type, payload)
            return true
        }
        switch type {
        case .eventAccepted:
            let record = try DeliveryRecordCodec.decodeAccepted(payload)
            for d in record.deliveries {
                let event = record.events[d.event]
                add(DeliveryKey(eventId: event.id, ruleArn: d.ruleArn, targetId: d.targetId),
                    Entry(order: 0, eventText: event.text, busArn: event.busArn, acceptedAt: record.acceptedAt))
            }
        case .deliveryAttempt:
            for a in try DeliveryRecordCodec.decodeAttempts(payload) {
                pending[a.key]?.retries = a.retries
                pending[a.key]?.due = a.due
            }
        default:
            for key in try DeliveryRecordCodec.decodeDone(payload) { pending[key] = nil }
        }
        return true
    }

    /// Session 6's JSON payloads: `{"d": [{"k", "e", "b", "r"}]}` and `{"k"}`.
    private mutating func applyJSON(_ type: StateRecordType, _ payload: [UInt8]) throws(StateJournalFailure) {
        let json: JSONValue
        do { json = try JSONParser.parse(bytes: payload) } catch {
            throw StateJournalFailure("a \(type) record is not valid JSON: \(error)")
        }
        switch type {
        case .eventAccepted:
            for (i, entry) in (json["d"]?.arrayValue ?? []).enumerated() { try addJSON(entry, at: "entry \(i) of a \(type) record") }
        case .deliveryDone:
            guard let text = json["k"]?.stringValue, let key = DeliveryKey(text: text) else {
                throw StateJournalFailure("a \(type) record has no key \"k\" of the form eventId|ruleArn|targetId")
            }
            pending[key] = nil
        default:
            throw StateJournalFailure("a \(type) record is JSON; this kind is only written in binary (DeliveryRecordCodec)")
        }
    }

    /// Attaches `journal` to `runtime` with the recovered pending deliveries, then delivers each
    /// again: one put per (event, bus) limited to the rules with unsettled deliveries
    /// (at-least-once: a target of the same rule already served is served again).
    /// - Returns: the deliveries that could not be delivered again, each saying why, and the
    ///   number that resume their retries.
    func restore(into runtime: RouterRuntime, attaching journal: any StateJournal) -> (notRedelivered: [String], resumed: Int) {
        let router = runtime.router
        let ordered = pending.sorted { $0.value.order < $1.value.order }
        var failures: [String] = []
        var events: [String: Event] = [:]
        var journalPending: [(DeliveryKey, DeliveryJournal.Pending)] = []
        var groups: [(event: Event, bus: String, acceptedAt: Timestamp, rules: Set<String>)] = []
        var index: [String: Int] = [:]
        var resume: [DeliveryKey: (retries: Int, due: Timestamp)] = [:]
        let now = router.clock.now
        for (key, entry) in ordered {
            let groupKey = key.eventId + "|" + entry.busArn
            let event: Event
            if let known = events[groupKey] { event = known } else {
                do {
                    let json = try JSONParser.parse(entry.eventText)
                    event = try Event(envelope: json, defaults: router.defaults, now: now, random: router.random)
                } catch {
                    failures.append("event \(key.eventId) on \(entry.busArn): \(error)")
                    continue
                }
                events[groupKey] = event
            }
            let acceptedAt = entry.acceptedAt.map { Timestamp(nanosecondsSinceEpoch: $0) } ?? now
            journalPending.append((key, DeliveryJournal.Pending(event: event, busArn: entry.busArn, acceptedAt: acceptedAt.nanosecondsSinceEpoch,
                                                                retries: entry.retries, due: entry.due)))
            if let due = entry.due, entry.retries > 0 { resume[key] = (entry.retries, Timestamp(nanosecondsSinceEpoch: due)) }
            if let i = index[groupKey] { groups[i].rules.insert(key.ruleArn) } else {
                index[groupKey] = groups.count
                groups.append((event, entry.busArn, acceptedAt, [key.ruleArn]))
            }
        }
        runtime.attachJournal(journal, pendingDeliveries: journalPending)
        for group in groups {
            do { try router.redeliver(group.event, onBus: group.bus, rules: group.rules, acceptedAt: group.acceptedAt, resume: resume) } catch {
                failures.append("event \(group.event.id) on \(group.bus): \(error)")
            }
        }
        return (failures, resume.count)
    }
}
