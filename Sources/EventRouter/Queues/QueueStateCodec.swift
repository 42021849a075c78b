/// Converts queues and messages to and from the `"queues"` part of the state JSON:
/// `{ARN: {"messages": [{"MessageId", "Body", "MessageAttributes", "Attributes"}], "Attributes": {…}}}`.
///
/// A message's `Attributes` holds SQS's system attributes (`SentTimestamp`,
/// `ApproximateReceiveCount`, …, all strings) plus what a later `eventrouter queue` call needs
/// to continue: `VisibilityState` (`InFlight` | `Delayed`; absent = visible),
/// `VisibleTimestamp`, `ReceiveTimestamp`, `ReceiptHandle` (the current one) and
/// `EnqueueTimestamp` (when it differs from `SentTimestamp`, after a dead-letter move).
/// The queue's `Attributes` holds its configuration under SQS's names, the approximate counts
/// and `SnapshotTimestamp` (the clock when the state was written).
enum QueueStateCodec {
    static func ms(_ t: Timestamp) -> JSONValue { .string(String(t.millisecondsSinceEpoch)) }

    static func encode(_ m: QueueMessage, handle: String?) -> JSONValue {
        var attrs = JSONObject()
        for (k, v) in m.systemAttributes.sorted(by: { $0.key < $1.key }) where k != "SenderId" { attrs[k] = .string(v) }
        if m.enqueuedAt != m.sentTimestamp { attrs["EnqueueTimestamp"] = ms(m.enqueuedAt) }
        switch m.state {
        case .visible: break
        case .inFlight: attrs["VisibilityState"] = "InFlight"
        case .delayed: attrs["VisibilityState"] = "Delayed"
        }
        if m.state != .visible { attrs["VisibleTimestamp"] = ms(m.visibleAt) }
        if let r = m.receivedAt { attrs["ReceiveTimestamp"] = ms(r) }
        if let handle { attrs["ReceiptHandle"] = .string(handle) }
        var messageAttributes = JSONObject()
        for (name, value) in m.attributes.sorted(by: { $0.key < $1.key }) {
            var v = JSONObject()
            v["DataType"] = .string(value.dataType)
            if let s = value.stringValue { v["StringValue"] = .string(s) }
            if let b = value.binaryValue { v["BinaryValue"] = .string(Base64.encode(b)) }
            messageAttributes[name] = .object(v)
        }
        var o = JSONObject()
        o["MessageId"] = .string(m.messageId)
        o["Body"] = .string(m.body)
        o["MessageAttributes"] = .object(messageAttributes)
        o["Attributes"] = .object(attrs)
        return .object(o)
    }

    static func encode(configuration c: QueueConfiguration, statistics: QueueStatistics, now: Timestamp) -> JSONValue {
        var a = JSONObject()
        for (name, value) in c.sqsAttributes { a[name] = .string(value) }
        a["ApproximateNumberOfMessages"] = .string(String(statistics.visible))
        a["ApproximateNumberOfMessagesNotVisible"] = .string(String(statistics.notVisible))
        a["ApproximateNumberOfMessagesDelayed"] = .string(String(statistics.delayed))
        a["SnapshotTimestamp"] = ms(now)
        return .object(a)
    }

    /// Configuration keys of a queue's `Attributes` that ``QueueConfiguration/init(json:account:region:maximumMessageSizeLimit:)`` reads.
    static let configurationKeys: Set<String> = QueueConfiguration.settableAttributeNames

    static func configuration(arn: String, attributes: JSONObject?, maximumMessageSizeLimit: Int) throws(QueueError) -> QueueConfiguration {
        guard let parts = ARN(queue: arn) else {
            throw QueueError(.invalidParameterValue, "State key '\(arn)' under \"queues\" is not a queue ARN: use arn:aws:sqs:REGION:ACCOUNT:NAME.")
        }
        var json = JSONObject()
        json["QueueName"] = .string(parts.name)
        for member in attributes?.members ?? [] where configurationKeys.contains(member.key) { json[member.key] = member.value }
        return try QueueConfiguration(json: json, account: parts.account, region: parts.region, maximumMessageSizeLimit: maximumMessageSizeLimit)
    }

