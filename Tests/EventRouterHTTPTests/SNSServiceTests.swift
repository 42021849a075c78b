import EventRouter
import Testing
@testable import EventRouterHTTP

/// SNS operations in process: reply shapes, the HTTP/S confirmation handshake, per-protocol
/// retries on the manual clock, and subscriptions changing while the topic runs.
@Suite struct SNSServiceTests {
    static let declared = SNSFixture.topicArn("declared")

    @Test func createTopicIsIdempotentAndTheRepliesHaveSNSShapes() async throws {
        let fixture = try SNSFixture()
        let created = await fixture.call("CreateTopic", [("Name", "t"), ("Attributes.entry.1.key", "DisplayName"), ("Attributes.entry.1.value", "T & co")])
        #expect(SNSFixture.text(created).contains(#"<CreateTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><CreateTopicResult><TopicArn>arn:aws:sns:us-east-1:123456789012:t</TopicArn></CreateTopicResult><ResponseMetadata><RequestId>"#))
        let again = await fixture.call("CreateTopic", [("Name", "t")])
        #expect(SNSFixture.element("TopicArn", in: again) == SNSFixture.topicArn("t"))
        let attributes = SNSFixture.text(await fixture.call("GetTopicAttributes", [("TopicArn", SNSFixture.topicArn("t"))]))
        #expect(attributes.contains("<entry><key>DisplayName</key><value>T &amp; co</value></entry>"))
        #expect(attributes.contains("<entry><key>SubscriptionsConfirmed</key><value>0</value></entry>"))
        let listed = SNSFixture.text(await fixture.call("ListTopics"))
        #expect(listed.contains("<Topics><member><TopicArn>\(Self.declared)</TopicArn></member><member><TopicArn>\(SNSFixture.topicArn("t"))</TopicArn></member></Topics>"))
        #expect(!listed.contains("NextToken"))
        let deleted = await fixture.call("DeleteTopic", [("TopicArn", SNSFixture.topicArn("t"))])
        #expect(SNSFixture.text(deleted).contains("<DeleteTopicResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><ResponseMetadata>"))
        #expect(fixture.runtime.topics.topic(arn: SNSFixture.topicArn("t")) == nil)
        #expect(await fixture.call("DeleteTopic", [("TopicArn", SNSFixture.topicArn("t"))]).status == 200)
    }

    @Test func anHTTPSubscriptionReceivesNothingUntilConfirmedWithItsToken() async throws {
        let fixture = try SNSFixture()
        let response = await fixture.call("Subscribe", [("TopicArn", Self.declared), ("Protocol", "http"), ("Endpoint", "http://127.0.0.1:9/hook")])
        #expect(SNSFixture.element("SubscriptionArn", in: response) == "pending confirmation")
        let confirmation = try #require(await fixture.http.waitForPosts(1).first)
        #expect(confirmation.url == "http://127.0.0.1:9/hook")
        #expect(confirmation.header("x-amz-sns-message-type") == "SubscriptionConfirmation")
        #expect(confirmation.header("x-amz-sns-topic-arn") == Self.declared)
        let message = try JSONValue(parsing: confirmation.body)
        let token = try #require(message["Token"]?.stringValue)
        #expect(message["Type"] == "SubscriptionConfirmation")
        #expect(message["SubscribeURL"]?.stringValue == "http://sns.test:4566/?Action=ConfirmSubscription&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Adeclared&Token=\(token)")
        let listed = await fixture.call("ListSubscriptionsByTopic", [("TopicArn", Self.declared)])
        #expect(SNSFixture.element("SubscriptionArn", in: listed) == "PendingConfirmation")

        #expect(await fixture.call("Publish", [("TopicArn", Self.declared), ("Message", "early")]).status == 200)
        #expect(fixture.http.posts.count == 1)

        let confirmed = await fixture.call("ConfirmSubscription", [("TopicArn", Self.declared), ("Token", token)])
        let arn = try #require(SNSFixture.element("SubscriptionArn", in: confirmed))
        #expect(arn.hasPrefix(Self.declared + ":"))
        let attributes = SNSFixture.text(await fixture.call("GetSubscriptionAttributes", [("SubscriptionArn", arn)]))
        #expect(attributes.contains("<entry><key>PendingConfirmation</key><value>false</value></entry>"))

        #expect(await fixture.call("Publish", [("TopicArn", Self.declared), ("Message", "on time"), ("Subject", "s")]).status == 200)
        let posts = await fixture.http.waitForPosts(2)
        #expect(posts.count == 2)
        #expect(posts[1].header("x-amz-sns-message-type") == "Notification")
        #expect(posts[1].header("x-amz-sns-subscription-arn") == arn)
        let notification = try JSONValue(parsing: posts[1].body)
        #expect(notification["Message"] == "on time" && notification["Subject"] == "s" && notification["Type"] == "Notification")
    }

