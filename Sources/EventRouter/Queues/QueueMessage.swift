/// The fields only FIFO queues and redriven messages use, boxed so that a standard queue's
/// message stays small (one pointer instead of four strings).
final class QueueMessageExtras: Sendable {
    let groupId: String?
    let deduplicationId: String?
    let sequenceNumber: String?
    let deadLetterSourceArn: String?

    init(groupId: String?, deduplicationId: String?, sequenceNumber: String?, deadLetterSourceArn: String?) {
        self.groupId = groupId
        self.deduplicationId = deduplicationId
        self.sequenceNumber = sequenceNumber
        self.deadLetterSourceArn = deadLetterSourceArn
    }

    /// `nil` when every field is `nil`.
    static func make(_ g: String?, _ d: String?, _ s: String?, _ a: String?) -> QueueMessageExtras? {
        if g == nil && d == nil && s == nil && a == nil { return nil }
        return QueueMessageExtras(groupId: g, deduplicationId: d, sequenceNumber: s, deadLetterSourceArn: a)
    }
}

/// One message as a queue stores it, with its timers and counters.
struct QueueMessage: Sendable {
    enum State: UInt8, Sendable { case delayed, visible, inFlight }

    /// Internal id: order of arrival in this queue.
    var id: UInt64
    var messageId: String
    /// The body as stored: one String, or parts shared with other messages (``QueueMessageBody``).
    var storedBody: QueueMessageBody
    var attributes: [String: MessageAttributeValue]
    /// `SentTimestamp`: when it was sent to this queue (or, after a move back, to the source).
    var sentTimestamp: Timestamp
    /// The original enqueue time; retention counts from it, also in a dead-letter queue.
    var enqueuedAt: Timestamp
    /// When a delayed or in-flight message becomes visible.
    var visibleAt: Timestamp
    /// When the current in-flight period began (the last receive).
    var receivedAt: Timestamp?
    // The two small fields sit in the padding after `receivedAt` (fields are laid out in order).
    var state: State
    private var count32: Int32 = 0
    var firstReceiveTimestamp: Timestamp?
    /// The nonce of the latest receipt handle; 0 before the first receive.
    var receiptNonce: UInt64 = 0
    var extras: QueueMessageExtras?

    init(
        id: UInt64, messageId: String, body: String, attributes: [String: MessageAttributeValue], sentTimestamp: Timestamp,
        enqueuedAt: Timestamp, state: State, visibleAt: Timestamp, groupId: String? = nil, deduplicationId: String? = nil
    ) {
        self.init(id: id, messageId: messageId, body: QueueMessageBody(body), attributes: attributes, sentTimestamp: sentTimestamp,
                  enqueuedAt: enqueuedAt, state: state, visibleAt: visibleAt, groupId: groupId, deduplicationId: deduplicationId)
    }

    init(
        id: UInt64, messageId: String, body: QueueMessageBody, attributes: [String: MessageAttributeValue], sentTimestamp: Timestamp,
        enqueuedAt: Timestamp, state: State, visibleAt: Timestamp, groupId: String? = nil, deduplicationId: String? = nil
    ) {
        self.id = id
        self.messageId = messageId
        self.storedBody = body
        self.attributes = attributes
        self.sentTimestamp = sentTimestamp
        self.enqueuedAt = enqueuedAt
        self.state = state
        self.visibleAt = visibleAt
        self.extras = QueueMessageExtras.make(groupId, deduplicationId, nil, nil)
    }

    /// The body as one String (materialised from its parts when it has them; assigning stores one String).
    var body: String {
        get { storedBody.string }
        set { storedBody = QueueMessageBody(newValue) }
    }

    var receiveCount: Int {
        get { Int(count32) }
        set { count32 = Int32(clamping: newValue) }
    }

    var groupId: String? {
        get { extras?.groupId }
        set { extras = .make(newValue, deduplicationId, sequenceNumber, deadLetterSourceArn) }
    }

    var deduplicationId: String? {
        get { extras?.deduplicationId }
        set { extras = .make(groupId, newValue, sequenceNumber, deadLetterSourceArn) }
    }

