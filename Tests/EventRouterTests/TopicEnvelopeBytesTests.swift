import Testing
@testable import EventRouter

/// The exact bytes a topic delivers to SQS subscriptions (raw and in the SNS envelope), pinned:
/// the envelope is written byte by byte (``TopicEnvelope/SQSTemplate``), and must stay what
/// serialising the same `JSONObject` gives.
@Suite struct TopicEnvelopeBytesTests {
    /// c: envelope; r: raw delivery.
    static let topic = """
        {"TopicName": "orders", "Subscription": [
          {"Protocol": "sqs", "Endpoint": "\(queueArn("c"))"},
          {"Protocol": "sqs", "Endpoint": "\(queueArn("r"))", "RawMessageDelivery": true}]}
        """

    @Test func deliveredBytesArePinned() async throws {
        let f = try TopicFixture(queues: ["c", "r"], topics: [Self.topic])
        f.clock.advance(to: Timestamp(iso8601: "2024-05-01T12:00:00.123Z") ?? f.clock.now)
        let message = "hello \"world\"\n\té\\"
        let attributes: [String: MessageAttributeValue] = ["kind": .string("order"), "n": .number("2"), "blob": .binary([1, 2, 3])]
        let result = try await f.topic("orders").publish(message: message, subject: "Greeting", messageAttributes: attributes)
        let sub = try f.topic("orders").configuration.subscriptions[0]
        let expected = #"{"Type":"Notification","MessageId":"\#(result.messageId)","TopicArn":"arn:aws:sns:us-east-1:123456789012:orders","#
            + #""Subject":"Greeting","Message":"hello \"world\"\n\té\\","Timestamp":"2024-05-01T12:00:00.123Z","SignatureVersion":"1","#
            + #""Signature":"EVENTROUTER-LOCAL-UNSIGNED","SigningCertURL":"https://sns.us-east-1.amazonaws.com/SimpleNotificationService-eventrouter-local.pem","#
            + #""UnsubscribeURL":"https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=\#(sub.arn)","#
            + #""MessageAttributes":{"blob":{"Type":"Binary","Value":"AQID"},"kind":{"Type":"String","Value":"order"},"n":{"Type":"Number","Value":"2"}}}"#
        #expect(try f.bodies("c") == [expected])
        #expect(try f.bodies("r") == [message])
        let raw = try #require(try f.messages("r").first)
        #expect(raw["MessageAttributes"]?["kind"]?["StringValue"] == "order")
        #expect(raw["MessageAttributes"]?["n"]?["DataType"] == "Number")
        #expect(raw["MessageAttributes"]?["blob"]?["DataType"] == "Binary")
        #expect(try f.messages("c").first?["MessageAttributes"]?.objectValue?.isEmpty ?? true, "the envelope carries the attributes, the SQS message none")
    }

    static let notifications: [TopicEnvelope.Notification] = {
        let at = Timestamp(iso8601: "2024-05-01T12:00:00.123Z")!
        let topicArn = "arn:aws:sns:eu-west-1:123456789012:t"
        let plain = TopicEnvelope.Notification(messageId: "m-1", topicArn: topicArn, subject: nil, message: "x", timestamp: at,
                                               attributes: [:], sequenceNumber: nil, subscriptionArn: topicArn + ":s")
        var all = [plain]
        var n = plain
        n.subject = "Subject \"quoted\""
        n.message = "tab\there\r\nctl\u{1F}\u{7}, slash / back \\ emoji 🎉 é </script>"
        all.append(n)
        n.sequenceNumber = "10000000000000000001"
        n.attributes = ["Zed": .string("last \"q\""), "alpha": .number("-1.5e3"), "bin": .binary([0, 255, 10]),
                        "arr": MessageAttributeValue(dataType: "String.Array", stringValue: #"["a",1]"#), "label": MessageAttributeValue(dataType: "Number.float", stringValue: "3")]
        all.append(n)
        n.message = String(repeating: "long message ", count: 500)
        n.subscriptionArn = "arn:aws:sns:eu-west-1:123456789012:t:odd\"arn"
        all.append(n)
        return all
    }()

    @Test(arguments: notifications.indices)
    func templateMatchesTheSerialisedObject(_ index: Int) {
        let n = Self.notifications[index]
        #expect(TopicEnvelope.sqsBody(n) == Self.serialised(n))
        #expect(TopicEnvelope.SQSTemplate(n, region: "eu-west-1").body(subscriptionArn: n.subscriptionArn) == Self.serialised(n))
    }

    /// The envelope as a `JSONObject`, serialised: how it was built before the direct writer.
    static func serialised(_ n: TopicEnvelope.Notification) -> String {
        var o = JSONObject()
        o["Type"] = "Notification"
        o["MessageId"] = .string(n.messageId)
        if let s = n.sequenceNumber { o["SequenceNumber"] = .string(s) }
        o["TopicArn"] = .string(n.topicArn)
        if let s = n.subject { o["Subject"] = .string(s) }
        o["Message"] = .string(n.message)
        o["Timestamp"] = .string(n.timestamp.iso8601Milliseconds)
        o["SignatureVersion"] = "1"
        o["Signature"] = .string(TopicEnvelope.signaturePlaceholder)
        o["SigningCertURL"] = .string("https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-eventrouter-local.pem")
        o["UnsubscribeURL"] = .string("https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=\(n.subscriptionArn)")
        if !n.attributes.isEmpty { o["MessageAttributes"] = TopicEnvelope.attributesJSON(n.attributes) }
        var out: [UInt8] = []
        JSONSerializer.write(.object(o), into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
