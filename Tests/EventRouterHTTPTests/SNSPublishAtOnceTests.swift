import EventRouter
import Testing
@testable import EventRouterHTTP

/// `Publish` answered at once (``AWSEndpoint/answerAtOnce(_:)``): a signed call to a standard
/// topic without a data directory is answered on the calling thread with the bytes the task path
/// gives; its deliveries are made by the response's after-answer work. Everything else is declined
/// (so it goes through ``AWSEndpoint/handle(_:)``).
@Suite struct SNSPublishAtOnceTests {
    static let authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261204/us-east-1/sns/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=00"

    /// A form POST of `Action=operation` with `parameters`, signed for `service` (or unsigned).
    static func request(_ operation: String, _ parameters: [(String, String)], service: String? = "sns") -> HTTPRequest {
        let form = ([("Action", operation)] + parameters + [("Version", "2010-03-31")])
            .map { PercentEncoding.encode($0.0) + "=" + PercentEncoding.encode($0.1) }.joined(separator: "&")
        var headers = HTTPHeaders([("Host", "sns.test:4566"), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")])
        if let service { headers.add("Authorization", authorization.replacingOccurrences(of: "/sns/", with: "/\(service)/")) }
        return HTTPRequest(method: "POST", target: "/", headers: headers, body: Array(form.utf8))
    }

    static let message: [(String, String)] = [
        ("Message", "hello"), ("MessageAttributes.entry.1.Name", "kind"), ("MessageAttributes.entry.1.Value.DataType", "String"),
        ("MessageAttributes.entry.1.Value.StringValue", "order"),
    ]

    @Test func aStandardTopicIsAnsweredAtOnceAndDeliversAfterTheAnswer() async throws {
        let fixture = try SNSFixture()
        let topic = try await fixture.createTopic("orders")
        _ = try await fixture.subscribe(topic, "sqs", SNSFixture.queueArn("inbox"), [("RawMessageDelivery", "true")])
        let response = try #require(fixture.endpoint.answerAtOnce(Self.request("Publish", [("TopicArn", topic)] + Self.message)))
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "text/xml")
        let messageId = try #require(SNSFixture.element("MessageId", in: response))
        #expect(SNSFixture.text(response).hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?>"# + "\n" + #"<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>"#))
        #expect(try await fixture.drain("inbox").isEmpty)  // nothing delivered before the answer's work
        let work = try #require(response.afterSending)
        await work()
        let delivered = try await fixture.drain("inbox")
        #expect(delivered.map(\.body) == ["hello"])
        #expect(delivered.first?.messageAttributes["kind"] == .string("order"))
        // The task path answers the same shape (another message id).
        let viaTask = await fixture.endpoint.handle(Self.request("Publish", [("TopicArn", topic)] + Self.message))
        #expect(viaTask.status == 200)
        #expect(SNSFixture.text(viaTask).replacingOccurrences(of: SNSFixture.element("MessageId", in: viaTask) ?? "", with: messageId)
            .replacingOccurrences(of: SNSFixture.element("RequestId", in: viaTask) ?? "", with: SNSFixture.element("RequestId", in: response) ?? "")
            == SNSFixture.text(response))
    }

    @Test(arguments: [
        ("arn:aws:sns:us-east-1:123456789012:missing", 404, "NotFound"),
        ("not-an-arn", 400, "InvalidParameter"),
    ])
    func aBadPublishIsRefusedAtOnceAsTheTaskPathRefusesIt(_ topic: String, _ status: Int, _ code: String) async throws {
        let fixture = try SNSFixture()
        let request = Self.request("Publish", [("TopicArn", topic)] + Self.message)
        let atOnce = try #require(fixture.endpoint.answerAtOnce(request))
        let viaTask = await fixture.endpoint.handle(request)
        #expect(atOnce.status == status)
        #expect(SNSFixture.element("Code", in: atOnce) == code)
        #expect(viaTask.status == status)
        #expect(SNSFixture.element("Message", in: atOnce) == SNSFixture.element("Message", in: viaTask))
        #expect(atOnce.afterSending == nil)
    }

    @Test func othersAreDeclinedBeforeTheirBodyIsDecoded() async throws {
        let fixture = try SNSFixture()
        let fifo = try await fixture.createTopic("ordered.fifo", [("FifoTopic", "true"), ("ContentBasedDeduplication", "true")])
        let declined: [HTTPRequest] = [
            Self.request("Publish", [("TopicArn", fifo), ("Message", "m"), ("MessageGroupId", "g")]),  // FIFO: through the topic's actor
            Self.request("CreateTopic", [("Name", "t")]),  // not an operation answered at once
            Self.request("Publish", [("TopicArn", SNSFixture.topicArn("declared")), ("Message", "m")], service: nil),  // unsigned
            Self.request("Publish", [("TopicArn", SNSFixture.topicArn("declared")), ("Message", "m")], service: "sqs"),  // another service's scope
        ]
        for request in declined { #expect(fixture.endpoint.answerAtOnce(request) == nil, "\(String(decoding: request.body, as: UTF8.self))") }
        let fifoAnswer = await fixture.endpoint.handle(declined[0])
        #expect(SNSFixture.element("SequenceNumber", in: fifoAnswer) != nil)
    }

    @Test(arguments: [
        ("Action=Publish&Version=2010-03-31", "Publish"), ("Action=Publish", "Publish"), ("Action=ListTopics&", "ListTopics"),
        ("Version=2010-03-31&Action=Publish", nil), ("Action=Pub%6Cish&x=1", nil), ("Action=&x=1", ""), ("Action", nil), ("", nil),
        ("action=Publish", nil), ("Action=Publish2", nil),
    ] as [(String, String?)])
    func theLeadingActionIsReadWithoutDecodingTheBody(_ body: String, _ expected: String?) {
        #expect(QueryString.leadingAction(Array(body.utf8)) == expected)
    }
}