    /// Subscribes an HTTP endpoint and confirms it; answers its ARN.
    func confirmedHTTPSubscription(_ fixture: SNSFixture, attributes: [(String, String)] = []) async throws -> String {
        let arn = try await fixture.subscribe(Self.declared, "https", "https://127.0.0.1:9/hook", attributes)
        let token = try #require(try JSONValue(parsing: await fixture.http.waitForPosts(1)[0].body)["Token"]?.stringValue)
        #expect(await fixture.call("ConfirmSubscription", [("TopicArn", Self.declared), ("Token", token)]).status == 200)
        return arn
    }

    @Test func httpServerErrorsAreRetriedBySNSsHTTPPolicyOnTheClock() async throws {
        let fixture = try SNSFixture()
        _ = try await confirmedHTTPSubscription(fixture)
        fixture.http.script([.status(500), .failed("connection refused"), .status(503), .status(500)])
        let start = fixture.clock.now
        #expect(await fixture.call("Publish", [("TopicArn", Self.declared), ("Message", "m")]).status == 200)
        await fixture.runtime.topics.settle(advancing: fixture.clock)
        // 1 attempt + 3 retries 20 s apart, then given up (no dead-letter queue).
        #expect(fixture.http.posts.count == 5)
        #expect(fixture.clock.now == start + .seconds(60))
        let topic = try #require(fixture.runtime.topics.topic(arn: Self.declared))
        #expect(await topic.statistics.dropped == 1)
        #expect(await topic.undelivered.first?.errorCode == "HTTP500")
    }

    @Test func aDeliveryPolicyChangesTheRetriesAndClientErrorsAreNotRetried() async throws {
        let fixture = try SNSFixture()
        let policy = #"{"healthyRetryPolicy": {"numRetries": 1, "minDelayTarget": 5, "maxDelayTarget": 5}}"#
        let arn = try await confirmedHTTPSubscription(fixture, attributes: [("DeliveryPolicy", policy)])
        fixture.http.script([.status(502), .status(502)])
        _ = await fixture.call("Publish", [("TopicArn", Self.declared), ("Message", "m")])
        await fixture.runtime.topics.settle(advancing: fixture.clock)
        #expect(fixture.http.posts.count == 3)   // confirmation + 2 attempts

        _ = await fixture.call("SetSubscriptionAttributes", [("SubscriptionArn", arn), ("AttributeName", "RawMessageDelivery"), ("AttributeValue", "true")])
        fixture.http.script([.status(404)])
        _ = await fixture.call("Publish", [("TopicArn", Self.declared), ("Message", "raw")])
        await fixture.runtime.topics.settle(advancing: fixture.clock)
        let posts = fixture.http.posts
        #expect(posts.count == 4)
        #expect(posts[3].body == "raw" && posts[3].header("x-amz-sns-rawdelivery") == "true")
    }

