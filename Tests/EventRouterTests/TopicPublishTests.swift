import Testing
@testable import EventRouter

@Suite struct TopicPublishTests {
    let clock = ManualClock()
    /// Stand-in for SHA-256 (the real one is wired by the lead; equality is all dedup needs).
    static let hash: @Sendable (String) -> String = { "h(\($0))" }

    func topic(_ text: String) throws -> Topic {
        let config = try TopicConfiguration(json: #require(JSONValue(parsing: text).objectValue), account: "123456789012", region: "us-east-1")
        return Topic(configuration: config, clock: clock, seed: 7, contentHash: Self.hash)
    }

    let fanOut = #"""
    {"TopicName": "orders", "Subscription": [
      {"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:all"},
      {"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:red", "FilterPolicy": {"color": ["red"]}},
      {"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:big", "FilterPolicyScope": "MessageBody",
       "FilterPolicy": {"order": {"size": ["big"]}}, "RawMessageDelivery": true},
      {"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:tags", "FilterPolicy": {"tags": ["urgent"], "priority": [1]}},
      {"Protocol": "lambda", "Endpoint": "arn:aws:lambda:us-east-1:123456789012:function:audit"}]}
    """#

    func endpoints(_ r: TopicPublishResult) -> [String] { r.deliveries.map { String($0.endpoint.split(separator: ":").last ?? "") } }

    @Test func fansOutByFilterPoliciesInBothScopes() throws {
        let t = try topic(fanOut)
        let plain = try t.publish(TopicPublishRequest(message: #"{"order":{"size":"small"}}"#))
        #expect(endpoints(plain) == ["all", "audit"])
        #expect(plain.filteredOut == 3)

        let red = try t.publish(TopicPublishRequest(message: #"{"order":{"size":"big"}}"#, messageAttributes: ["color": .string("red")]))
        #expect(endpoints(red) == ["all", "red", "big", "audit"])

        let tagged = try t.publish(TopicPublishRequest(message: "x", messageAttributes: [
            "tags": TopicMessageAttribute(dataType: "String.Array", value: #"["low","urgent"]"#),
            "priority": .number("1.0"),
        ]))
        #expect(endpoints(tagged) == ["all", "tags", "audit"], "String.Array matches any element; Number compares by value")
        let notNumber = try t.publish(TopicPublishRequest(message: "x", messageAttributes: [
            "tags": TopicMessageAttribute(dataType: "String.Array", value: #"["urgent"]"#),
            "priority": .string("1"),
        ]))
        #expect(endpoints(notNumber) == ["all", "audit"], "a String attribute \"1\" is not the number 1")
    }

    @Test func envelopeAndRawDelivery() throws {
        let t = try topic(fanOut)
        clock.advance(by: .milliseconds(1234))
        let r = try t.publish(TopicPublishRequest(message: #"{"order":{"size":"big"}}"#, subject: "New order",
                                                  messageAttributes: ["color": .string("red")]))
        let envelope = try JSONValue(parsing: r.deliveries[0].body)
        #expect(envelope.objectValue?.keys == ["Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion",
                                               "Signature", "SigningCertURL", "UnsubscribeURL", "MessageAttributes"])
        #expect(envelope["Type"] == "Notification")
        #expect(envelope["MessageId"]?.stringValue == r.messageId)
        #expect(envelope["TopicArn"] == "arn:aws:sns:us-east-1:123456789012:orders")
        #expect(envelope["Message"] == #"{"order":{"size":"big"}}"#)
        #expect(envelope["Timestamp"] == "2024-01-01T00:00:01.234Z")
        #expect(envelope["MessageAttributes"]?["color"] == ["Type": "String", "Value": "red"])
        #expect(r.deliveries[0].messageAttributes.isEmpty)
        let fields = TopicEnvelope.Fields(messageId: r.messageId, topicArn: "arn:aws:sns:us-east-1:123456789012:orders", subject: "New order",
                                          message: #"{"order":{"size":"big"}}"#, timestamp: clock.now, messageAttributes: ["color": .string("red")],
                                          sequenceNumber: nil, subscriptionArn: r.deliveries[1].subscriptionArn, region: "us-east-1")
        #expect(r.deliveries[1].body == TopicEnvelope.notification(fields).jsonText, "the spliced text equals the whole envelope")

        let raw = r.deliveries[2]
        #expect(raw.body == #"{"order":{"size":"big"}}"#)
        #expect(raw.messageAttributes == ["color": .string("red")])

        let lambda = try JSONValue(parsing: r.deliveries[3].body)
        let record = try #require(lambda["Records"]?.arrayValue?.first)
        #expect(record["EventSource"] == "aws:sns")
        #expect(record["EventSubscriptionArn"]?.stringValue == r.deliveries[3].subscriptionArn)
        #expect(record["Sns"]?["Subject"] == "New order")
        #expect(record["Sns"]?["UnsubscribeUrl"] != nil)

        let noSubject = try JSONValue(parsing: try t.publish(TopicPublishRequest(message: "m")).deliveries[0].body)
        #expect(noSubject["Subject"] == nil && noSubject["MessageAttributes"] == nil)
    }

    @Test func messageIdsAreSeeded() throws {
        let a = try topic(fanOut).publish(TopicPublishRequest(message: "m")).messageId
        let b = try topic(fanOut).publish(TopicPublishRequest(message: "m")).messageId
        #expect(a == b && a.count == 36)
    }

    let fifo = #"""
    {"TopicName": "orders.fifo", "FifoTopic": true, "Subscription": [
      {"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q.fifo",
       "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:dlq.fifo"}}]}
    """#

    @Test func fifoNeedsGroupAndDeduplicationIds() throws {
        let t = try topic(fifo)
        let noGroup = #expect(throws: TopicError.self) { try t.publish(TopicPublishRequest(message: "m", messageDeduplicationId: "d")) }
        #expect(noGroup?.message == "Publish to FIFO topic orders.fifo: MessageGroupId is required (1–128 characters); messages of one group are delivered in order")
        let noDedup = #expect(throws: TopicError.self) { try t.publish(TopicPublishRequest(message: "m", messageGroupId: "g")) }
        #expect(noDedup?.message == "Publish to FIFO topic orders.fifo: give a MessageDeduplicationId or turn on ContentBasedDeduplication for the topic")
        let standard = try topic(fanOut)
        let dedupOnStandard = #expect(throws: TopicError.self) { try standard.publish(TopicPublishRequest(message: "m", messageDeduplicationId: "d")) }
        #expect(dedupOnStandard?.message == "Publish to topic orders: MessageDeduplicationId applies to FIFO topics only; remove it")
    }

    @Test func fifoDeduplicatesForFiveMinutesAndNumbersInOrder() throws {
        let t = try topic(fifo)
        let first = try t.publish(TopicPublishRequest(message: "m", messageGroupId: "g", messageDeduplicationId: "d1"))
        #expect(first.sequenceNumber == "00000000000000000001")
        #expect(first.deliveries[0].messageGroupId == "g" && first.deliveries[0].messageDeduplicationId == "d1")
        #expect(first.deliveries[0].deadLetterTargetArn == "arn:aws:sqs:us-east-1:123456789012:dlq.fifo")
        #expect(try JSONValue(parsing: first.deliveries[0].body)["SequenceNumber"] == "00000000000000000001")
        clock.advance(by: .seconds(299))
        let repeated = try t.publish(TopicPublishRequest(message: "other", messageGroupId: "g", messageDeduplicationId: "d1"))
        #expect(repeated.duplicate && repeated.deliveries.isEmpty && repeated.messageId == first.messageId)
        let second = try t.publish(TopicPublishRequest(message: "m2", messageGroupId: "g", messageDeduplicationId: "d2"))
        #expect(second.sequenceNumber == "00000000000000000002")
        clock.advance(by: .seconds(1))
        let again = try t.publish(TopicPublishRequest(message: "m", messageGroupId: "g", messageDeduplicationId: "d1"))
        #expect(!again.duplicate && again.deliveries.count == 1 && again.messageId != first.messageId)
    }

    @Test func contentBasedDeduplicationHashesTheBody() throws {
        let t = try topic(#"{"TopicName": "c.fifo", "FifoTopic": true, "ContentBasedDeduplication": true, "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q.fifo"}]}"#)
        let a = try t.publish(TopicPublishRequest(message: "same", messageGroupId: "g"))
        #expect(a.deliveries[0].messageDeduplicationId == "h(same)")
        #expect(try t.publish(TopicPublishRequest(message: "same", messageGroupId: "other")).duplicate)
        #expect(try !t.publish(TopicPublishRequest(message: "different", messageGroupId: "g")).duplicate)
        #expect(try !t.publish(TopicPublishRequest(message: "same", messageGroupId: "g", messageDeduplicationId: "explicit")).duplicate)
    }

    @Test(arguments: [
        (TopicPublishRequest(message: ""), "Publish to topic orders: Message must not be empty"),
        (TopicPublishRequest(message: String(repeating: "x", count: 262_145)),
         "Publish to topic orders: the message and its attributes are 262145 bytes, more than the 262144-byte (256 KiB) limit; send a smaller message or a reference to the data"),
        (TopicPublishRequest(message: "m", subject: "two\nlines"), "Publish to topic orders: Subject must be 1 to 100 printable ASCII characters on one line"),
        (TopicPublishRequest(message: "m", messageAttributes: ["AWS.x": .string("v")]),
         "Publish to topic orders: message attribute name 'AWS.x' is invalid: use 1–256 characters from A-Z, a-z, 0-9, '_', '-', '.', not starting with AWS. or Amazon."),
        (TopicPublishRequest(message: "m", messageAttributes: ["n": .number("abc")]), "MessageAttributes 'n': a Number attribute needs a numeric value, got 'abc'"),
        (TopicPublishRequest(message: "m", messageAttributes: ["n": TopicMessageAttribute(dataType: "Blob", value: "x")]),
         "MessageAttributes 'n': DataType must be String, Number, String.Array or Binary, got 'Blob'"),
    ])
    func invalidPublishes(request: TopicPublishRequest, message: String) throws {
        let error = #expect(throws: TopicError.self) { try topic(fanOut).publish(request) }
        #expect(error?.code == .invalidParameter)
        #expect(error?.message == message)
    }

    @Test func registryErrors() throws {
        let registry = TopicRegistry(clock: clock, contentHash: Self.hash)
        let missing = #expect(throws: TopicError.self) { try registry.topic("orders") }
        #expect(missing?.code == .notFound)
        #expect(missing?.message == "Topic orders does not exist (arn:aws:sns:us-east-1:123456789012:orders); there are no topics; declare one under \"Topics\" in a rule file")
        try registry.create(TopicConfiguration(name: "orders"))
        #expect(try registry.topic("arn:aws:sns:us-east-1:123456789012:orders").configuration.name == "orders")
        let duplicate = #expect(throws: TopicError.self) { try registry.create(TopicConfiguration(name: "orders")) }
        #expect(duplicate?.code == .alreadyExists)
        #expect(duplicate?.message == "Topic orders already exists (arn:aws:sns:us-east-1:123456789012:orders); declare each topic once")
    }
}
