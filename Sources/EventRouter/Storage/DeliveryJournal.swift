import Synchronization

/// The journal side of rule deliveries (issue 14 item 3): PutEvents submits `event.accepted`
/// with each accepted (event, rule, target) before it answers; a delivery that settles
/// (succeeded, dead-lettered or dropped) submits `delivery.done`. After a crash, every accepted
/// delivery without its `done` is delivered again (at-least-once, as EventBridge).
///
/// ``pending`` holds the accepted, unsettled deliveries, so a snapshot carries them on.
final class DeliveryJournal: Sendable {
    let journal: any StateJournal
    /// Key (``key(_:)``) → the entry `{"k", "e": event, "b": bus ARN, "r": rule ARN}`.
    let pending = Mutex<[String: JSONValue]>([:])

    init(journal: any StateJournal) { self.journal = journal }

    /// A delivery's identity across restarts: the event id, the rule and the target.
    static func key(eventId: String, ruleArn: String, targetId: String) -> String { "\(eventId)|\(ruleArn)|\(targetId)" }

    /// Records the deliveries of events just accepted; `requests` pairs each with its bus.
    func accepted(_ requests: [(DeliveryRequest, busArn: String)]) -> StateJournalTicket {
        guard !requests.isEmpty else { return .none }
        var entries: [JSONValue] = []
        entries.reserveCapacity(requests.count)
        for (r, busArn) in requests {
            let key = Self.key(eventId: r.event.id, ruleArn: r.ruleArn, targetId: r.targetId)
            entries.append(["k": .string(key), "e": r.event.json, "b": .string(busArn), "r": .string(r.ruleArn)])
        }
        return pending.withLock { p in
            for entry in entries { if let k = entry["k"]?.stringValue { p[k] = entry } }
            return journal.submit([StateRecord(.eventAccepted, ["d": .array(entries)])])
        }
    }

    /// Records that a delivery settled (only one that was journaled as accepted).
    func done(_ r: DeliveryRequest) {
        let key = Self.key(eventId: r.event.id, ruleArn: r.ruleArn, targetId: r.targetId)
        pending.withLock { p in
            guard p.removeValue(forKey: key) != nil else { return }
            _ = journal.submit([StateRecord(.deliveryDone, ["k": .string(key)])])
        }
    }
}
