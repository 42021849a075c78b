/// The topics part of ``StateRecovery`` (docs/durability.md, "Topics and subscriptions"):
/// topics created through the API, subscriptions added through the API (to any topic, a topic
/// of the rule files included), tags, FIFO deduplication windows and deliveries still retrying.
///
/// The same model runs live in ``TopicJournal`` (every record submitted is applied to it), so a
/// snapshot's `"topics"` section is ``snapshotJSON(now:)`` of the live model. Records hold whole
/// states (a topic's attributes, a subscription, a delivery with its attempt count and next
/// attempt time), so applying one the snapshot already holds changes nothing.
public struct TopicRecovery: Sendable {
    /// Topic ARN → `{"TopicName", "Account", "Region", "FifoTopic", "ContentBasedDeduplication",
    /// "Attributes"}` (``TopicConfiguration/journalJSON``), topics created through the API only.
    var topics: [String: (order: Int, entry: JSONValue)] = [:]
    /// Subscription ARN → its topic and ``SubscriptionConfiguration/journalJSON``.
    var subscriptions: [String: (order: Int, topic: String, entry: JSONValue)] = [:]
    /// Topic ARN → tags (any topic's, the rule files' too).
    var tags: [String: JSONValue] = [:]
    /// Delivery key (`MessageId|SubscriptionArn`) → the delivery (``Topic/journalEntry``).
    var deliveries: [String: (order: Int, topic: String, entry: JSONValue)] = [:]
    /// Topic ARN → the last FIFO sequence and the deduplication entries by id.
    var deduplication: [String: (last: UInt64, entries: [String: JSONValue])] = [:]
    private var nextOrder = 0

    public init() {}

    private mutating func order() -> Int {
        defer { nextOrder += 1 }
        return nextOrder
    }

    /// Whether the topic `arn` was created through the API (and not deleted since).
    func isAPITopic(_ arn: String) -> Bool { topics[arn] != nil }
    /// Whether the subscription `arn` was added through the API (and not removed since).
    func isAPISubscription(_ arn: String) -> Bool { subscriptions[arn] != nil }
    /// Whether the delivery `key` is journaled and not settled.
    func isPending(_ key: String) -> Bool { deliveries[key] != nil }

    /// Applies one record of types 20–27.
    /// - Throws: ``StateJournalFailure`` naming the record type and what is wrong.
    mutating func apply(_ type: StateRecordType, _ json: JSONValue) throws(StateJournalFailure) {
        guard let arn = json["arn"]?.stringValue else { throw StateJournalFailure("a \(type) record has no \"arn\"") }
        func field(_ key: String, _ what: String) throws(StateJournalFailure) -> JSONValue {
            guard let value = json[key] else { throw StateJournalFailure("a \(type) record for \(arn) has no \(what) \"\(key)\"") }
            return value
        }
        switch type {
        case .topicPut:
            let entry = try field("t", "topic")
            guard entry["TopicName"]?.stringValue != nil else {
                throw StateJournalFailure("a \(type) record for \(arn) has a topic \"t\" without a TopicName string")
            }
            topics[arn] = (topics[arn]?.order ?? order(), entry)
        case .topicDelete:
            topics[arn] = nil
            tags[arn] = nil
            deduplication[arn] = nil
            let prefix = arn + ":"
            subscriptions = subscriptions.filter { !$0.key.hasPrefix(prefix) }
            deliveries = deliveries.filter { $0.value.topic != arn }
        case .subscriptionPut:
            let entry = try field("s", "subscription")
            guard let topic = json["topic"]?.stringValue, arn.hasPrefix(topic + ":") else {
                throw StateJournalFailure("a \(type) record for \(arn) has no \"topic\" string that its ARN starts with")
            }
            subscriptions[arn] = (subscriptions[arn]?.order ?? order(), topic, entry)
        case .subscriptionDelete:
            subscriptions[arn] = nil
            deliveries = deliveries.filter { $0.value.entry["s"]?.stringValue != arn }
        case .topicTags:
            let value = try field("tags", "tags object")
            guard let object = value.objectValue else { throw StateJournalFailure("a \(type) record for \(arn) has \"tags\" that is not an object (a JSON \(value.kindName))") }
            tags[arn] = object.isEmpty ? nil : value
        case .topicDeliveryPut:
            guard let key = json["k"]?.stringValue, json["s"]?.stringValue != nil, json["m"]?.stringValue != nil, json["b"]?.stringValue != nil else {
                throw StateJournalFailure("a \(type) record for \(arn) needs the strings \"k\" (key), \"s\" (SubscriptionArn), \"m\" (MessageId) and \"b\" (body)")
            }
            deliveries[key] = (deliveries[key]?.order ?? order(), arn, json)
        case .topicDeliveryDone:
            let key = try field("k", "delivery key")
            deliveries[key.stringValue ?? ""] = nil
        case .topicDeduplication:
            let entry = try field("d", "deduplication entry")
            guard let id = entry["MessageDeduplicationId"]?.stringValue, let n = json["n"]?.stringValue.flatMap({ UInt64($0) }) else {
                throw StateJournalFailure("a \(type) record for \(arn) needs \"d\" with a MessageDeduplicationId and \"n\" (the sequence, a decimal string)")
            }
            var d = deduplication[arn] ?? (0, [:])
            d.last = max(d.last, n)
            d.entries[id] = entry
            deduplication[arn] = d
        default:
            throw StateJournalFailure("a \(type) record is not a topics record")
        }
    }

