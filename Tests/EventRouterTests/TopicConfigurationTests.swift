import Testing
@testable import EventRouter

private let account = "123456789012"
private let region = "us-east-1"

/// Parses a `Topics` entry given as JSON text.
func topicConfiguration(_ text: String) throws -> TopicConfiguration {
    let json = try #require(try JSONParser.parse(text).objectValue)
    return try TopicConfiguration(json: json, account: account, region: region)
}

/// The message of the ``TopicError`` a `Topics` entry produces, or `nil` if it is valid.
func topicConfigurationError(_ text: String) -> TopicError? {
    do {
        guard let json = try JSONParser.parse(text).objectValue else { return nil }
        _ = try TopicConfiguration(json: json, account: account, region: region)
        return nil
    } catch let error as TopicError {
        return error
    } catch {
        return nil
    }
}

@Suite struct TopicConfigurationTests {
    @Test func parsesAFullEntry() throws {
        let c = try topicConfiguration("""
            {"TopicName": "orders.fifo", "FifoTopic": true, "ContentBasedDeduplication": "true", "DisplayName": "ignored",
             "Subscription": [
               {"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:billing.fifo",
                "FilterPolicy": "{\\"kind\\": [\\"order\\"]}", "RawMessageDelivery": true,
                "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:dlq.fifo"}},
               {"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:audit.fifo",
                "FilterPolicy": {"order": {"total": [{"numeric": [">", 100]}]}}, "FilterPolicyScope": "MessageBody"}
             ]}
            """)
        #expect(c.arn == "arn:aws:sns:us-east-1:123456789012:orders.fifo")
        #expect(c.fifo && c.contentBasedDeduplication)
        #expect(c.subscriptions.count == 2)
        let first = c.subscriptions[0]
        #expect(first.endpointProtocol == .sqs && first.rawMessageDelivery)
        #expect(first.deadLetterTargetArn == "arn:aws:sqs:us-east-1:123456789012:dlq.fifo")
        #expect(first.filterPolicyScope == .messageAttributes)
        #expect(first.filterPolicy?.matches(attributes: ["kind": .string("order")]) == true)
        #expect(first.arn.hasPrefix(c.arn + ":"))
        #expect(c.subscriptions[1].filterPolicyScope == .messageBody)
        #expect(c.subscriptions[1].filterPolicy?.matches(body: #"{"order":{"total":101}}"#) == true)
        // Subscription ARNs are stable across loads and distinct per subscription.
        let again = try topicConfiguration(#"{"TopicName": "orders.fifo", "ContentBasedDeduplication": true, "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:billing.fifo"}]}"#)
        #expect(again.subscriptions[0].arn == first.arn)
        #expect(c.subscriptions[1].arn != first.arn)
    }

    @Test func accountAndRegionOverrideTheFileDefaults() throws {
        let c = try topicConfiguration(#"{"TopicName": "t", "Account": "210987654321", "Region": "eu-west-1"}"#)
        #expect(c.arn == "arn:aws:sns:eu-west-1:210987654321:t")
    }

    static let problems: [(String, String)] = [
        (#"{"TopicName": "t", "Subscriptions": []}"#, "Invalid parameter: topic 't': $.Subscriptions: unknown key 'Subscriptions' in an entry of Topics (did you mean 'Subscription'?)"),
        (#"{"TopicName": "t", "Colour": 1}"#, "$.Colour: unknown key 'Colour' in an entry of Topics; allowed: TopicName, FifoTopic, ContentBasedDeduplication, Subscription, Account, Region"),
        (#"{"FifoTopic": false}"#, "a Topics entry: $: missing required key 'TopicName'"),
        (#"{"TopicName": "t", "FifoTopic": true}"#, "$.TopicName: 'TopicName' 't' must end with .fifo for a FIFO topic: rename it to 't.fifo'"),
        (#"{"TopicName": "t.fifo", "FifoTopic": false}"#, "ends with .fifo but FifoTopic is false"),
        (#"{"TopicName": "bad name"}"#, "$.TopicName: 'TopicName' must be 1 to 256 letters, digits, hyphens or underscores, got 'bad name'"),
        (#"{"TopicName": "t", "ContentBasedDeduplication": true}"#, "$.ContentBasedDeduplication: 'ContentBasedDeduplication' is only valid for FIFO topics"),
        (#"{"TopicName": "t", "Subscription": [{"Protocol": "http", "Endpoint": "https://x"}]}"#, "$.Subscription[0].Protocol: 'Protocol' must be one of sqs, lambda, got 'http'"),
        (#"{"TopicName": "t", "Subscription": [{"Protocol": "SQS", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q"}]}"#, "$.Subscription[0].Protocol: 'Protocol' must be one of sqs, lambda, got 'SQS' (values are case-sensitive: write 'sqs')"),
        (#"{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sns:us-east-1:123456789012:q"}]}"#, "$.Subscription[0].Endpoint: 'Endpoint' must be a queue ARN, not a topic ARN"),
        (#"{"TopicName": "t", "Subscription": [{"Protocol": "lambda", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q"}]}"#, "'Endpoint' must be a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME), got 'arn:aws:sqs:us-east-1:123456789012:q'"),
        (#"{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpont": "x"}]}"#, "$.Subscription[0].Endpont: unknown key 'Endpont' in a subscription (did you mean 'Endpoint'?)"),
        (#"{"TopicName": "t.fifo", "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:plain"}]}"#, "$.Subscription[0].Endpoint: 'Endpoint' arn:aws:sqs:us-east-1:123456789012:plain is a standard queue, but FIFO topic t.fifo delivers only to FIFO queues: subscribe a queue whose name ends with .fifo"),
        (#"{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q.fifo"}]}"#, "FIFO SQS Queues can not be subscribed to standard SNS topics"),
        (#"{"TopicName": "t.fifo", "Subscription": [{"Protocol": "lambda", "Endpoint": "arn:aws:lambda:us-east-1:123456789012:function:f"}]}"#, "FIFO topic t.fifo cannot deliver to a lambda endpoint"),
        (#"{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q", "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:dlq.fifo"}}]}"#, "is a FIFO queue, but a standard topic's dead-letter queue must be a standard queue"),
        (#"{"TopicName": "t.fifo", "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q.fifo", "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:dlq"}}]}"#, "is a standard queue, but a FIFO topic's dead-letter queue must be a FIFO queue"),
        (#"{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q", "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:eu-west-1:123456789012:dlq"}}]}"#, "must be in the subscription's account and region"),
        (#"{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q", "RedrivePolicy": {"deadLetterTarget": "x"}}]}"#, "did you mean 'deadLetterTargetArn'?"),
        (#"{"TopicName": "t", "Subscription": [{"Protocol": "lambda", "Endpoint": "arn:aws:lambda:us-east-1:123456789012:function:f", "RawMessageDelivery": true}]}"#, "'RawMessageDelivery' applies to sqs subscriptions only"),
        (#"{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q", "FilterPolicyScope": "Body"}]}"#, "$.Subscription[0].FilterPolicyScope: 'FilterPolicyScope' must be one of MessageAttributes, MessageBody, got 'Body'"),
        (#"{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q", "FilterPolicy": {"a": {"b": ["x"]}}}]}"#, "$.Subscription[0].FilterPolicy: 'FilterPolicy' is not valid: Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy"),
        (#"{"TopicName": "t", "Subscription": {"Protocol": "sqs"}}"#, "$.Subscription: 'Subscription' must be an array of subscriptions, not object"),
    ]

    @Test(arguments: problems)
    func reportsEachProblem(_ entry: String, _ expected: String) throws {
        let error = try #require(topicConfigurationError(entry))
        #expect(error.code == .invalidParameter)
        #expect(error.message.contains(expected), "\(error.message)")
    }

    @Test func reportsEveryProblemAtOnce() throws {
        let error = try #require(topicConfigurationError("""
            {"TopicName": "t.fifo", "Colour": 1, "Subscription": [
              {"Protocol": "lambda", "Endpoint": "arn:aws:lambda:us-east-1:123456789012:function:f"},
              {"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:plain"}]}
            """))
        #expect(error.description == """
            InvalidParameter: Invalid parameter: topic 't.fifo' has 3 problems:
              1. $.Colour: unknown key 'Colour' in an entry of Topics; allowed: TopicName, FifoTopic, ContentBasedDeduplication, Subscription, Account, Region
              2. $.Subscription[0].Endpoint: 'Endpoint' arn:aws:lambda:us-east-1:123456789012:function:f: FIFO topic t.fifo cannot deliver to a lambda endpoint (FIFO topics deliver only to SQS FIFO queues): subscribe a FIFO queue, or use a standard topic
              3. $.Subscription[1].Endpoint: 'Endpoint' arn:aws:sqs:us-east-1:123456789012:plain is a standard queue, but FIFO topic t.fifo delivers only to FIFO queues: subscribe a queue whose name ends with .fifo
            """)
    }
}
