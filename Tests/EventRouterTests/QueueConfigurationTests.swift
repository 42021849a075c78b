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

    @Test(arguments: [
        (#"{"QueueName": "q", "VisibilityTimeout": 43201}"#, "Invalid value 43201 for the attribute VisibilityTimeout of queue 'q': must be between 0 and 43200 seconds."),
        (#"{"QueueName": "q", "DelaySeconds": 901}"#, "Invalid value 901 for the attribute DelaySeconds of queue 'q': must be between 0 and 900 seconds."),
        (#"{"QueueName": "q", "MessageRetentionPeriod": 59}"#, "Invalid value 59 for the attribute MessageRetentionPeriod of queue 'q': must be between 60 and 1209600 seconds."),
        (#"{"QueueName": "q", "MaximumMessageSize": 262145}"#, "Invalid value 262145 for the attribute MaximumMessageSize of queue 'q': must be between 1024 and 262144 bytes."),
        (#"{"QueueName": "q", "ReceiveMessageWaitTimeSeconds": 21}"#, "Invalid value 21 for the attribute ReceiveMessageWaitTimeSeconds of queue 'q': must be between 0 and 20 seconds."),
        (#"{"QueueName": "q", "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:r:1:d", "maxReceiveCount": 1001}}"#, "Invalid value 1001 for the attribute RedrivePolicy.maxReceiveCount of queue 'q': must be between 1 and 1000 receives."),
        (#"{"QueueName": "q", "FifoQueue": true}"#, "Queue 'q' sets FifoQueue true but its QueueName does not end in .fifo: rename it to 'q.fifo'."),
        (#"{"QueueName": "q.fifo", "FifoQueue": false}"#, "Queue 'q.fifo' ends in .fifo but is not a FIFO queue: set FifoQueue to true or drop the suffix."),
        (#"{"QueueName": "q", "ContentBasedDeduplication": true}"#, "Queue 'q' sets ContentBasedDeduplication but is not a FIFO queue: remove ContentBasedDeduplication or set FifoQueue to true (and end the name in .fifo)."),
        (#"{"QueueName": "q", "VisiblityTimeout": 5}"#, "Unknown key 'VisiblityTimeout' in queue 'q': use one of"),
        (#"{"VisibilityTimeout": 5}"#, "A Queues entry has no QueueName: add \"QueueName\": \"NAME\"."),
        (#"{"QueueName": "q", "DelaySeconds": "soon"}"#, "DelaySeconds of queue 'q' is \"soon\": use a whole number of seconds."),
        (#"{"QueueName": "q", "RedrivePolicy": {"maxReceiveCount": 3}}"#, "RedrivePolicy of queue 'q' has no deadLetterTargetArn string"),
        (#"{"QueueName": "q", "RedrivePolicy": {"deadLetterTargetArn": "nope", "maxReceiveCount": 3}}"#, "RedrivePolicy.deadLetterTargetArn of queue 'q' is 'nope', not a queue ARN"),
        (#"{"QueueName": "q", "RedriveAllowPolicy": {"redrivePermission": "some"}}"#, "RedriveAllowPolicy.redrivePermission of queue 'q' is \"some\": use \"allowAll\", \"denyAll\" or \"byQueue\"."),
        (#"{"QueueName": "bad name"}"#, "Queue name 'bad name' is invalid"),
    ])
    func rejectsWithAMessageNamingTheKey(json: String, message: String) throws {
        let error = try #require(try failure(json))
        #expect(error.message.hasPrefix(message), "\(error.message)")
    }

    /// Issue 10 item 7: `queue create --account 12` was accepted.
    @Test func theAccountMustBeTwelveDigits() throws {
        let object = try #require(try JSONParser.parse(#"{"QueueName": "q"}"#).objectValue)
        let error = #expect(throws: QueueError.self) { try QueueConfiguration(json: object, account: "12", region: "us-east-1").validate() }
        #expect(error?.message == "The account of queue 'q' is '12': an account id is exactly 12 digits, e.g. 123456789012.")
    }

    @Test func configurableMessageSizeLimit() throws {
        let object = try #require(try JSONParser.parse(#"{"QueueName": "big", "MaximumMessageSize": 1048576}"#).objectValue)
        let c = try QueueConfiguration(json: object, account: "123456789012", region: "r", maximumMessageSizeLimit: 1_048_576)
        #expect(c.maximumMessageSize == 1_048_576)
    }
}