    var sequenceNumber: String? {
        get { extras?.sequenceNumber }
        set { extras = .make(groupId, deduplicationId, newValue, deadLetterSourceArn) }
    }

    /// `DeadLetterQueueSourceArn`: the queue it was redriven from.
    var deadLetterSourceArn: String? {
        get { extras?.deadLetterSourceArn }
        set { extras = .make(groupId, deduplicationId, sequenceNumber, newValue) }
    }

    /// Bytes counted toward `MaximumMessageSize`: body plus attribute names, types and values.
    static func size(body: String, attributes: [String: MessageAttributeValue]) -> Int {
        size(bodyBytes: body.utf8.count, attributes: attributes)
    }

    /// ``size(body:attributes:)`` of a body of `bodyBytes` UTF-8 bytes.
    static func size(bodyBytes: Int, attributes: [String: MessageAttributeValue]) -> Int {
        attributes.isEmpty ? bodyBytes : attributes.reduce(bodyBytes) { $0 + $1.key.utf8.count + $1.value.sizeInBytes }
    }

    /// SQS's system attributes, as `ReceiveMessage` returns them with `AttributeNames: All`.
    var systemAttributes: [String: String] {
        var a: [String: String] = [
            "SentTimestamp": String(sentTimestamp.millisecondsSinceEpoch),
            "ApproximateReceiveCount": String(receiveCount),
            "SenderId": "AIDAEVENTROUTER",
        ]
        if let t = firstReceiveTimestamp { a["ApproximateFirstReceiveTimestamp"] = String(t.millisecondsSinceEpoch) }
        if let g = groupId { a["MessageGroupId"] = g }
        if let d = deduplicationId { a["MessageDeduplicationId"] = d }
        if let s = sequenceNumber { a["SequenceNumber"] = s }
        if let s = deadLetterSourceArn { a["DeadLetterQueueSourceArn"] = s }
        return a
    }
}

/// The answer to `SendMessage`.
public struct SendMessageResult: Sendable, Hashable {
    /// The message's id (a UUID).
    public var messageId: String
    /// FIFO queues only: the message's sequence number (a decimal string, increasing per queue).
    public var sequenceNumber: String?
    /// `true` when a FIFO queue recognised the message as a duplicate within the 5-minute
    /// window: accepted, but not enqueued again (the original's id is returned).
    public var deduplicated: Bool

    public init(messageId: String, sequenceNumber: String? = nil, deduplicated: Bool = false) {
        self.messageId = messageId
        self.sequenceNumber = sequenceNumber
        self.deduplicated = deduplicated
    }
}

/// A message handed out by `ReceiveMessage`.
public struct ReceivedMessage: Sendable, Hashable {
    public var messageId: String
    /// The handle to delete the message or change its visibility; new on every receive.
    public var receiptHandle: String
    public var body: String
    /// The sender's message attributes.
    public var messageAttributes: [String: MessageAttributeValue]
    /// System attributes: `ApproximateReceiveCount`, `SentTimestamp`,
    /// `ApproximateFirstReceiveTimestamp`, `SenderId`, and for FIFO `MessageGroupId`,
    /// `MessageDeduplicationId`, `SequenceNumber`; `DeadLetterQueueSourceArn` after a redrive.
    public var attributes: [String: String]

    public init(messageId: String, receiptHandle: String, body: String, messageAttributes: [String: MessageAttributeValue], attributes: [String: String]) {
        self.messageId = messageId
        self.receiptHandle = receiptHandle
        self.body = body
        self.messageAttributes = messageAttributes
        self.attributes = attributes
    }
}

/// `ApproximateNumberOfMessages…` of a queue.
public struct QueueStatistics: Sendable, Hashable {
    /// `ApproximateNumberOfMessages`: visible, ready to receive.
    public var visible: Int
    /// `ApproximateNumberOfMessagesNotVisible`: in flight.
    public var notVisible: Int
    /// `ApproximateNumberOfMessagesDelayed`.
    public var delayed: Int

    public init(visible: Int, notVisible: Int, delayed: Int) {
        self.visible = visible
        self.notVisible = notVisible
        self.delayed = delayed
    }

    /// All three.
    public var total: Int { visible + notVisible + delayed }
}
