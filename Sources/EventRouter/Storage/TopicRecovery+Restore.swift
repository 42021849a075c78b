/// Puts the recovered topics into a registry before it serves (before a journal is attached).
extension TopicRecovery {
    /// What ``restore(into:)`` put back, for the start line.
    struct Restored: Sendable {
        var topics = 0
        var subscriptions = 0
        var retries = 0
        /// What was not put back, each saying why.
        var notRestored: [String] = []
        /// The model without what was not put back: the live model the journal goes on with.
        var model = TopicRecovery()
    }

    /// Creates the topics created through the API (a topic the rule files now declare comes from
    /// the files), restores tags, adds the API's subscriptions with their ARNs and confirmation
    /// state (keyed by subscription ARN, `TOPIC_ARN:UUID`: a rule-file topic keeps its ARN, so its
    /// API subscriptions find it), and hands each topic its FIFO window and its retrying deliveries.
    /// - Throws: ``StateJournalFailure`` naming the topic, subscription or delivery that does not fit.
    func restore(into registry: TopicRegistry) throws(StateJournalFailure) -> Restored {
        var out = Restored()
        var model = self
        for (arn, value) in topics.sorted(by: { $0.value.order < $1.value.order }) {
            if registry.topic(arn: arn) != nil { continue }  // declared in the rule files now: the files' settings
            var configuration = try TopicConfiguration(journalJSON: value.entry, arn: arn)
            configuration.subscriptions = []
            do { try registry.createTopic(configuration) } catch { throw StateJournalFailure("the recovered topic \(arn) does not fit: \(error.message)") }
            out.topics += 1
        }
        for (arn, value) in tags {
            guard registry.topic(arn: arn) != nil, let object = value.objectValue else { model.tags[arn] = nil; continue }
            registry.tags.restore(arn, Dictionary(object.members.compactMap { m in m.value.stringValue.map { (m.key, $0) } }, uniquingKeysWith: { $1 }))
        }
        for (arn, value) in subscriptions.sorted(by: { $0.value.order < $1.value.order }) {
            guard let topic = registry.topic(arn: value.topic) else {
                out.notRestored.append("subscription \(arn): its topic is neither created through the API nor declared in the rule files")
                model.subscriptions[arn] = nil
                continue
            }
            if topic.subscription(arn: arn) != nil {
                model.subscriptions[arn] = nil  // the rule files' own subscription
                continue
            }
            let sub = try SubscriptionConfiguration(journalJSON: value.entry, arn: arn)
            do {
                let (kept, added) = try topic.subscribe(sub)
                if !added {
                    out.notRestored.append("subscription \(arn): the rule files subscribe the same endpoint (\(kept.arn))")
                    model.subscriptions[arn] = nil
                    continue
                }
            } catch {
                out.notRestored.append("subscription \(arn): \(error.message)")
                model.subscriptions[arn] = nil
                continue
            }
            out.subscriptions += 1
        }
        var states: [String: TopicRestoreState] = [:]
        for (arn, d) in deduplication {
            guard registry.topic(arn: arn) != nil else { model.deduplication[arn] = nil; continue }
            var state = TopicRestoreState(lastSequence: d.last)
            for entry in d.entries.values {
                guard let id = entry["MessageDeduplicationId"]?.stringValue, let messageId = entry["MessageId"]?.stringValue else { continue }
                state.deduplication.append((try Self.timestamp(entry["ExpiresTimestamp"], "the deduplication entry \(id) of \(arn)"), id,
                                            PublishResult(messageId: messageId, sequenceNumber: entry["SequenceNumber"]?.stringValue)))
            }
            states[arn] = state
        }
        for (key, value) in deliveries.sorted(by: { $0.value.order < $1.value.order }) {
            let entry = value.entry
            guard let topic = registry.topic(arn: value.topic), let subArn = entry["s"]?.stringValue, let sub = topic.subscription(arn: subArn) else {
                out.notRestored.append("a delivery of message \(entry["m"]?.stringValue ?? "?"): its subscription \(entry["s"]?.stringValue ?? "?") is gone")
                model.deliveries[key] = nil
                continue
            }
            let attempts = entry["n"]?.stringValue.flatMap { Int($0) } ?? 0
            let policy = sub.retryPolicy ?? (sub.endpointProtocol.isHTTP ? .httpDefault : registry.retryPolicy)
            let delivery = PendingDelivery(
                subscription: sub, messageId: entry["m"]?.stringValue ?? "", body: entry["b"]?.stringValue ?? "",
                attributes: try Self.attributes(entry["a"], key), groupId: entry["g"]?.stringValue, dedupId: entry["d"]?.stringValue,
                machine: DeliveryRetryStateMachine(policy: policy, attempts: attempts), lane: entry["l"]?.stringValue)
            if let at = entry["at"] {
                states[value.topic, default: TopicRestoreState()].scheduled.append((delivery, try Self.timestamp(at, "the delivery \(key)")))
            } else {
                states[value.topic, default: TopicRestoreState()].waiting.append(delivery)
            }
            out.retries += 1
        }
        for (arn, state) in states { registry.topic(arn: arn)?.handOver(state) }
        out.model = model
        return out
    }

    /// Milliseconds since the epoch in a decimal string, checked.
    static func timestamp(_ value: JSONValue?, _ what: String) throws(StateJournalFailure) -> Timestamp {
        guard let ms = value?.stringValue.flatMap({ Int64($0) }), case let (ns, overflow) = ms.multipliedReportingOverflow(by: 1_000_000), !overflow else {
            throw StateJournalFailure("\(what) has a time that is not milliseconds since the epoch in a decimal string: \(value?.jsonText ?? "none")")
        }
        return Timestamp(nanosecondsSinceEpoch: ns)
    }

    static func attributes(_ value: JSONValue?, _ key: String) throws(StateJournalFailure) -> [String: MessageAttributeValue] {
        var out: [String: MessageAttributeValue] = [:]
        for member in value?.objectValue?.members ?? [] {
            guard let type = member.value["DataType"]?.stringValue else {
                throw StateJournalFailure("the delivery \(key) has a message attribute \(member.key) without a DataType")
            }
            var binary: [UInt8]?
            if let b = member.value["BinaryValue"]?.stringValue {
                guard let bytes = Base64.decode(b) else { throw StateJournalFailure("the delivery \(key) has a message attribute \(member.key) whose BinaryValue is not base64") }
                binary = bytes
            }
            out[member.key] = MessageAttributeValue(dataType: type, stringValue: member.value["StringValue"]?.stringValue, binaryValue: binary)
        }
        return out
    }
}
