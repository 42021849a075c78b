import Testing
@testable import EventRouter

@Suite struct TopicConfigurationTests {
    func parse(_ text: String) throws -> TopicConfiguration {
        try TopicConfiguration(json: #require(JSONValue(parsing: text).objectValue), account: "123456789012", region: "us-east-1")
    }

    @Test func readsATopicWithSubscriptions() throws {
        let t = try parse(#"""
        {"TopicName": "orders", "DisplayName": "ignored", "Subscription": [
          {"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q1", "RawMessageDelivery": "true",
           "FilterPolicy": "{\"color\": [\"red\"]}", "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:dlq"}},
          {"Protocol": "lambda", "Endpoint": "arn:aws:lambda:us-east-1:123456789012:function:f",
           "FilterPolicyScope": "MessageBody", "FilterPolicy": {"detail": {"size": ["big"]}}}]}
        """#)
        #expect(t.arn == "arn:aws:sns:us-east-1:123456789012:orders")
        #expect(t.subscriptions.count == 2)
        let sqs = t.subscriptions[0]
        #expect(sqs.rawMessageDelivery && sqs.deadLetterTargetArn == "arn:aws:sqs:us-east-1:123456789012:dlq")
        #expect(sqs.filterPolicy?.scope == .messageAttributes)
        #expect(t.subscriptions[1].filterPolicy?.scope == .messageBody)
        #expect(sqs.subscriptionArn.hasPrefix("arn:aws:sns:us-east-1:123456789012:orders:"))
        #expect(sqs.subscriptionArn.count == t.arn.count + 37)
        #expect(sqs.subscriptionArn != t.subscriptions[1].subscriptionArn)
        #expect(try parse(#"{"TopicName": "orders", "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q1"}]}"#)
            .subscriptions[0].subscriptionArn == sqs.subscriptionArn, "subscription ARNs are stable")
    }

    @Test func fifoTopicWithFifoQueue() throws {
        let t = try parse(#"""
        {"TopicName": "orders.fifo", "FifoTopic": true, "ContentBasedDeduplication": true,
         "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q.fifo"}]}
        """#)
        #expect(t.fifoTopic && t.contentBasedDeduplication)
    }

    @Test(arguments: [
        (#"{"FifoTopic": true}"#, "Topics entry: missing required key 'TopicName'"),
        (#"{"TopicName": "a b"}"#, "topic name 'a b' is invalid: use 1–256 characters from A-Z, a-z, 0-9, '_', '-' (and '.fifo' at the end of a FIFO topic)"),
        (#"{"TopicName": "t", "Subscriptions": []}"#, "Topics entry 't': unknown key 'Subscriptions'; known keys are TopicName, FifoTopic, ContentBasedDeduplication, Subscription"),
        (#"{"TopicName": "t", "FifoTopic": true}"#, "topic 't': a FIFO topic's name must end in '.fifo'; rename it to 't.fifo'"),
        (#"{"TopicName": "t.fifo"}"#, "topic 't.fifo': a name ending in '.fifo' is for FIFO topics; set FifoTopic to true or rename it"),
        (#"{"TopicName": "t", "ContentBasedDeduplication": true}"#, "topic 't': ContentBasedDeduplication applies to FIFO topics only; remove it or make the topic FIFO"),
        (#"{"TopicName": "t", "FifoTopic": "yes"}"#, #"Topics entry 't': 'FifoTopic' must be true or false, got "yes""#),
        (#"{"TopicName": "t.fifo", "FifoTopic": true, "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q"}]}"#,
         "topic 't.fifo' Subscription[0]: a FIFO topic delivers only to SQS FIFO queues (names ending in .fifo), got sqs arn:aws:sqs:us-east-1:123456789012:q"),
        (#"{"TopicName": "t.fifo", "FifoTopic": true, "Subscription": [{"Protocol": "lambda", "Endpoint": "arn:aws:lambda:us-east-1:123456789012:function:f"}]}"#,
         "topic 't.fifo' Subscription[0]: a FIFO topic delivers only to SQS FIFO queues (names ending in .fifo), got lambda arn:aws:lambda:us-east-1:123456789012:function:f"),
        (#"{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q.fifo"}]}"#,
         "topic 't' Subscription[0]: the FIFO queue arn:aws:sqs:us-east-1:123456789012:q.fifo can only subscribe to a FIFO topic; use a standard queue or a FIFO topic"),
        (#"{"TopicName": "t", "Subscription": [{"Protocol": "http", "Endpoint": "https://x"}]}"#,
         #"Topics entry 't' Subscription[0]: 'Protocol' must be "sqs" or "lambda", got "http""#),
        (#"{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "q"}]}"#,
         #"Topics entry 't' Subscription[0]: 'Endpoint' must be a queue ARN like arn:aws:sqs:us-east-1:123456789012:NAME, got "q""#),
        (#"{"TopicName": "t", "Subscription": [{"Protocol": "lambda", "Endpoint": "arn:aws:lambda:us-east-1:123456789012:function:f", "RawMessageDelivery": true}]}"#,
         "Topics entry 't' Subscription[0]: 'RawMessageDelivery' applies to sqs subscriptions only; remove it from the lambda subscription"),
        (#"{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q", "FilterPolicyScope": "Body", "FilterPolicy": {"a": ["b"]}}]}"#,
         #"Topics entry 't' Subscription[0]: 'FilterPolicyScope' must be "MessageAttributes" or "MessageBody", got "Body""#),
        (#"{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q", "RedrivePolicy": {"maxReceiveCount": 3}}]}"#,
         #"Topics entry 't' Subscription[0]: 'RedrivePolicy' needs "deadLetterTargetArn": an SQS queue ARN"#),
        (#"{"TopicName": "t", "Subscription": [{"Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q", "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:eu-west-1:123456789012:dlq"}}]}"#,
         "topic 't' Subscription[0]: the dead-letter queue arn:aws:sqs:eu-west-1:123456789012:dlq must be in the topic's account 123456789012 and region us-east-1"),
    ])
    func errorsSayWhatToChange(text: String, message: String) throws {
        let error = #expect(throws: TopicError.self) { try parse(text) }
        #expect(error?.code == .invalidParameter)
        #expect(error?.message == message)
    }

    @Test(arguments: [
        (#"{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}"#, SubscriptionFilterPolicy.Scope.messageAttributes,
         "FilterPolicy: a filter policy may have at most 5 keys, this one has 6 (a, b, c, d, e, f); drop some or split the subscription"),
        (#"{"a":["1","2","3","4","5","6","7","8","9","10"],"b":["1","2","3","4","5","6","7","8","9","10"],"c":["1","2"]}"#, .messageAttributes,
         "FilterPolicy: a filter policy may have at most 150 combinations of values, this one has 200; use fewer values or a prefix/numeric range"),
        (#"{"a":{"b":["1"]}}"#, .messageAttributes,
         "FilterPolicy: filter policy scope MessageAttributes does not support nested filter policy (key 'a'); flatten it or set FilterPolicyScope to MessageBody"),
        (#"{}"#, .messageBody, #"FilterPolicy: a filter policy must be a non-empty JSON object like {"color": ["red"]}"#),
    ])
    func filterPolicyLimits(text: String, scope: SubscriptionFilterPolicy.Scope, message: String) throws {
        let error = #expect(throws: TopicError.self) { try SubscriptionFilterPolicy(json: JSONValue(parsing: text), scope: scope) }
        #expect(error?.message == message)
    }

    @Test func attributeNamesWithDotsAreFlat() throws {
        let p = try SubscriptionFilterPolicy(json: JSONValue(parsing: #"{"order.kind":["retail"]}"#))
        #expect(p.matches(message: "m", attributes: ["order.kind": .string("retail")]))
        #expect(!p.matches(message: "m", attributes: ["order.kind": .string("bulk")]))
        #expect(!p.matches(message: "m", attributes: ["order": .string("retail")]))
    }

    @Test func nestedPolicyIsFineInBodyScope() throws {
        let p = try SubscriptionFilterPolicy(json: JSONValue(parsing: #"{"a":{"b":["1"]}}"#), scope: .messageBody)
        #expect(p.matches(message: #"{"a":{"b":"1"}}"#, attributes: [:]))
        #expect(!p.matches(message: #"{"a":{"b":"2"}}"#, attributes: [:]))
        #expect(!p.matches(message: "not json", attributes: [:]))
    }
}