    @Test func unsubscribingEndsScheduledRetries() async throws {
        let fixture = try SNSFixture()
        let arn = try await confirmedHTTPSubscription(fixture)
        fixture.http.script([.status(500)])
        _ = await fixture.call("Publish", [("TopicArn", Self.declared), ("Message", "m")])
        #expect(await fixture.call("Unsubscribe", [("SubscriptionArn", arn)]).status == 200)
        await fixture.runtime.topics.settle(advancing: fixture.clock)
        #expect(fixture.http.posts.count == 2)   // confirmation + the first attempt only
        #expect(await fixture.call("GetSubscriptionAttributes", [("SubscriptionArn", arn)]).status == 404)
    }

    @Test func jsonMessageStructureGivesEachProtocolItsMessageAndBatchesAnswerPerEntry() async throws {
        let fixture = try SNSFixture()
        _ = try await fixture.subscribe(Self.declared, "sqs", SNSFixture.queueArn("inbox"), [("RawMessageDelivery", "true")])
        let structured = #"{"default": "for everyone", "sqs": "for queues"}"#
        #expect(await fixture.call("Publish", [("TopicArn", Self.declared), ("Message", structured), ("MessageStructure", "json")]).status == 200)
        let batch = await fixture.call("PublishBatch", [
            ("TopicArn", Self.declared),
            ("PublishBatchRequestEntries.member.1.Id", "ok"), ("PublishBatchRequestEntries.member.1.Message", "second"),
            ("PublishBatchRequestEntries.member.2.Id", "bad"), ("PublishBatchRequestEntries.member.2.Message", "third"),
            ("PublishBatchRequestEntries.member.2.MessageGroupId", "g"),
        ])
        let text = SNSFixture.text(batch)
        #expect(text.contains("<Successful><member><Id>ok</Id><MessageId>"))
        #expect(text.contains("<Failed><member><Id>bad</Id><Code>InvalidParameter</Code><Message>"))
        #expect(text.contains("<SenderFault>true</SenderFault></member></Failed>"))
        #expect(try await fixture.drain("inbox").map(\.body) == ["for queues", "second"])
    }