    static func timestamp(_ attrs: JSONObject, _ key: String, _ where_: String) throws(QueueError) -> Timestamp? {
        guard let v = attrs[key] else { return nil }
        guard let ms = v.stringValue.flatMap({ Int64($0) }) ?? v.intValue.map({ Int64($0) }) else {
            throw QueueError(.invalidParameterValue, "Attributes.\(key) of \(where_) is \(v.jsonText): write milliseconds since the epoch as a string, e.g. \"1704067200000\".")
        }
        do { return try Timestamp(millisecondsSinceEpoch: ms) } catch {
            throw QueueError(.invalidParameterValue, "Attributes.\(key) of \(where_) is not valid: \(error).")
        }
    }

    /// Decodes one stored message; `now` fills in a missing `SentTimestamp`.
    static func decode(_ value: JSONValue, at where_: String, token: String, now: Timestamp) throws(QueueError) -> (QueueMessage, UInt64?) {
        guard let o = value.objectValue else {
            throw QueueError(.invalidParameterValue, "\(where_) is a \(value.kindName): each message must be an object with MessageId and Body.")
        }
        guard let body = o["Body"]?.stringValue else {
            throw QueueError(.missingParameter, "\(where_) has no Body string: add \"Body\": \"…\".")
        }
        let messageId = o["MessageId"]?.stringValue ?? ""
        guard !messageId.isEmpty else {
            throw QueueError(.missingParameter, "\(where_) has no MessageId string: add \"MessageId\".")
        }
        var attributes: [String: MessageAttributeValue] = [:]
        for member in o["MessageAttributes"]?.objectValue?.members ?? [] {
            guard let a = member.value.objectValue, let type = a["DataType"]?.stringValue else {
                throw QueueError(.invalidParameterValue, "MessageAttributes.\(member.key) of \(where_) needs a DataType: write {\"DataType\": \"String\", \"StringValue\": \"…\"}.")
            }
            var binary: [UInt8]?
            if let b = a["BinaryValue"]?.stringValue {
                guard let decoded = Base64.decode(b) else {
                    throw QueueError(.invalidParameterValue, "MessageAttributes.\(member.key).BinaryValue of \(where_) is not base64: encode the bytes as base64.")
                }
                binary = decoded
            }
            attributes[member.key] = MessageAttributeValue(dataType: type, stringValue: a["StringValue"]?.stringValue, binaryValue: binary)
        }
        let attrs = o["Attributes"]?.objectValue ?? JSONObject()
        let sent = try timestamp(attrs, "SentTimestamp", where_) ?? now
        var m = QueueMessage(
            id: 0, messageId: messageId, body: body, attributes: attributes, sentTimestamp: sent,
            enqueuedAt: try timestamp(attrs, "EnqueueTimestamp", where_) ?? sent, state: .visible, visibleAt: sent)
        m.receiveCount = attrs["ApproximateReceiveCount"]?.stringValue.flatMap { Int($0) } ?? 0
        m.firstReceiveTimestamp = try timestamp(attrs, "ApproximateFirstReceiveTimestamp", where_)
        m.receivedAt = try timestamp(attrs, "ReceiveTimestamp", where_)
        m.groupId = attrs["MessageGroupId"]?.stringValue
        m.deduplicationId = attrs["MessageDeduplicationId"]?.stringValue
        m.sequenceNumber = attrs["SequenceNumber"]?.stringValue
        m.deadLetterSourceArn = attrs["DeadLetterQueueSourceArn"]?.stringValue
        switch attrs["VisibilityState"]?.stringValue {
        case nil: break
        case "InFlight"?: m.state = .inFlight
        case "Delayed"?: m.state = .delayed
        case let other?:
            throw QueueError(.invalidParameterValue, "Attributes.VisibilityState of \(where_) is '\(other)': use \"InFlight\", \"Delayed\" or leave it out for a visible message.")
        }
        if m.state != .visible {
            guard let visibleAt = try timestamp(attrs, "VisibleTimestamp", where_) else {
                throw QueueError(.missingParameter, "\(where_) is \(m.state == .inFlight ? "InFlight" : "Delayed") but has no Attributes.VisibleTimestamp: add when it becomes visible (milliseconds since the epoch).")
            }
            m.visibleAt = visibleAt
        }
        if m.state == .inFlight, m.receivedAt == nil { m.receivedAt = m.firstReceiveTimestamp ?? sent }
        if let handle = attrs["ReceiptHandle"]?.stringValue {
            let parts = handle.split(separator: ".")
            if parts.count == 2, parts[0] == token, let nonce = UInt64(parts[1], radix: 16), nonce != 0 { m.receiptNonce = nonce }
        }
        return (m, m.sequenceNumber.flatMap { UInt64($0) })
    }
}
