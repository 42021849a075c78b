import Synchronization

/// What recovery hands a topic (``Topic/handOver(_:)``): its FIFO deduplication window and
/// sequence, and the deliveries that were retrying (or waiting behind a retrying message of
/// their FIFO group) when the process ended.
struct TopicRestoreState: Sendable {
    var lastSequence: UInt64 = 0
    var deduplication: [(expires: Timestamp, id: String, result: PublishResult)] = []
    /// Deliveries with their next attempt time (the stored one, on the real clock).
    var scheduled: [(delivery: PendingDelivery, due: Timestamp)] = []
    /// FIFO deliveries waiting behind their group's message in progress, in order.
    var waiting: [PendingDelivery] = []
}

/// The journal side of a topic's deliveries and FIFO window (records 25–27): a delivery is
/// journaled with its attempt count and next attempt time each time a retry is scheduled (or it
/// starts waiting behind its FIFO group), and once more when it settles (delivered,
/// dead-lettered, dropped); an accepted FIFO publish journals its deduplication entry.
extension Topic {
    /// A delivery's identity across restarts.
    static func journalKey(_ d: PendingDelivery) -> String { d.messageId + "|" + d.subscription.arn }

    /// `topic.deliveryPut`: the delivery, due at `due` (`nil`: waiting behind its FIFO group).
    func journalScheduled(_ d: PendingDelivery, at due: Timestamp?) {
        let arn = self.arn
        journal.submit(.topicDeliveryPut) {
            var o = JSONObject()
            o["arn"] = .string(arn)
            o["k"] = .string(Self.journalKey(d))
            o["s"] = .string(d.subscription.arn)
            o["m"] = .string(d.messageId)
            o["b"] = .string(d.body)
            if !d.attributes.isEmpty { o["a"] = Self.attributesJSON(d.attributes) }
            if let g = d.groupId { o["g"] = .string(g) }
            if let i = d.dedupId { o["d"] = .string(i) }
            o["n"] = .string(String(d.machine.attempts))
            if let due { o["at"] = .string(String(due.millisecondsSinceEpoch)) }
            if let l = d.lane { o["l"] = .string(l) }
            return .object(o)
        }
    }

    /// `topic.deliveryDone` for a delivery that was journaled.
    func journalSettled(_ d: PendingDelivery) {
        guard journal.isAttached else { return }  // no key to build without a data directory
        journalSettled(key: Self.journalKey(d))
    }

    /// `topic.deliveryDone` for the delivery whose ``journalKey(_:)`` is `key`, if it was journaled.
    func journalSettled(key: String) {
        let arn = self.arn
        journal.submit(.topicDeliveryDone, when: { $0.isPending(key) }) { ["arn": .string(arn), "k": .string(key)] }
    }

    /// `topic.deduplication`: an accepted FIFO publish's deduplication entry and sequence.
    func journalDeduplication(_ id: String, _ result: PublishResult, expires: Timestamp) {
        let arn = self.arn, sequence = self.sequence
        journal.submit(.topicDeduplication) {
            var e = JSONObject()
            e["MessageDeduplicationId"] = .string(id)
            e["MessageId"] = .string(result.messageId)
            if let s = result.sequenceNumber { e["SequenceNumber"] = .string(s) }
            e["ExpiresTimestamp"] = .string(String(expires.millisecondsSinceEpoch))
            return ["arn": .string(arn), "d": .object(e), "n": .string(String(sequence))]
        }
        if sequence % 1024 == 0 { journal.expireDeduplication(arn, nowMs: clock.now.millisecondsSinceEpoch) }
    }

    static func attributesJSON(_ attributes: [String: MessageAttributeValue]) -> JSONValue {
        var o = JSONObject()
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
            var v = JSONObject()
            v["DataType"] = .string(value.dataType)
            if let s = value.stringValue { v["StringValue"] = .string(s) }
            if let b = value.binaryValue { v["BinaryValue"] = .string(Base64.encode(b)) }
            o[name] = .object(v)
        }
        return .object(o)
    }

    /// Gives the topic what recovery rebuilt (before it serves); the actor takes it at its next
    /// publish or retry run. The retry status is set at once, so the time driver sees the retries.
    nonisolated func handOver(_ restored: TopicRestoreState) {
        // A waiting delivery whose group has no retry scheduled is due now (``adoptRecovered()``).
        let heads = Set(restored.scheduled.compactMap(\.delivery.lane))
        let orphaned = restored.waiting.contains { $0.lane.map { !heads.contains($0) } ?? false }
        let dues = restored.scheduled.map(\.due) + (orphaned ? [clock.now] : [])
        let pending = restored.scheduled.count + restored.waiting.count
        recovered.withLock { $0 = restored }
        hasRecovered.store(true, ordering: .releasing)
        retryStatus.set(TimedStatus(pending: pending, nextDeadline: dues.min()))
    }

    /// Takes what ``handOver(_:)`` gave, once (cheap when there is nothing).
    func adoptRecovered() {
        guard hasRecovered.load(ordering: .acquiring), let r = recovered.withLock({ s -> TopicRestoreState? in
            defer { s = nil }
            return s
        }) else { return }
        hasRecovered.store(false, ordering: .releasing)
        sequence = max(sequence, r.lastSequence)
        for (expires, id, result) in r.deduplication where dedup[id] == nil {
            dedup[id] = result
            dedupExpiry.append((expires, id))
        }
        dedupExpiry = Array(dedupExpiry[dedupHead...].sorted { $0.0 < $1.0 })
        dedupHead = 0
        var heads: Set<String> = []
        for (d, due) in r.scheduled {
            scheduleCounter += 1
            scheduled.push(at: due, sequence: scheduleCounter, ScheduledDelivery(due: due, order: scheduleCounter, delivery: d))
            if let lane = d.lane {
                heads.insert(lane)
                if lanes[lane] == nil { lanes[lane] = [] }
            }
        }
        for d in r.waiting {
            guard let lane = d.lane else { continue }
            if heads.contains(lane) {
                lanes[lane, default: []].append(d)
            } else {
                // Its group's message in progress had settled: this one is next.
                heads.insert(lane)
                lanes[lane] = []
                scheduleCounter += 1
                scheduled.push(at: clock.now, sequence: scheduleCounter, ScheduledDelivery(due: clock.now, order: scheduleCounter, delivery: d))
            }
        }
        retryStatus.set(retryStatusNow)
    }
}
