import Testing
@testable import EventRouter

@Suite struct QueueConfigurationTests {
    func parse(_ text: String) throws -> QueueConfiguration {
        let object = try #require(try JSONParser.parse(text).objectValue)
        return try QueueConfiguration(json: object, account: "111122223333", region: "eu-west-1")
    }

    func failure(_ text: String) throws -> QueueError? {
        let object = try #require(try JSONParser.parse(text).objectValue)
        do {
            _ = try QueueConfiguration(json: object, account: "111122223333", region: "eu-west-1")
            return nil
        } catch {
            return error
        }
    }

    @Test func defaultsAsSQS() throws {
        let c = try parse(#"{"QueueName": "orders"}"#)
        #expect(c.arn == "arn:aws:sqs:eu-west-1:111122223333:orders")
        #expect(!c.fifo && c.visibilityTimeout == 30 && c.delaySeconds == 0)
        #expect(c.messageRetentionPeriod == 345_600 && c.maximumMessageSize == 262_144)
        #expect(c.receiveMessageWaitTimeSeconds == 0 && c.redrivePolicy == nil && c.redriveAllowPolicy == .allowAll)
    }

    @Test func everyKey() throws {
        let c = try parse(#"""
            {"QueueName": "jobs.fifo", "FifoQueue": true, "ContentBasedDeduplication": true, "VisibilityTimeout": "60",
             "DelaySeconds": 5, "MessageRetentionPeriod": 600, "MaximumMessageSize": 2048, "ReceiveMessageWaitTimeSeconds": 20,
             "RedrivePolicy": "{\"deadLetterTargetArn\":\"arn:aws:sqs:eu-west-1:111122223333:dlq.fifo\",\"maxReceiveCount\":\"4\"}",
             "RedriveAllowPolicy": {"redrivePermission": "byQueue", "sourceQueueArns": ["arn:aws:sqs:eu-west-1:111122223333:a"]},
             "Account": "999988887777", "Tags": []}
            """#)
        #expect(c.fifo && c.contentBasedDeduplication && c.visibilityTimeout == 60 && c.delaySeconds == 5)
        #expect(c.messageRetentionPeriod == 600 && c.maximumMessageSize == 2048 && c.receiveMessageWaitTimeSeconds == 20)
        #expect(c.redrivePolicy == .init(deadLetterTargetArn: "arn:aws:sqs:eu-west-1:111122223333:dlq.fifo", maxReceiveCount: 4))
        #expect(c.redriveAllowPolicy == .byQueue(["arn:aws:sqs:eu-west-1:111122223333:a"]))
        #expect(c.account == "999988887777")
        #expect(c.maximumInFlightMessages == 20_000)
    }

    /// The one queue reader's (FieldReader's) wording, prefixed with the key: the same words a
    /// workspace file and CreateQueue/SetQueueAttributes get.
    @Test(arguments: [
        (#"{"QueueName": "q", "VisibilityTimeout": 43201}"#, "VisibilityTimeout: 'VisibilityTimeout' must be between 0 and 43200, got 43201"),
        (#"{"QueueName": "q", "DelaySeconds": 901}"#, "DelaySeconds: 'DelaySeconds' must be between 0 and 900, got 901"),
        (#"{"QueueName": "q", "MessageRetentionPeriod": 59}"#, "MessageRetentionPeriod: 'MessageRetentionPeriod' must be between 60 and 1209600, got 59"),
        (#"{"QueueName": "q", "MaximumMessageSize": 262145}"#, "MaximumMessageSize: 'MaximumMessageSize' must be between 1024 and 262144, got 262145"),
        (#"{"QueueName": "q", "ReceiveMessageWaitTimeSeconds": 21}"#, "ReceiveMessageWaitTimeSeconds: 'ReceiveMessageWaitTimeSeconds' must be between 0 and 20, got 21"),
        (#"{"QueueName": "q", "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:r:123456789012:d", "maxReceiveCount": 1001}}"#, "RedrivePolicy.maxReceiveCount: 'maxReceiveCount' must be between 1 and 1000, got 1001"),
        (#"{"QueueName": "q", "FifoQueue": true}"#, "FifoQueue: a FIFO queue's name must end in .fifo: rename 'q' to 'q.fifo'"),
        (#"{"QueueName": "q.fifo", "FifoQueue": false}"#, "FifoQueue: 'q.fifo' ends in .fifo, so 'FifoQueue' must be true: set it or drop the suffix"),
        (#"{"QueueName": "q", "ContentBasedDeduplication": true}"#, "ContentBasedDeduplication: 'ContentBasedDeduplication' is for FIFO queues only: remove it or make the queue FIFO (FifoQueue true, name ending in .fifo)"),
        (#"{"QueueName": "q", "VisiblityTimeout": 5}"#, "VisiblityTimeout: unknown key 'VisiblityTimeout' in a queue (did you mean 'VisibilityTimeout'?); allowed: Account,"),
        (#"{"VisibilityTimeout": 5}"#, "missing required key 'QueueName'"),
        (#"{"QueueName": "q", "DelaySeconds": "soon"}"#, "DelaySeconds: 'DelaySeconds' must be a whole number, not \"soon\""),
        (#"{"QueueName": "q", "RedrivePolicy": {"maxReceiveCount": 3}}"#, "RedrivePolicy: missing required key 'deadLetterTargetArn'"),
        (#"{"QueueName": "q", "RedrivePolicy": {"deadLetterTargetArn": "nope", "maxReceiveCount": 3}}"#, "RedrivePolicy.deadLetterTargetArn: malformed ARN 'nope'"),
        (#"{"QueueName": "q", "RedriveAllowPolicy": {"redrivePermission": "some"}}"#, "RedriveAllowPolicy.redrivePermission: 'redrivePermission' must be one of allowAll, denyAll, byQueue, got 'some'"),
        (#"{"QueueName": "bad name"}"#, "QueueName: 'QueueName' must be 1 to 80 letters, digits, '-' or '_' (a FIFO queue adds the suffix .fifo), got 'bad name'"),
    ])
    func rejectsWithAMessageNamingTheKey(json: String, message: String) throws {
        let error = try #require(try failure(json))
        #expect(error.message.hasPrefix(message), "\(error.message)")
    }

    /// Issue 10 item 7: `queue create --account 12` was accepted.
    @Test func theAccountMustBeTwelveDigits() throws {
        let object = try #require(try JSONParser.parse(#"{"QueueName": "q"}"#).objectValue)
        let error = #expect(throws: QueueError.self) { try QueueConfiguration(json: object, account: "12", region: "us-east-1").validate() }
        #expect(error?.message == "Account: 'Account' must be a 12-digit account id, got '12'")
    }

    @Test func configurableMessageSizeLimit() throws {
        let object = try #require(try JSONParser.parse(#"{"QueueName": "big", "MaximumMessageSize": 1048576}"#).objectValue)
        let c = try QueueConfiguration(json: object, account: "123456789012", region: "r", maximumMessageSizeLimit: 1_048_576)
        #expect(c.maximumMessageSize == 1_048_576)
    }
}