    @Test func fifoTopicsNumberTheirMessagesAndDeduplicateByContent() async throws {
        let fixture = try SNSFixture()
        let topic = try await fixture.createTopic("ledger.fifo", [("FifoTopic", "true"), ("ContentBasedDeduplication", "true")])
        _ = try await fixture.subscribe(topic, "sqs", SNSFixture.queueArn("ordered.fifo"), [("RawMessageDelivery", "true")])
        var numbers: [String] = []
        for body in ["a", "b", "a"] {
            let r = await fixture.call("Publish", [("TopicArn", topic), ("Message", body), ("MessageGroupId", "g")])
            numbers.append(try #require(SNSFixture.element("SequenceNumber", in: r)))
        }
        #expect(numbers[0] < numbers[1] && numbers[2] == numbers[0])
        #expect(try await fixture.drain("ordered.fifo").map(\.body) == ["a", "b"])
    }

    @Test func subscriptionAttributesRoundTripAndFilterPoliciesApplyAtOnce() async throws {
        let fixture = try SNSFixture()
        let arn = try await fixture.subscribe(Self.declared, "sqs", SNSFixture.queueArn("inbox"), [
            ("FilterPolicy", #"{"kind": ["a"]}"#), ("RawMessageDelivery", "true"),
            ("RedrivePolicy", #"{"deadLetterTargetArn": "\#(SNSFixture.queueArn("inbox-dlq"))"}"#),
        ])
        let same = try await fixture.subscribe(Self.declared, "sqs", SNSFixture.queueArn("inbox"), [
            ("FilterPolicy", #"{"kind": ["a"]}"#), ("RawMessageDelivery", "true"),
            ("RedrivePolicy", #"{"deadLetterTargetArn": "\#(SNSFixture.queueArn("inbox-dlq"))"}"#),
        ])
        #expect(same == arn)
        let text = SNSFixture.text(await fixture.call("GetSubscriptionAttributes", [("SubscriptionArn", arn)]))
        #expect(text.contains("<entry><key>FilterPolicy</key><value>{&quot;kind&quot;:[&quot;a&quot;]}</value></entry>"))
        #expect(text.contains("<entry><key>RedrivePolicy</key><value>{&quot;deadLetterTargetArn&quot;:&quot;arn:aws:sqs:us-east-1:123456789012:inbox-dlq&quot;}</value></entry>"))
        func publish(_ kind: String) async { _ = await fixture.call("Publish", [("TopicArn", Self.declared), ("Message", kind), ("MessageAttributes.entry.1.Name", "kind"), ("MessageAttributes.entry.1.Value.DataType", "String"), ("MessageAttributes.entry.1.Value.StringValue", kind)]) }
        await publish("a")
        await publish("b")
        #expect(await fixture.call("SetSubscriptionAttributes", [("SubscriptionArn", arn), ("AttributeName", "FilterPolicy"), ("AttributeValue", #"{"kind": ["b"]}"#)]).status == 200)
        await publish("a")
        await publish("b")
        #expect(try await fixture.drain("inbox").map(\.body) == ["a", "b"])
        #expect(await fixture.call("SetSubscriptionAttributes", [("SubscriptionArn", arn), ("AttributeName", "FilterPolicy"), ("AttributeValue", "")]).status == 200)
        #expect(try #require(fixture.runtime.topics.subscription(arn: arn)).subscription.filterPolicy == nil)
    }

    @Test func tagsAreKeptPerTopicAndDroppedWithIt() async throws {
        let fixture = try SNSFixture()
        let tag = [("ResourceArn", Self.declared), ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "a"), ("Tags.member.2.Key", "env"), ("Tags.member.2.Value", "dev")]
        #expect(SNSFixture.text(await fixture.call("TagResource", tag)).contains("<TagResourceResult></TagResourceResult>"))
        _ = await fixture.call("UntagResource", [("ResourceArn", Self.declared), ("TagKeys.member.1", "team")])
        let listed = SNSFixture.text(await fixture.call("ListTagsForResource", [("ResourceArn", Self.declared)]))
        #expect(listed.contains("<Tags><member><Key>env</Key><Value>dev</Value></member></Tags>"))
        _ = await fixture.call("DeleteTopic", [("TopicArn", Self.declared)])
        _ = try await fixture.createTopic("declared")
        #expect(SNSFixture.text(await fixture.call("ListTagsForResource", [("ResourceArn", Self.declared)])).contains("<Tags></Tags>"))
    }

    @Test(arguments: [
        (#"{"healthyRetryPolicy": {"numRetries": 5, "numNoDelayRetries": 2, "minDelayTarget": 1, "maxDelayTarget": 8}}"#, 2, 3, 0),
        (#"{"http": {}}"#, 0, 3, 0),
    ]) func deliveryPoliciesBecomeRetryPhases(_ text: String, _ immediate: Int, _ backoff: Int, _ post: Int) throws {
        let policy = try DeliveryRetryPolicy(deliveryPolicy: text)
        #expect(policy.immediateRetries == immediate && policy.backoffRetries == backoff && policy.postBackoffRetries == post)
    }

    @Test func deliveryPolicyErrorsNameTheField() {
        #expect(throws: TopicError(.invalidParameter, "Invalid parameter: DeliveryPolicy: numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries (4) must not exceed numRetries (3).")) {
            try DeliveryRetryPolicy(deliveryPolicy: #"{"healthyRetryPolicy": {"numRetries": 3, "numNoDelayRetries": 4}}"#)
        }
        #expect(throws: TopicError(.invalidParameter, "Invalid parameter: DeliveryPolicy: healthyRetryPolicy.minDelayTarget (30) must not exceed maxDelayTarget (20).")) {
            try DeliveryRetryPolicy(deliveryPolicy: #"{"healthyRetryPolicy": {"minDelayTarget": 30}}"#)
        }
    }
}