    /// Drops the deduplication entries of `arn` that expired before `nowMs`.
    mutating func expireDeduplication(_ arn: String, nowMs: Int64) {
        guard let d = deduplication[arn] else { return }
        deduplication[arn] = (d.last, d.entries.filter { Self.expires($0.value) > nowMs })
    }

    static func expires(_ entry: JSONValue) -> Int64 { entry["ExpiresTimestamp"]?.stringValue.flatMap { Int64($0) } ?? 0 }

    /// The snapshot's `"topics"` section: `{"topics": {ARN: entry}, "subscriptions": [{"arn",
    /// "topic", "s"}], "tags": {ARN: tags}, "deliveries": [record], "deduplication": {ARN:
    /// {"LastSequenceNumber", "Deduplication": […]}}}`, in order; expired deduplication entries left out.
    func snapshotJSON(nowMs: Int64) -> JSONValue {
        var o = JSONObject()
        o["topics"] = .object(JSONObject(topics.sorted { $0.value.order < $1.value.order }.map { JSONObject.Member(key: $0.key, value: $0.value.entry) }))
        o["subscriptions"] = .array(subscriptions.sorted { $0.value.order < $1.value.order }.map { s in
            ["arn": .string(s.key), "topic": .string(s.value.topic), "s": s.value.entry]
        })
        o["tags"] = .object(JSONObject(tags.sorted { $0.key < $1.key }.map { JSONObject.Member(key: $0.key, value: $0.value) }))
        o["deliveries"] = .array(deliveries.values.sorted { $0.order < $1.order }.map(\.entry))
        o["deduplication"] = .object(JSONObject(deduplication.sorted { $0.key < $1.key }.map { d in
            let live = d.value.entries.values.filter { Self.expires($0) > nowMs }.sorted { Self.expires($0) < Self.expires($1) }
            return JSONObject.Member(key: d.key, value: ["LastSequenceNumber": .string(String(d.value.last)), "Deduplication": .array(live)])
        }))
        return .object(o)
    }

    /// Takes the snapshot's `"topics"` section (``snapshotJSON(nowMs:)``).
    /// - Throws: ``StateJournalFailure`` naming the entry and what is wrong.
    mutating func applySnapshotSection(_ json: JSONValue) throws(StateJournalFailure) {
        for member in json["topics"]?.objectValue?.members ?? [] {
            try apply(.topicPut, ["arn": .string(member.key), "t": member.value])
        }
        for entry in json["subscriptions"]?.arrayValue ?? [] { try apply(.subscriptionPut, entry) }
        for member in json["tags"]?.objectValue?.members ?? [] {
            try apply(.topicTags, ["arn": .string(member.key), "tags": member.value])
        }
        for entry in json["deliveries"]?.arrayValue ?? [] { try apply(.topicDeliveryPut, entry) }
        for member in json["deduplication"]?.objectValue?.members ?? [] {
            guard let last = member.value["LastSequenceNumber"]?.stringValue.flatMap({ UInt64($0) }) else {
                throw StateJournalFailure("the snapshot's topics.deduplication[\"\(member.key)\"] has no LastSequenceNumber (a decimal string)")
            }
            var d = deduplication[member.key] ?? (0, [:])
            d.last = max(d.last, last)
            for entry in member.value["Deduplication"]?.arrayValue ?? [] {
                guard let id = entry["MessageDeduplicationId"]?.stringValue else {
                    throw StateJournalFailure("an entry of the snapshot's topics.deduplication[\"\(member.key)\"] has no MessageDeduplicationId")
                }
                d.entries[id] = entry
            }
            deduplication[member.key] = d
        }
    }
}
