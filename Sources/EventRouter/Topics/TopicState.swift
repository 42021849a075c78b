/// A topic's state and every publish decision, as a pure value: validation, FIFO rules,
/// deduplication, filter policies, the envelope or raw body per subscription.
/// ``Topic`` wraps it behind a lock with an injected clock.
public struct TopicState: Sendable {
    /// Name, FIFO settings and subscriptions.
    public let configuration: TopicConfiguration
    /// How long a FIFO deduplication id suppresses repeats.
    public static let deduplicationWindow: Duration = .seconds(300)
    /// The largest message (body plus attributes), 256 KiB.
    public static let maximumMessageSize = 256 * 1024

    /// SEAM (queues): the content-based deduplication id of a message body. SNS uses the SHA-256
    /// hex digest of the body; wire `{ SHA256.hexDigest(of: Array($0.utf8)) }` from
    /// `Crypto/SHA256.swift` once branch `queues` is merged.
    let contentHash: @Sendable (String) -> String
    private var random: SeededGenerator
    private var nextSequence: UInt64 = 1
    private var seen: [String: (messageId: String, sequenceNumber: String?, expires: Timestamp)] = [:]
    private var nextPrune = Timestamp.epoch

    /// - Parameters:
    ///   - seed: seeds the message ids, so runs are reproducible.
    ///   - contentHash: the content-based deduplication id of a body (see the SEAM note).
    public init(configuration: TopicConfiguration, seed: UInt64 = 0, contentHash: @escaping @Sendable (String) -> String) {
        self.configuration = configuration
        self.random = SeededGenerator(seed: seed)
        self.contentHash = contentHash
    }

    /// Publish: validates `request`, deduplicates FIFO messages for 5 minutes, and returns one
    /// ``TopicDelivery`` per subscription whose filter policy matches.
    /// - Throws: `InvalidParameterException` naming what to change.
    public mutating func publish(_ request: TopicPublishRequest, now: Timestamp) throws(TopicError) -> TopicPublishResult {
        try validate(request)
        var dedupId: String?
        if configuration.fifoTopic {
            dedupId = request.messageDeduplicationId ?? contentHash(request.message)
            prune(now)
            if let id = dedupId, let previous = seen[id], previous.expires > now {
                return TopicPublishResult(messageId: previous.messageId, sequenceNumber: previous.sequenceNumber, deliveries: [],
                                          filteredOut: 0, duplicate: true)
            }
        }
        let messageId = random.uuid()
        var sequenceNumber: String?
        if configuration.fifoTopic {
            sequenceNumber = SequenceNumber.pad(String(nextSequence), 20)
            nextSequence += 1
        }
        if let id = dedupId { seen[id] = (messageId, sequenceNumber, now + Self.deduplicationWindow) }

        var deliveries: [TopicDelivery] = []
        var filtered = 0
        var notification: TopicEnvelope.NotificationText?
        // The documents filter policies look at, built at most once per publish.
        var attributeDocument: JSONValue??
        var bodyDocument: JSONValue??
        for s in configuration.subscriptions {
            if let policy = s.filterPolicy {
                let document: JSONValue?
                switch policy.scope {
                case .messageAttributes:
                    if attributeDocument == nil { attributeDocument = .some(policy.document(message: request.message, attributes: request.messageAttributes)) }
                    document = attributeDocument ?? nil
                case .messageBody:
                    if bodyDocument == nil { bodyDocument = .some(policy.document(message: request.message, attributes: request.messageAttributes)) }
                    document = bodyDocument ?? nil
                }
                guard let document, policy.pattern.matches(document) else {
                    filtered += 1
                    continue
                }
            }
            let fields = TopicEnvelope.Fields(
                messageId: messageId, topicArn: configuration.arn, subject: request.subject, message: request.message, timestamp: now,
                messageAttributes: request.messageAttributes, sequenceNumber: sequenceNumber, subscriptionArn: s.subscriptionArn,
                region: configuration.region)
            let body: String
            switch s.deliveryProtocol {
            case .sqs where s.rawMessageDelivery:
                body = request.message
            case .sqs:
                let text = notification ?? TopicEnvelope.NotificationText(fields)
                notification = text
                body = text.body(subscriptionArn: s.subscriptionArn)
            case .lambda: body = TopicEnvelope.lambdaEvent(fields).jsonText
            }
            deliveries.append(TopicDelivery(
                subscriptionArn: s.subscriptionArn, deliveryProtocol: s.deliveryProtocol, endpoint: s.endpoint, body: body,
                messageAttributes: s.rawMessageDelivery ? request.messageAttributes : [:],
                messageGroupId: request.messageGroupId, messageDeduplicationId: dedupId, deadLetterTargetArn: s.deadLetterTargetArn))
        }
        return TopicPublishResult(messageId: messageId, sequenceNumber: sequenceNumber, deliveries: deliveries, filteredOut: filtered, duplicate: false)
    }

    private func validate(_ r: TopicPublishRequest) throws(TopicError) {
        let topic = "topic \(configuration.name)"
        guard !r.message.isEmpty else { throw .invalid("Publish to \(topic): Message must not be empty") }
        guard r.size <= Self.maximumMessageSize else {
            throw .invalid("Publish to \(topic): the message and its attributes are \(r.size) bytes, more than the 262144-byte (256 KiB) limit; send a smaller message or a reference to the data")
        }
        if let subject = r.subject {
            guard (1...100).contains(subject.count), subject.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else {
                throw .invalid("Publish to \(topic): Subject must be 1 to 100 printable ASCII characters on one line")
            }
        }
        for name in r.messageAttributes.keys.sorted() {
            let validName = (1...256).contains(name.utf8.count) && !name.hasPrefix("AWS.") && !name.hasPrefix("Amazon.")
                && name.utf8.allSatisfy { b in
                    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D || b == 0x2E
                }
            guard validName else {
                throw .invalid("Publish to \(topic): message attribute name '\(name)' is invalid: use 1–256 characters from A-Z, a-z, 0-9, '_', '-', '.', not starting with AWS. or Amazon.")
            }
            try r.messageAttributes[name]?.validate(name: name)
        }
        if configuration.fifoTopic {
            guard let group = r.messageGroupId, (1...128).contains(group.utf8.count) else {
                throw .invalid("Publish to FIFO \(topic): MessageGroupId is required (1–128 characters); messages of one group are delivered in order")
            }
            if r.messageDeduplicationId == nil && !configuration.contentBasedDeduplication {
                throw .invalid("Publish to FIFO \(topic): give a MessageDeduplicationId or turn on ContentBasedDeduplication for the topic")
            }
            if let d = r.messageDeduplicationId, !(1...128).contains(d.utf8.count) {
                throw .invalid("Publish to FIFO \(topic): MessageDeduplicationId must be 1 to 128 characters")
            }
        } else if r.messageDeduplicationId != nil {
            throw .invalid("Publish to \(topic): MessageDeduplicationId applies to FIFO topics only; remove it")
        }
    }

    private mutating func prune(_ now: Timestamp) {
        guard now >= nextPrune else { return }
        seen = seen.filter { $0.value.expires > now }
        nextPrune = now + .seconds(60)
    }
}
