import EventRouter
import Testing
@testable import EventRouterHTTP

/// SQS operations in process, in both protocols: one result, two renderings.
@Suite struct SQSOperationTests {
    static let work = SQSFixture.url("work")
    static let fifo = SQSFixture.url("jobs.fifo")

    @Test func createGetListAndAttributesInJSON() async throws {
        let fixture = try SQSFixture()
        let created = try SQSFixture.object(await fixture.json("CreateQueue", #"{"QueueName": "new", "Attributes": {"VisibilityTimeout": "60"}, "tags": {"team": "a"}}"#))
        #expect(created["QueueUrl"] == .string(SQSFixture.url("new")))
        let same = await fixture.json("CreateQueue", #"{"QueueName": "new", "Attributes": {"VisibilityTimeout": "60"}}"#)
        #expect(same.status == 200)
        let differing = await fixture.json("CreateQueue", #"{"QueueName": "new", "Attributes": {"DelaySeconds": "5"}}"#)
        #expect(try SQSFixture.object(differing)["__type"] == "QueueNameExists")
        #expect(differing.headers["x-amzn-query-error"] == "QueueAlreadyExists;Sender")
        #expect(try SQSFixture.object(differing)["message"]?.stringValue?.contains("different value for attribute DelaySeconds") == true)

        let page1 = try SQSFixture.object(await fixture.json("ListQueues", #"{"MaxResults": 2}"#))
        #expect(page1["QueueUrls"] == [.string(SQSFixture.url("jobs.fifo")), .string(SQSFixture.url("new"))])
        let token = try #require(page1["NextToken"]?.stringValue)
        let page2 = try SQSFixture.object(await fixture.json("ListQueues", #"{"MaxResults": 2, "NextToken": "\#(token)"}"#))
        #expect(page2["QueueUrls"] == [.string(Self.work), .string(SQSFixture.url("work-dlq"))])
        #expect(page2["NextToken"] == nil)
        let prefixed = try SQSFixture.object(await fixture.json("ListQueues", #"{"QueueNamePrefix": "work-"}"#))
        #expect(prefixed["QueueUrls"] == [.string(SQSFixture.url("work-dlq"))])

        let attributes = try SQSFixture.object(await fixture.json("GetQueueAttributes", #"{"QueueUrl": "\#(SQSFixture.url("new"))", "AttributeNames": ["All"]}"#))["Attributes"]
        #expect(attributes?["VisibilityTimeout"] == "60")
        #expect(attributes?["QueueArn"] == "arn:aws:sqs:us-east-1:123456789012:new")
        #expect(attributes?["CreatedTimestamp"] == .string(String(fixture.clock.now.millisecondsSinceEpoch / 1000)))
        let tags = try SQSFixture.object(await fixture.json("ListQueueTags", #"{"QueueUrl": "\#(SQSFixture.url("new"))"}"#))
        #expect(tags["Tags"] == ["team": "a"])
        #expect(await fixture.json("DeleteQueue", #"{"QueueUrl": "\#(SQSFixture.url("new"))"}"#).status == 200)
        #expect(fixture.runtime.queues.queue(arn: "arn:aws:sqs:us-east-1:123456789012:new") == nil)
    }

    @Test func setQueueAttributesChangesTheRuntimeQueue() async throws {
        let fixture = try SQSFixture()
        let set = #"{"QueueUrl": "\#(Self.work)", "Attributes": {"VisibilityTimeout": "5", "RedrivePolicy": "", "Policy": "{\"Statement\":[]}"}}"#
        #expect(await fixture.json("SetQueueAttributes", set).status == 200)
        let queue = try #require(fixture.runtime.queues.queue(arn: "arn:aws:sqs:us-east-1:123456789012:work"))
        #expect(queue.configuration.visibilityTimeout == 5)
        #expect(queue.configuration.redrivePolicy == nil)
        #expect(queue.configuration.policy == "{\"Statement\":[]}")
        let sources = try SQSFixture.object(await fixture.json("ListDeadLetterSourceQueues", #"{"QueueUrl": "\#(SQSFixture.url("work-dlq"))"}"#))
        #expect(sources["queueUrls"] == [])
    }

    @Test func sendReceiveDeleteInJSONWithDigestsAndSelectedAttributes() async throws {
        let fixture = try SQSFixture()
        let send = #"{"QueueUrl": "\#(Self.work)", "MessageBody": "h\u00e9llo \ud83d\ude00", "MessageAttributes": {"a.one": {"DataType": "String", "StringValue": "\u00fc"}, "b": {"DataType": "Binary", "BinaryValue": "AAE="}}, "MessageSystemAttributes": {"AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793"}}}"#
        let sent = try SQSFixture.object(await fixture.json("SendMessage", send))
        #expect(sent["MD5OfMessageBody"] == .string(SQSMessageMD5.body("héllo 😀")))
        #expect(sent["MD5OfMessageAttributes"] == .string(SQSMessageMD5.attributes(["a.one": .string("ü"), "b": .binary([0, 1])]) ?? ""))
        #expect(sent["MD5OfMessageSystemAttributes"] != nil)
        let receive = #"{"QueueUrl": "\#(Self.work)", "MessageAttributeNames": ["a.*"], "MessageSystemAttributeNames": ["SentTimestamp"], "AttributeNames": ["ApproximateReceiveCount"]}"#
        let message = try #require(try SQSFixture.object(await fixture.json("ReceiveMessage", receive))["Messages"]?[0])
        #expect(message["Body"] == "héllo 😀")
        #expect(message["MessageAttributes"] == ["a.one": ["StringValue": "ü", "DataType": "String"]])
        #expect(message["MD5OfMessageAttributes"] == .string(SQSMessageMD5.attributes(["a.one": .string("ü")]) ?? ""))
        #expect(message["Attributes"] == ["ApproximateReceiveCount": "1", "SentTimestamp": .string(String(fixture.clock.now.millisecondsSinceEpoch))])
        let handle = try #require(message["ReceiptHandle"]?.stringValue)
        #expect(await fixture.json("DeleteMessage", #"{"QueueUrl": "\#(Self.work)", "ReceiptHandle": "\#(handle)"}"#).status == 200)
        let stats = try await #require(fixture.runtime.queues.queue(arn: "arn:aws:sqs:us-east-1:123456789012:work")).statistics()
        #expect(stats.total == 0)
    }

    @Test func theQueryProtocolRendersTheSameResultsAsFlattenedXML() async throws {
        let fixture = try SQSFixture()
        let url = PercentEncoding.encode(Self.work)
        let created = SQSFixture.text(await fixture.query("Action=CreateQueue&QueueName=q2&Attribute.1.Name=DelaySeconds&Attribute.1.Value=0&Tag.1.Key=k&Tag.1.Value=v"))
        #expect(created.contains("<CreateQueueResult><QueueUrl>http://sqs.test:4566/123456789012/q2</QueueUrl></CreateQueueResult>"))
        let sent = SQSFixture.text(await fixture.query("Action=SendMessage&QueueUrl=\(url)&MessageBody=a+%26+b&MessageAttribute.1.Name=n&MessageAttribute.1.Value.DataType=Number&MessageAttribute.1.Value.StringValue=7"))
        #expect(sent.contains("<MD5OfMessageBody>\(SQSMessageMD5.body("a & b"))</MD5OfMessageBody>"))
        let received = SQSFixture.text(await fixture.query("Action=ReceiveMessage&QueueUrl=\(url)&AttributeName.1=ApproximateReceiveCount&MessageAttributeName.1=All"))
        #expect(received.contains("<ReceiveMessageResult><Message><MessageId>"))
        #expect(received.contains("<Body>a &amp; b</Body><Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>"))
        #expect(received.contains("<MessageAttribute><Name>n</Name><Value><StringValue>7</StringValue><DataType>Number</DataType></Value></MessageAttribute>"))
        let batch = SQSFixture.text(await fixture.query("Action=SendMessageBatch&QueueUrl=\(url)&SendMessageBatchRequestEntry.1.Id=ok&SendMessageBatchRequestEntry.1.MessageBody=x&SendMessageBatchRequestEntry.2.Id=bad&SendMessageBatchRequestEntry.2.MessageBody=y&SendMessageBatchRequestEntry.2.DelaySeconds=999"))
        #expect(batch.contains("<SendMessageBatchResultEntry><Id>ok</Id>"))
        #expect(batch.contains("<BatchResultErrorEntry><Id>bad</Id><SenderFault>true</SenderFault><Code>InvalidParameterValue</Code>"))
        let tags = SQSFixture.text(await fixture.query("Action=ListQueueTags&QueueUrl=\(PercentEncoding.encode(SQSFixture.url("q2")))"))
        #expect(tags.contains("<ListQueueTagsResult><Tag><Key>k</Key><Value>v</Value></Tag></ListQueueTagsResult>"))
        let deleted = SQSFixture.text(await fixture.query("Action=DeleteQueue&QueueUrl=\(PercentEncoding.encode(SQSFixture.url("q2")))"))
        #expect(deleted.contains("<DeleteQueueResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><ResponseMetadata>"))
    }

    @Test func aQueryCallPostedToTheQueueURLPathNeedsNoQueueUrl() async throws {
        let fixture = try SQSFixture()
        let sent = await fixture.query("Action=SendMessage&MessageBody=by+path", path: "/123456789012/work")
        #expect(sent.status == 200)
        let received = SQSFixture.text(await fixture.query("Action=ReceiveMessage", path: "/queue/us-east-1/123456789012/work"))
        #expect(received.contains("<Body>by path</Body>"))
        let unsigned = HTTPRequest(method: "POST", target: "/123456789012/work", headers: HTTPHeaders([
            ("Host", "sqs.test:4566"), ("Content-Type", "application/x-www-form-urlencoded"),
        ]), body: Array("Action=GetQueueAttributes&AttributeName.1=QueueArn".utf8))
        let attributes = SQSFixture.text(await fixture.endpoint.handle(unsigned))
        #expect(attributes.contains("<Attribute><Name>QueueArn</Name><Value>arn:aws:sqs:us-east-1:123456789012:work</Value></Attribute>"), "\(attributes)")
    }

    @Test func fifoReceiveAttemptsReturnTheSameMessagesWhileInFlight() async throws {
        let fixture = try SQSFixture()
        for (body, group) in [("a1", "a"), ("a2", "a"), ("b1", "b"), ("a1", "a")] {
            _ = await fixture.json("SendMessage", #"{"QueueUrl": "\#(Self.fifo)", "MessageBody": "\#(body)", "MessageGroupId": "\#(group)"}"#)
        }
        let receive = #"{"QueueUrl": "\#(Self.fifo)", "MaxNumberOfMessages": 10, "ReceiveRequestAttemptId": "attempt-1"}"#
        let first = try SQSFixture.object(await fixture.json("ReceiveMessage", receive))
        #expect(first["Messages"]?.arrayValue?.map { $0["Body"] } == ["a1", "a2", "b1"])
        let retry = try SQSFixture.object(await fixture.json("ReceiveMessage", receive))
        #expect(retry == first)
        fixture.clock.advance(by: .seconds(30))
        let afterTimeout = try SQSFixture.object(await fixture.json("ReceiveMessage", receive))
        #expect(afterTimeout["Messages"]?.arrayValue?.map { $0["ReceiptHandle"] } != first["Messages"]?.arrayValue?.map { $0["ReceiptHandle"] })
    }

    @Test func redriveMoveTaskAndDeadLetterSources() async throws {
        let fixture = try SQSFixture()
        _ = await fixture.json("SendMessage", #"{"QueueUrl": "\#(Self.work)", "MessageBody": "poison"}"#)
        let receive = #"{"QueueUrl": "\#(Self.work)", "VisibilityTimeout": 0}"#
        for _ in 0..<2 { #expect(try SQSFixture.object(await fixture.json("ReceiveMessage", receive))["Messages"] != nil) }
        #expect(SQSFixture.text(await fixture.json("ReceiveMessage", receive)) == "{}")
        let sources = try SQSFixture.object(await fixture.json("ListDeadLetterSourceQueues", #"{"QueueUrl": "\#(SQSFixture.url("work-dlq"))"}"#))
        #expect(sources["queueUrls"] == [.string(Self.work)])
        let dlqArn = "arn:aws:sqs:us-east-1:123456789012:work-dlq"
        let started = try SQSFixture.object(await fixture.json("StartMessageMoveTask", #"{"SourceArn": "\#(dlqArn)", "MaxNumberOfMessagesPerSecond": 10}"#))
        let handle = try #require(started["TaskHandle"]?.stringValue)
        let tasks = try SQSFixture.object(await fixture.json("ListMessageMoveTasks", #"{"SourceArn": "\#(dlqArn)"}"#))["Results"]?[0]
        #expect(tasks?["Status"] == "COMPLETED")
        #expect(tasks?["ApproximateNumberOfMessagesMoved"] == 1)
        #expect(tasks?["MaxNumberOfMessagesPerSecond"] == 10)
        let cancel = await fixture.json("CancelMessageMoveTask", #"{"TaskHandle": "\#(handle)"}"#)
        #expect(cancel.status == 404)
        #expect(try SQSFixture.object(cancel)["message"]?.stringValue?.contains("is COMPLETED, not RUNNING") == true)
        let back = try SQSFixture.object(await fixture.json("ReceiveMessage", #"{"QueueUrl": "\#(Self.work)"}"#))
        #expect(back["Messages"]?[0]?["Body"] == "poison")
    }

    @Test func permissionsEditThePolicy() async throws {
        let fixture = try SQSFixture()
        let add = #"{"QueueUrl": "\#(Self.work)", "Label": "send", "AWSAccountIds": ["111122223333"], "Actions": ["SendMessage"]}"#
        #expect(await fixture.json("AddPermission", add).status == 200)
        #expect(try SQSFixture.object(await fixture.json("AddPermission", add))["message"]?.stringValue?.contains("Already exists") == true)
        let policy = try #require(fixture.runtime.queues.queue(arn: "arn:aws:sqs:us-east-1:123456789012:work")?.configuration.policy)
        #expect(policy.contains("\"Sid\":\"send\""))
        #expect(policy.contains("arn:aws:iam::111122223333:root"))
        #expect(await fixture.json("RemovePermission", #"{"QueueUrl": "\#(Self.work)", "Label": "send"}"#).status == 200)
        #expect(fixture.runtime.queues.queue(arn: "arn:aws:sqs:us-east-1:123456789012:work")?.configuration.policy == nil)
    }

    /// A changed MessageRetentionPeriod applies to the messages already held, both ways.
    @Test func changingTheRetentionRetimesHeldMessages() async throws {
        let fixture = try SQSFixture()
        let url = SQSFixture.url("kept")
        _ = await fixture.json("CreateQueue", #"{"QueueName": "kept", "Attributes": {"MessageRetentionPeriod": "60"}}"#)
        _ = await fixture.json("SendMessage", #"{"QueueUrl": "\#(url)", "MessageBody": "old"}"#)
        _ = await fixture.json("SetQueueAttributes", #"{"QueueUrl": "\#(url)", "Attributes": {"MessageRetentionPeriod": "120"}}"#)
        fixture.clock.advance(by: .seconds(61))
        let count = #"{"QueueUrl": "\#(url)", "AttributeNames": ["ApproximateNumberOfMessages"]}"#
        #expect(try SQSFixture.object(await fixture.json("GetQueueAttributes", count))["Attributes"]?["ApproximateNumberOfMessages"] == "1")
        _ = await fixture.json("SetQueueAttributes", #"{"QueueUrl": "\#(url)", "Attributes": {"MessageRetentionPeriod": "60"}}"#)
        #expect(try SQSFixture.object(await fixture.json("GetQueueAttributes", count))["Attributes"]?["ApproximateNumberOfMessages"] == "0")
    }

    /// JSON calls sent to the queue URL (JS SDK v3's `useQueueUrlAsEndpoint`) and query GETs.
    @Test func aJSONCallToTheQueueURLPathAndAQueryGET() async throws {
        let fixture = try SQSFixture()
        let json = HTTPRequest(method: "POST", target: "/123456789012/work", headers: HTTPHeaders([
            ("Host", "sqs.test:4566"), ("X-Amz-Target", "AmazonSQS.SendMessage"), ("Content-Type", "application/x-amz-json-1.0"),
        ]), body: Array(#"{"MessageBody": "to the path"}"#.utf8))
        #expect(await fixture.endpoint.handle(json).status == 200)
        let get = HTTPRequest(method: "GET", target: "/?Action=ReceiveMessage&Version=2012-11-05&QueueUrl=\(PercentEncoding.encode(Self.work))",
                              headers: HTTPHeaders([("Host", "sqs.test:4566")]))
        #expect(SQSFixture.text(await fixture.endpoint.handle(get)).contains("<Body>to the path</Body>"))
    }
}
