import EventRouter
import Testing
@testable import EventRouterHTTP

/// Every class of bad SQS input answered with AWS's status, shape name (`__type`), legacy code
/// (`x-amzn-query-error` / query `<Code>`) and a message that says what to change.
@Suite struct SQSErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// JSON: the operation; query: nil.
        var operation: String?
        var body: String
        var status: Int
        /// `__type` (JSON) or `<Code>` (query).
        var code: String
        /// The `x-amzn-query-error` code (JSON only).
        var queryCode: String?
        var fragment: String
        var testDescription: String { name }
    }

    static let work = SQSFixture.url("work")
    static let missing = SQSFixture.url("missing")
    static let elevenEntries = "[" + (1...11).map { "{\"Id\":\"e\($0)\",\"MessageBody\":\"x\"}" }.joined(separator: ",") + "]"

    static let jsonCases: [Case] = [
        Case(name: "body is not an object", operation: "GetQueueUrl", body: "[1]", status: 400, code: "SerializationException", queryCode: "SerializationException",
             fragment: "must be a JSON object ({...}), not array"),
        Case(name: "body is not JSON", operation: "GetQueueUrl", body: "{\"QueueName\":", status: 400, code: "SerializationException", queryCode: "SerializationException",
             fragment: "not valid JSON"),
        Case(name: "string member of the wrong type", operation: "GetQueueUrl", body: #"{"QueueName": 5}"#, status: 400, code: "SerializationException",
             queryCode: "SerializationException", fragment: "member 'QueueName' must be a string, not number"),
        Case(name: "number member of the wrong type", operation: "ReceiveMessage", body: #"{"QueueUrl": "\#(work)", "MaxNumberOfMessages": "ten"}"#, status: 400,
             code: "SerializationException", queryCode: "SerializationException", fragment: "member 'MaxNumberOfMessages' must be a whole number, not string"),
        Case(name: "map value of the wrong type", operation: "CreateQueue", body: #"{"QueueName": "q", "Attributes": {"VisibilityTimeout": 5}}"#, status: 400,
             code: "SerializationException", queryCode: "SerializationException", fragment: "member 'Attributes.VisibilityTimeout' must be a string, not number"),
        Case(name: "batch entry of the wrong type", operation: "SendMessageBatch", body: #"{"QueueUrl": "\#(work)", "Entries": ["x"]}"#, status: 400,
             code: "SerializationException", queryCode: "SerializationException", fragment: "member 'Entries[0]' must be a structure, not string"),
        Case(name: "missing required member", operation: "GetQueueUrl", body: "{}", status: 400, code: "MissingParameter", queryCode: "MissingParameter",
             fragment: "The request must contain the parameter QueueName."),
        Case(name: "missing member of a batch entry", operation: "DeleteMessageBatch", body: #"{"QueueUrl": "\#(work)", "Entries": [{"ReceiptHandle": "h"}]}"#,
             status: 400, code: "MissingParameter", queryCode: "MissingParameter", fragment: "The request must contain the parameter Entries[0].Id."),
        Case(name: "unknown operation", operation: "FlyAway", body: "{}", status: 400, code: "UnknownOperationException", queryCode: "UnknownOperationException",
             fragment: "sqs has no operation FlyAway"),
        Case(name: "queue that does not exist", operation: "SendMessage", body: #"{"QueueUrl": "\#(missing)", "MessageBody": "x"}"#, status: 400,
             code: "QueueDoesNotExist", queryCode: "AWS.SimpleQueueService.NonExistentQueue", fragment: "no queue 'missing' in account 123456789012"),
        Case(name: "queue URL that is no URL", operation: "SendMessage", body: #"{"QueueUrl": "work", "MessageBody": "x"}"#, status: 400,
             code: "QueueDoesNotExist", queryCode: "AWS.SimpleQueueService.NonExistentQueue", fragment: "QueueUrl 'work' is not a queue URL"),
        Case(name: "receipt handle that is no handle", operation: "DeleteMessage", body: #"{"QueueUrl": "\#(work)", "ReceiptHandle": "nope"}"#, status: 400,
             code: "ReceiptHandleIsInvalid", queryCode: "ReceiptHandleIsInvalid", fragment: "\"nope\" is not a valid receipt handle"),
        Case(name: "empty batch", operation: "SendMessageBatch", body: #"{"QueueUrl": "\#(work)", "Entries": []}"#, status: 400,
             code: "EmptyBatchRequest", queryCode: "AWS.SimpleQueueService.EmptyBatchRequest", fragment: "doesn't contain any entries"),
        Case(name: "batch ids not distinct", operation: "DeleteMessageBatch",
             body: #"{"QueueUrl": "\#(work)", "Entries": [{"Id": "a", "ReceiptHandle": "h"}, {"Id": "a", "ReceiptHandle": "h"}]}"#, status: 400,
             code: "BatchEntryIdsNotDistinct", queryCode: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", fragment: "have the id 'a'"),
        Case(name: "too many batch entries", operation: "SendMessageBatch", body: #"{"QueueUrl": "\#(work)", "Entries": \#(elevenEntries)}"#, status: 400,
             code: "TooManyEntriesInBatchRequest", queryCode: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", fragment: "contains 11 entries"),
        Case(name: "invalid batch entry id", operation: "SendMessageBatch", body: #"{"QueueUrl": "\#(work)", "Entries": [{"Id": "a b", "MessageBody": "x"}]}"#,
             status: 400, code: "InvalidBatchEntryId", queryCode: "AWS.SimpleQueueService.InvalidBatchEntryId", fragment: "'a b' is invalid"),
        Case(name: "unknown attribute name", operation: "GetQueueAttributes", body: #"{"QueueUrl": "\#(work)", "AttributeNames": ["VisibilityTimeOut"]}"#,
             status: 400, code: "InvalidAttributeName", queryCode: "InvalidAttributeName", fragment: "Unknown Attribute VisibilityTimeOut. (did you mean 'VisibilityTimeout'?)"),
        Case(name: "unknown settable attribute", operation: "CreateQueue", body: #"{"QueueName": "q", "Attributes": {"QueueArn": "x"}}"#, status: 400,
             code: "InvalidAttributeName", queryCode: "InvalidAttributeName", fragment: "Unknown Attribute QueueArn"),
        Case(name: "attribute value out of range", operation: "CreateQueue", body: #"{"QueueName": "q", "Attributes": {"VisibilityTimeout": "43201"}}"#,
             status: 400, code: "InvalidAttributeValue", queryCode: "InvalidAttributeValue", fragment: "VisibilityTimeout: 'VisibilityTimeout' must be between 0 and 43200, got 43201"),
        Case(name: "attribute value not a number", operation: "SetQueueAttributes", body: #"{"QueueUrl": "\#(work)", "Attributes": {"DelaySeconds": "soon"}}"#,
             status: 400, code: "InvalidAttributeValue", queryCode: "InvalidAttributeValue", fragment: "DelaySeconds: 'DelaySeconds' must be a whole number, not \"soon\""),
        Case(name: "invalid queue name", operation: "CreateQueue", body: #"{"QueueName": "no spaces"}"#, status: 400,
             code: "InvalidParameterValue", queryCode: "InvalidParameterValue", fragment: "QueueName: 'QueueName' must be 1 to 80 letters, digits, '-' or '_' (a FIFO queue adds the suffix .fifo), got 'no spaces'"),
        Case(name: "redrive to a queue that does not exist", operation: "CreateQueue",
             body: #"{"QueueName": "q", "Attributes": {"RedrivePolicy": "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:123456789012:none\",\"maxReceiveCount\":3}"}}"#,
             status: 400, code: "InvalidParameterValue", queryCode: "InvalidParameterValue", fragment: "Dead letter target does not exist"),
        Case(name: "changing FifoQueue", operation: "SetQueueAttributes", body: #"{"QueueUrl": "\#(SQSFixture.url("jobs.fifo"))", "Attributes": {"FifoQueue": "false"}}"#,
             status: 400, code: "InvalidAttributeValue", queryCode: "InvalidAttributeValue", fragment: "FifoQueue: 'jobs.fifo' ends in .fifo, so 'FifoQueue' must be true"),
        Case(name: "parameter out of range", operation: "ReceiveMessage", body: #"{"QueueUrl": "\#(work)", "MaxNumberOfMessages": 11}"#, status: 400,
             code: "InvalidParameterValue", queryCode: "InvalidParameterValue", fragment: "Value 11 for parameter MaxNumberOfMessages is invalid"),
        Case(name: "binary attribute that is not base64", operation: "SendMessage",
             body: #"{"QueueUrl": "\#(work)", "MessageBody": "x", "MessageAttributes": {"b": {"DataType": "Binary", "BinaryValue": "%%%"}}}"#, status: 400,
             code: "InvalidParameterValue", queryCode: "InvalidParameterValue", fragment: "is not valid base64"),
        Case(name: "FIFO message without a group", operation: "SendMessage", body: #"{"QueueUrl": "\#(SQSFixture.url("jobs.fifo"))", "MessageBody": "x"}"#,
             status: 400, code: "MissingParameter", queryCode: "MissingParameter", fragment: "MessageGroupId"),
        Case(name: "move task from a queue that does not exist", operation: "StartMessageMoveTask", body: #"{"SourceArn": "arn:aws:sqs:us-east-1:123456789012:none"}"#,
             status: 404, code: "ResourceNotFoundException", queryCode: "ResourceNotFoundException", fragment: "doesn't exist"),
    ]

    @Test(arguments: jsonCases)
    func jsonProtocol(_ c: Case) async throws {
        let fixture = try SQSFixture()
        let response = await fixture.json(c.operation ?? "", c.body)
        #expect(response.status == c.status)
        let body = try SQSFixture.object(response)
        #expect(body["__type"]?.stringValue == c.code)
        #expect(response.headers["x-amzn-query-error"] == "\(c.queryCode ?? c.code);Sender")
        let message = body["message"]?.stringValue ?? ""
        #expect(message.contains(c.fragment), "\(message)")
    }

    static let queryCases: [Case] = [
        Case(name: "unknown action", body: "Action=FlyAway", status: 400, code: "InvalidAction", fragment: "The action FlyAway is not valid for this web service"),
        Case(name: "missing required parameter", body: "Action=GetQueueUrl", status: 400, code: "MissingParameter",
             fragment: "The request must contain the parameter QueueName."),
        Case(name: "number parameter that is not a number", body: "Action=ReceiveMessage&QueueUrl=\(PercentEncoding.encode(work))&MaxNumberOfMessages=ten",
             status: 400, code: "InvalidParameterValue", fragment: "Value ten for parameter MaxNumberOfMessages is invalid. Reason: must be a whole number."),
        Case(name: "queue that does not exist", body: "Action=GetQueueUrl&QueueName=missing", status: 400, code: "AWS.SimpleQueueService.NonExistentQueue",
             fragment: "no queue 'missing'"),
        Case(name: "list position that is not a number", body: "Action=GetQueueAttributes&QueueUrl=\(PercentEncoding.encode(work))&AttributeName.first=All",
             status: 400, code: "InvalidParameterValue", fragment: "'first' is not a list position"),
        Case(name: "too many batch entries", body: "Action=DeleteMessageBatch&QueueUrl=\(PercentEncoding.encode(work))&"
                + (1...11).map { "DeleteMessageBatchRequestEntry.\($0).Id=e\($0)&DeleteMessageBatchRequestEntry.\($0).ReceiptHandle=h" }.joined(separator: "&"),
             status: 400, code: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", fragment: "contains 11 entries"),
        Case(name: "malformed form encoding", body: "Action=SendMessage&MessageBody=%ZZ", status: 400, code: "MalformedQueryString",
             fragment: "'%' must be followed by two hex digits"),
        Case(name: "wait longer than 20 seconds", body: "Action=ReceiveMessage&QueueUrl=\(PercentEncoding.encode(work))&WaitTimeSeconds=21", status: 400,
             code: "InvalidParameterValue", fragment: "WaitTimeSeconds"),
    ]

    @Test(arguments: queryCases)
    func queryProtocol(_ c: Case) async throws {
        let fixture = try SQSFixture()
        let response = await fixture.query(c.body)
        #expect(response.status == c.status)
        let text = SQSFixture.text(response)
        #expect(text.contains("<ErrorResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><Error><Type>Sender</Type><Code>\(c.code)</Code>") || c.code == "MalformedQueryString", "\(text)")
        #expect(text.contains("<Code>\(c.code)</Code>"), "\(text)")
        #expect(text.contains(XMLText.escape(c.fragment)), "\(text)")
    }

    @Test func purgingTwiceWithinAMinuteIsPurgeQueueInProgressUntilTheMinuteHasPassed() async throws {
        let fixture = try SQSFixture()
        let purge = #"{"QueueUrl": "\#(Self.work)"}"#
        #expect(await fixture.json("PurgeQueue", purge).status == 200)
        let again = await fixture.json("PurgeQueue", purge)
        #expect(again.status == 403)
        #expect(try SQSFixture.object(again)["__type"] == "PurgeQueueInProgress")
        #expect(again.headers["x-amzn-query-error"] == "AWS.SimpleQueueService.PurgeQueueInProgress;Sender")
        fixture.clock.advance(by: .seconds(60))
        #expect(await fixture.json("PurgeQueue", purge).status == 200)
    }

    /// Issue 11 item 4: one queue reader, so `validate` on a file and CreateQueue on the wire
    /// word the same mistake the same way.
    @Test(arguments: [
        (#""VisibilityTimeout": 99999"#, #""VisibilityTimeout": "99999""#),
        (#""RedriveAllowPolicy": {"redrivePermission": "byQueue"}"#, #""RedriveAllowPolicy": "{\"redrivePermission\": \"byQueue\"}""#),
        (#""MaximumMessageSize": "big""#, #""MaximumMessageSize": "big""#),
    ])
    func aWorkspaceFileAndCreateQueueShareTheReasons(_ fileMember: String, _ wireMember: String) async throws {
        let file = WorkspaceLoader.validate(files: [(name: "Rules/q.json", text: #"{"Queues": [{"QueueName": "q", \#(fileMember)}]}"#)])
        let problem = try #require(file.problems.first { $0.severity == .error })
        let fixture = try SQSFixture()
        let response = await fixture.json("CreateQueue", #"{"QueueName": "q", "Attributes": {\#(wireMember)}}"#)
        let message = try #require(try SQSFixture.object(response)["message"]?.stringValue)
        #expect(message.hasSuffix(": " + problem.message), "\(message) vs \(problem.message)")
        #expect(!problem.message.isEmpty)
    }
}
