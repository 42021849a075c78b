import Testing
import Synchronization
import EventRouterTesting
@testable import EventRouter

/// One fan-out row: policy (and scope) per subscription, then the published message.
struct TopicFanOutRow: Sendable, CustomStringConvertible {
    let note: String
    let attributes: [String: MessageAttributeValue]
    let body: String
    /// Which of the queues a, b, c (see ``TopicPublishTests/fanOutTopic``) receive it.
    let expected: [String]
    var description: String { note }
}

@Suite struct TopicPublishTests {
    /// a: attribute policy kind=order; b: body policy total > 100; c: no policy.
    static let fanOutTopic = """
        {"TopicName": "orders", "Subscription": [
          {"Protocol": "sqs", "Endpoint": "\(queueArn("a"))", "FilterPolicy": {"kind": ["order"], "n": [{"numeric": [">=", 2]}]}},
          {"Protocol": "sqs", "Endpoint": "\(queueArn("b"))", "FilterPolicyScope": "MessageBody",
           "FilterPolicy": {"order": {"total": [{"numeric": [">", 100]}]}}},
          {"Protocol": "sqs", "Endpoint": "\(queueArn("c"))"}]}
        """

    static let fanOutRows: [TopicFanOutRow] = [
        .init(note: "attributes and body both match", attributes: ["kind": .string("order"), "n": .number("2")], body: #"{"order":{"total":150}}"#, expected: ["a", "b", "c"]),
        .init(note: "attributes only", attributes: ["kind": .string("order"), "n": .number("3")], body: #"{"order":{"total":50}}"#, expected: ["a", "c"]),
        .init(note: "body only", attributes: ["kind": .string("refund")], body: #"{"order":{"total":101}}"#, expected: ["b", "c"]),
        .init(note: "Number attribute too small", attributes: ["kind": .string("order"), "n": .number("1")], body: "x", expected: ["c"]),
        .init(note: "n as a String does not match numeric", attributes: ["kind": .string("order"), "n": .string("5")], body: "x", expected: ["c"]),
        .init(note: "String.Array holding order", attributes: ["kind": MessageAttributeValue(dataType: "String.Array", stringValue: #"["refund","order"]"#), "n": .number("9")], body: "not json", expected: ["a", "c"]),
        .init(note: "no attributes, non-JSON body", attributes: [:], body: "hello", expected: ["c"]),
    ]

    @Test(arguments: fanOutRows)
    func fanOutFollowsFilterPolicies(_ row: TopicFanOutRow) async throws {
        let f = try TopicFixture(queues: ["a", "b", "c"], topics: [Self.fanOutTopic])
        let result = try await f.topic("orders").publish(message: row.body, messageAttributes: row.attributes)
        for name in ["a", "b", "c"] {
            #expect(try f.bodies(name).count == (row.expected.contains(name) ? 1 : 0), "queue \(name): \(row.note)")
        }
        let statuses = result.deliveries.map(\.status)
        #expect(statuses.filter { $0 == .delivered }.count == row.expected.count)
        #expect(statuses.filter { $0 == .filteredOut }.count == 3 - row.expected.count)
        let stats = try await f.topic("orders").statistics
        #expect(stats.delivered == row.expected.count && stats.filtered == 3 - row.expected.count && stats.published == 1)
    }

    @Test func envelopeHasSNSFields() async throws {
        let f = try TopicFixture(queues: ["a", "b", "c"], topics: [Self.fanOutTopic])
        f.clock.advance(to: Timestamp(iso8601: "2024-05-01T12:00:00.123Z") ?? f.clock.now)
        let result = try await f.topic("orders").publish(
            message: "hello", subject: "Greeting",
            messageAttributes: ["kind": .string("order"), "n": .number("2"), "blob": .binary([1, 2, 3])])
        let body = try #require(try f.bodies("c").first)
        let json = try JSONParser.parse(body)
        let sub = try f.topic("orders").configuration.subscriptions[2]
        #expect(json.objectValue?.keys == ["Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL", "MessageAttributes"])
        #expect(json["Type"] == "Notification")
        #expect(json["MessageId"]?.stringValue == result.messageId)
        #expect(json["TopicArn"] == "arn:aws:sns:us-east-1:123456789012:orders")
        #expect(json["Subject"] == "Greeting")
        #expect(json["Message"] == "hello")
        #expect(json["Timestamp"] == "2024-05-01T12:00:00.123Z")
        #expect(json["SignatureVersion"] == "1")
        #expect(json["Signature"]?.stringValue == TopicEnvelope.signaturePlaceholder)
        #expect(json["UnsubscribeURL"]?.stringValue == "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=\(sub.arn)")
        #expect(json["MessageAttributes"]?["n"] == ["Type": "Number", "Value": "2"])
        #expect(json["MessageAttributes"]?["blob"] == ["Type": "Binary", "Value": "AQID"])
        // The envelope goes as the body; the queue message itself carries no attributes.
        #expect(try f.messages("c").first?["MessageAttributes"]?.objectValue?.isEmpty ?? true)
    }

    @Test func subjectIsLeftOutWhenNotSet() async throws {
        let f = try TopicFixture(queues: ["a", "b", "c"], topics: [Self.fanOutTopic])
        _ = try await f.topic("orders").publish(message: "hello")
        let json = try JSONParser.parse(try #require(try f.bodies("c").first))
        #expect(json["Subject"] == nil)
        #expect(json["MessageAttributes"] == nil)
    }

    @Test func rawDeliveryPassesTheMessageAndAttributes() async throws {
        let f = try TopicFixture(queues: ["raw", "env"], topics: ["""
            {"TopicName": "t", "Subscription": [
              {"Protocol": "sqs", "Endpoint": "\(queueArn("raw"))", "RawMessageDelivery": "true"},
              {"Protocol": "sqs", "Endpoint": "\(queueArn("env"))"}]}
            """])
        _ = try await f.topic("t").publish(message: #"{"id": 7}"#, messageAttributes: ["kind": .string("order"), "tags": MessageAttributeValue(dataType: "String.Array", stringValue: #"["a"]"#)])
        let raw = try #require(try f.messages("raw").first)
        #expect(raw["Body"] == #"{"id": 7}"#)
        #expect(raw["MessageAttributes"]?["kind"]?["StringValue"] == "order")
        #expect(raw["MessageAttributes"]?["tags"]?["DataType"] == "String.Array")
        let env = try JSONParser.parse(try #require(try f.bodies("env").first))
        #expect(env["Message"] == #"{"id": 7}"#)
    }

    @Test func lambdaEndpointsGetTheSNSEvent() async throws {
        let lambda = RecordingSubscriptionSink()
        let fn = "arn:aws:lambda:us-east-1:123456789012:function:handler"
        let f = try TopicFixture(queues: [], topics: [#"{"TopicName": "t", "Subscription": [{"Protocol": "lambda", "Endpoint": "\#(fn)"}]}"#], lambda: lambda)
        let result = try await f.topic("t").publish(message: "hi", messageAttributes: ["k": MessageAttributeValue.string("v")])
        let delivery = try #require(lambda.deliveries(to: fn).first)
        let event = try JSONParser.parse(delivery.body)
        let record = event["Records"]?.arrayValue?.first
        #expect(record?["EventSource"] == "aws:sns")
        #expect(record?["Sns"]?["MessageId"]?.stringValue == result.messageId)
        #expect(record?["Sns"]?["Subject"] == JSONValue.null)
        #expect(record?["Sns"]?["MessageAttributes"]?["k"] == ["Type": "String", "Value": "v"])
        #expect(record?["Sns"]?["UnsubscribeUrl"] != nil)
    }

    @Test func lambdaWithoutARuntimeIsDeadLetteredNotLost() async throws {
        let fn = "arn:aws:lambda:us-east-1:123456789012:function:handler"
        let f = try TopicFixture(queues: ["dlq"], topics: [#"{"TopicName": "t", "Subscription": [{"Protocol": "lambda", "Endpoint": "\#(fn)", "RedrivePolicy": {"deadLetterTargetArn": "\#(queueArn("dlq"))"}}]}"#])
        let result = try await f.topic("t").publish(message: "hi")
        #expect(result.deliveries.first?.status == .deadLettered)
        #expect(try f.messages("dlq").first?["MessageAttributes"]?["ErrorCode"]?["StringValue"] == "EndpointUnavailable")
    }

    @Test func publishToAnUnknownTopicIsNotFound() async throws {
        let f = try TopicFixture(queues: [], topics: [#"{"TopicName": "orders"}"#])
        let error = await topicError { () async throws(TopicError) in _ = try await f.topics.publish(to: "ordres", TopicMessage(message: "x")) }
        #expect(error?.description == "NotFound: Topic does not exist: 'ordres' (known topics: arn:aws:sns:us-east-1:123456789012:orders): check the name or ARN.")
    }

    @Test func declaringATopicTwiceDifferentlyIsRefused() throws {
        let f = try TopicFixture(queues: [], topics: [#"{"TopicName": "orders"}"#])
        #expect(throws: TopicError(.topicAlreadyExists, "Topic already exists with different attributes: arn:aws:sns:us-east-1:123456789012:orders is declared twice; merge the declarations or rename one.")) {
            try f.topics.createTopic(topicConfiguration(#"{"TopicName": "orders", "Subscription": [{"Protocol": "sqs", "Endpoint": "\#(queueArn("q"))"}]}"#))
        }
    }

    static let invalidPublishes: [(TopicMessage, TopicError)] = [
        (TopicMessage(message: ""), .invalidParameter("Empty message: give a Message of at least one character.")),
        (TopicMessage(message: "x", subject: "line\nbreak"), .invalidParameter("Subject must be ASCII text that begins with a letter, number, or punctuation mark; must not include line breaks or control characters; and must be less than 100 characters long (got 10 bytes).")),
        (TopicMessage(message: "x", attributes: ["n": .number("abc")]), TopicError(.invalidParameterValue, "The message attribute 'n' with type 'Number' has an invalid value 'abc': write a number such as 42 or -1.5e3.")),
        (TopicMessage(message: "x", attributes: ["t": MessageAttributeValue(dataType: "String.Array", stringValue: "a,b")]), TopicError(.invalidParameterValue, "The message attribute 't' with type 'String.Array' has an invalid value 'a,b': write a JSON array such as [\"a\", 1, true].")),
        (TopicMessage(message: "x", attributes: ["d": MessageAttributeValue(dataType: "Date", stringValue: "x")]), TopicError(.invalidParameterValue, "The message attribute 'd' has an invalid message attribute type 'Date': use String, String.Array, Number or Binary.")),
        (TopicMessage(message: "x", attributes: ["AWS.x": .string("v")]), TopicError(.invalidParameterValue, "The message attribute name 'AWS.x' is invalid: use up to 256 letters, digits, '-', '_' and '.', not starting or ending with '.', without '..', and not starting with AWS. or Amazon.")),
        (TopicMessage(message: "x", attributes: ["a..b": .string("v")]), TopicError(.invalidParameterValue, "The message attribute name 'a..b' is invalid: use up to 256 letters, digits, '-', '_' and '.', not starting or ending with '.', without '..', and not starting with AWS. or Amazon.")),
        (TopicMessage(message: "x", deduplicationId: "d"), .invalidParameter("MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type: drop it, or publish to a FIFO topic.")),
        (TopicMessage(message: "x", groupId: "g"), .invalidParameter("MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type: drop it, or publish to a FIFO topic.")),
        (TopicMessage(message: String(repeating: "x", count: 262_145)), .invalidParameter("Message too long: 262145 bytes with attributes, at most 262144 (256 KB): shorten the message or its attributes.")),
    ]

    @Test(arguments: invalidPublishes)
    func invalidPublishesSayWhatToChange(_ message: TopicMessage, _ expected: TopicError) async throws {
        let f = try TopicFixture(queues: [], topics: [#"{"TopicName": "orders"}"#])
        let error = await topicError { () async throws(TopicError) in _ = try await f.topic("orders").publish(message) }
        #expect(error == expected, "\(String(describing: error))")
    }
}

@Suite struct TopicFunctionSinkTests {
    @Test func lambdaSubscriptionsInvokeHostedFunctionsAsynchronously() async throws {
        let registry = SwiftFunctionRegistry()
        let received = Mutex<[JSONValue]>([])
        registry.register("Audit") { event, _ in
            received.withLock { $0.append(event) }
            return nil
        }
        let host = try FunctionHost(manifests: [FunctionManifest(name: "audit", runtime: .swift, handler: "Audit")], registry: registry,
                                    clock: ManualClock(), sink: DiscardingTarget())
        let fn = FunctionManifest.arn(name: "audit")
        let missing = FunctionManifest.arn(name: "nope")
        let f = try TopicFixture(queues: [], topics: [#"{"TopicName": "t", "Subscription": [{"Protocol": "lambda", "Endpoint": "\#(fn)"}, {"Protocol": "lambda", "Endpoint": "\#(missing)"}]}"#],
                                 lambda: FunctionTarget(functions: host))
        let r = try await f.topic("t").publish(message: "hello")
        #expect(r.deliveries.map(\.status) == [.delivered, .dropped])
        await host.waitUntilIdle()
        let event = try #require(received.withLock { $0 }.first)
        #expect(event["Records"]?.arrayValue?.first?["Sns"]?["Message"] == "hello")
        #expect(try await f.topic("t").undelivered.first?.errorCode == "ResourceNotFoundException")
        await host.shutdown()
    }
}
