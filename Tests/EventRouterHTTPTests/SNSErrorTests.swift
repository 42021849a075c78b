import EventRouter
import Testing
@testable import EventRouterHTTP

/// Every class of bad SNS input answered in the query protocol's `<ErrorResponse>` with SNS's
/// code and status and a message that says what is wrong and what to change.
@Suite struct SNSErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var operation: String
        var parameters: [(String, String)]
        var status: Int
        var code: String
        var fragment: String
        var testDescription: String { name }
    }

    static let topic = SNSFixture.topicArn("declared")
    static let fifoTopic = SNSFixture.topicArn("orders.fifo")
    static let big = String(repeating: "x", count: 262_145)
    static func attribute(_ n: Int, _ key: String, _ value: String) -> [(String, String)] {
        [("Attributes.entry.\(n).key", key), ("Attributes.entry.\(n).value", value)]
    }
    static func entries(_ ids: [String], message: String = "m") -> [(String, String)] {
        ids.enumerated().flatMap { i, id in
            [("PublishBatchRequestEntries.member.\(i + 1).Id", id), ("PublishBatchRequestEntries.member.\(i + 1).Message", message)]
        }
    }
    static func subscribe(_ proto: String, _ endpoint: String, _ attributes: [(String, String)] = [], topic: String = topic) -> [(String, String)] {
        [("TopicArn", topic), ("Protocol", proto), ("Endpoint", endpoint)] + attributes
    }
    static let queue = SNSFixture.queueArn("inbox")

    static let cases: [Case] = [
        // Missing and invalid parameters.
        Case(name: "missing required parameter", operation: "CreateTopic", parameters: [], status: 400, code: "InvalidParameter",
             fragment: "Invalid parameter: Name Reason: the request must contain the parameter Name."),
        Case(name: "invalid topic name", operation: "CreateTopic", parameters: [("Name", "no spaces")], status: 400, code: "InvalidParameter",
             fragment: "Invalid parameter: TopicName Reason: 'TopicName' must be 1 to 256 letters, digits, hyphens or underscores, got 'no spaces'"),
        Case(name: "FIFO topic name without .fifo", operation: "CreateTopic", parameters: [("Name", "orders")] + attribute(1, "FifoTopic", "true"),
             status: 400, code: "InvalidParameter", fragment: "must end with .fifo for a FIFO topic"),
        Case(name: "FIFO name without FifoTopic", operation: "CreateTopic", parameters: [("Name", "orders.fifo")], status: 400,
             code: "InvalidParameter", fragment: "'TopicName' 'orders.fifo' ends with .fifo but FifoTopic is false: set \"FifoTopic\": true or drop the suffix"),
        Case(name: "unknown topic attribute", operation: "CreateTopic", parameters: [("Name", "t")] + attribute(1, "Colour", "red"), status: 400,
             code: "InvalidParameter", fragment: "Invalid parameter: Attributes Reason: Unknown attribute Colour"),
        Case(name: "boolean attribute that is not a boolean", operation: "CreateTopic", parameters: [("Name", "t.fifo")] + attribute(1, "FifoTopic", "yes"),
             status: 400, code: "InvalidParameter", fragment: "FifoTopic must be true or false, got 'yes'"),
        Case(name: "same name, different attributes", operation: "CreateTopic", parameters: [("Name", "declared")] + attribute(1, "DisplayName", "D"),
             status: 400, code: "InvalidParameter", fragment: "Topic already exists with different attributes"),
        Case(name: "list position that is not a number", operation: "CreateTopic", parameters: [("Name", "t"), ("Attributes.entry.x.key", "DisplayName")],
             status: 400, code: "InvalidParameter", fragment: "'x' in Attributes.entry.x.key is not a list position"),
        Case(name: "FifoTopic changed after creation", operation: "SetTopicAttributes",
             parameters: [("TopicArn", topic), ("AttributeName", "FifoTopic"), ("AttributeValue", "true")], status: 400, code: "InvalidParameter",
             fragment: "FifoTopic is set when the topic is created and cannot be changed"),
        Case(name: "delivery policy out of range", operation: "SetTopicAttributes",
             parameters: [("TopicArn", topic), ("AttributeName", "DeliveryPolicy"), ("AttributeValue", #"{"healthyRetryPolicy": {"numRetries": 101}}"#)],
             status: 400, code: "InvalidParameter", fragment: "DeliveryPolicy: healthyRetryPolicy.numRetries must be a whole number from 0 to 100, got 101"),
        Case(name: "NextToken not handed out", operation: "ListTopics", parameters: [("NextToken", "zz")], status: 400, code: "InvalidParameter",
             fragment: "NextToken Reason: 'zz' is not a token this server handed out"),
        // Unknown resources and invalid ARNs.
        Case(name: "unknown topic", operation: "Publish", parameters: [("TopicArn", SNSFixture.topicArn("missing")), ("Message", "m")], status: 404,
             code: "NotFound", fragment: "Topic does not exist: arn:aws:sns:us-east-1:123456789012:missing"),
        Case(name: "invalid topic ARN", operation: "GetTopicAttributes", parameters: [("TopicArn", "orders")], status: 400, code: "InvalidParameter",
             fragment: "TopicArn Reason: 'orders' is not a topic ARN: write arn:aws:sns:REGION:ACCOUNT:TOPIC_NAME."),
        Case(name: "queue ARN given as topic ARN", operation: "ListSubscriptionsByTopic", parameters: [("TopicArn", queue)], status: 400,
             code: "InvalidParameter", fragment: "is not a topic ARN"),
        Case(name: "unknown subscription", operation: "GetSubscriptionAttributes",
             parameters: [("SubscriptionArn", topic + ":00000000-0000-4000-8000-000000000000")], status: 404, code: "NotFound",
             fragment: "Subscription does not exist"),
        Case(name: "invalid subscription ARN", operation: "Unsubscribe", parameters: [("SubscriptionArn", topic)], status: 400,
             code: "InvalidParameter", fragment: "is not a subscription ARN"),
        Case(name: "tags of an unknown topic", operation: "ListTagsForResource", parameters: [("ResourceArn", SNSFixture.topicArn("missing"))],
             status: 404, code: "ResourceNotFound", fragment: "Resource does not exist"),
        Case(name: "confirmation with a token never sent", operation: "ConfirmSubscription", parameters: [("TopicArn", topic), ("Token", "abc")],
             status: 400, code: "InvalidParameter", fragment: "Token Reason: no subscription of \(topic) was sent the token 'abc'"),
        Case(name: "unknown action", operation: "CreatePlatformApplication", parameters: [], status: 400, code: "InvalidAction",
             fragment: "The action CreatePlatformApplication is not valid"),
        // Subscriptions.
        Case(name: "unsupported protocol", operation: "Subscribe", parameters: subscribe("email", "a@example.com"), status: 400, code: "InvalidParameter",
             fragment: "Protocol Reason: EventRouter delivers to sqs, lambda, http and https endpoints, not 'email'"),
        Case(name: "sqs endpoint that is not an ARN", operation: "Subscribe", parameters: subscribe("sqs", "inbox"), status: 400, code: "InvalidParameter",
             fragment: "Invalid parameter: Endpoint:"),
        Case(name: "http endpoint that is not a URL", operation: "Subscribe", parameters: subscribe("http", "example.com/x"), status: 400,
             code: "InvalidParameter", fragment: "'Endpoint' must be an URL beginning with http:// for protocol http"),
        Case(name: "FIFO queue on a standard topic", operation: "Subscribe", parameters: subscribe("sqs", SNSFixture.queueArn("ordered.fifo")),
             status: 400, code: "InvalidParameter", fragment: "FIFO SQS Queues can not be subscribed to standard SNS topics"),
        Case(name: "filter policy that is not JSON", operation: "Subscribe", parameters: subscribe("sqs", queue, attribute(1, "FilterPolicy", "{kind")),
             status: 400, code: "InvalidParameter", fragment: "Invalid parameter: FilterPolicy: Filter policy is not valid JSON"),
        Case(name: "filter policy with an empty value list", operation: "Subscribe",
             parameters: subscribe("sqs", queue, attribute(1, "FilterPolicy", #"{"kind": []}"#)), status: 400, code: "InvalidParameter",
             fragment: "Invalid parameter: FilterPolicy: Empty arrays are not allowed (key \"kind\")"),
        Case(name: "filter policy with too many keys", operation: "Subscribe",
             parameters: subscribe("sqs", queue, attribute(1, "FilterPolicy", #"{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}"#)),
             status: 400, code: "InvalidParameter", fragment: "Filter policy can not have more than 5 keys"),
        Case(name: "unknown filter policy scope", operation: "Subscribe",
             parameters: subscribe("sqs", queue, attribute(1, "FilterPolicy", #"{"kind": ["a"]}"#) + attribute(2, "FilterPolicyScope", "Body")),
             status: 400, code: "InvalidParameter", fragment: "FilterPolicyScope: must be MessageAttributes or MessageBody, got 'Body'"),
        Case(name: "unknown subscription attribute", operation: "Subscribe", parameters: subscribe("sqs", queue, attribute(1, "Colour", "red")),
             status: 400, code: "InvalidParameter", fragment: "Attributes Reason: Unknown attribute Colour"),
        Case(name: "raw delivery to a function", operation: "Subscribe",
             parameters: subscribe("lambda", "arn:aws:lambda:us-east-1:123456789012:function:f", attribute(1, "RawMessageDelivery", "true")),
             status: 400, code: "InvalidParameter", fragment: "'RawMessageDelivery' applies to sqs subscriptions only"),
        Case(name: "redrive policy to a FIFO queue", operation: "Subscribe",
             parameters: subscribe("sqs", queue, attribute(1, "RedrivePolicy", #"{"deadLetterTargetArn": "\#(SNSFixture.queueArn("ordered.fifo"))"}"#)),
             status: 400, code: "InvalidParameter", fragment: "a standard topic's dead-letter queue must be a standard queue"),
        // Publishing.
        Case(name: "publish without a topic", operation: "Publish", parameters: [("Message", "m")], status: 400, code: "InvalidParameter",
             fragment: "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter"),
        Case(name: "empty message", operation: "Publish", parameters: [("TopicArn", topic), ("Message", "")], status: 400, code: "InvalidParameter",
             fragment: "Empty message"),
        Case(name: "message over 256 KB", operation: "Publish", parameters: [("TopicArn", topic), ("Message", big)], status: 400,
             code: "InvalidParameter", fragment: "Message too long: 262145 bytes, at most 262144 (256 KB)"),
        Case(name: "FIFO topic without MessageGroupId", operation: "Publish", parameters: [("TopicArn", fifoTopic), ("Message", "m")], status: 400,
             code: "InvalidParameter", fragment: "The MessageGroupId parameter is required for FIFO topics"),
        Case(name: "MessageGroupId on a standard topic", operation: "Publish", parameters: [("TopicArn", topic), ("Message", "m"), ("MessageGroupId", "g")],
             status: 400, code: "InvalidParameter", fragment: "MessageGroupId parameter that is not valid for this topic type"),
        Case(name: "Number attribute that is no number", operation: "Publish",
             parameters: [("TopicArn", topic), ("Message", "m"), ("MessageAttributes.entry.1.Name", "n"),
                          ("MessageAttributes.entry.1.Value.DataType", "Number"), ("MessageAttributes.entry.1.Value.StringValue", "many")],
             status: 400, code: "ParameterValueInvalid", fragment: "The message attribute 'n' with type 'Number' has an invalid value 'many'"),
        Case(name: "Binary attribute that is not base64", operation: "Publish",
             parameters: [("TopicArn", topic), ("Message", "m"), ("MessageAttributes.entry.1.Name", "b"),
                          ("MessageAttributes.entry.1.Value.DataType", "Binary"), ("MessageAttributes.entry.1.Value.BinaryValue", "%%%")],
             status: 400, code: "ParameterValueInvalid", fragment: "has a BinaryValue that is not valid base64"),
        Case(name: "JSON message structure without default", operation: "Publish",
             parameters: [("TopicArn", topic), ("Message", #"{"sqs": "x"}"#), ("MessageStructure", "json")], status: 400, code: "InvalidParameter",
             fragment: "Message Structure - No default entry in JSON message body"),
        Case(name: "subject with a line break", operation: "Publish", parameters: [("TopicArn", topic), ("Message", "m"), ("Subject", "a\nb")],
             status: 400, code: "InvalidParameter", fragment: "Subject must be ASCII text"),
        // Batches.
        Case(name: "empty batch", operation: "PublishBatch", parameters: [("TopicArn", topic)], status: 400, code: "EmptyBatchRequest",
             fragment: "The batch request doesn't contain any entries"),
        Case(name: "too many batch entries", operation: "PublishBatch", parameters: [("TopicArn", topic)] + entries((1...11).map { "e\($0)" }),
             status: 400, code: "TooManyEntriesInBatchRequest", fragment: "11 entries, at most 10"),
        Case(name: "batch ids not distinct", operation: "PublishBatch", parameters: [("TopicArn", topic)] + entries(["a", "a"]), status: 400,
             code: "BatchEntryIdsNotDistinct", fragment: "have the same Id: 'a'"),
        Case(name: "invalid batch id", operation: "PublishBatch", parameters: [("TopicArn", topic)] + entries(["a b"]), status: 400,
             code: "InvalidBatchEntryId", fragment: "'a b' (entry 1) must be 1 to 80 letters, digits, hyphens or underscores"),
        Case(name: "batch over 256 KB", operation: "PublishBatch",
             parameters: [("TopicArn", topic)] + entries(["a", "b"], message: String(repeating: "x", count: 140_000)), status: 400,
             code: "BatchRequestTooLong", fragment: "280000 bytes, at most 262144"),
    ]

    @Test(arguments: cases) func badInputGetsSNSErrorShape(_ c: Case) async throws {
        let fixture = try SNSFixture()
        _ = try await fixture.createTopic("orders.fifo", [("FifoTopic", "true")])
        let response = await fixture.call(c.operation, c.parameters)
        let text = SNSFixture.text(response)
        #expect(response.status == c.status, "\(text)")
        #expect(response.headers["Content-Type"] == "text/xml")
        #expect(text.contains(#"<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type>"#), "\(text)")
        #expect(SNSFixture.element("Code", in: response) == c.code, "\(text)")
        let message = SNSFixture.element("Message", in: response) ?? ""
        #expect(Self.unescaped(message).contains(c.fragment), "\(message)")
        #expect(SNSFixture.element("RequestId", in: response) != nil)
    }

    /// `text` with XMLText's escapes undone.
    static func unescaped(_ text: String) -> String {
        text.replacing("&quot;", with: "\"").replacing("&lt;", with: "<").replacing("&gt;", with: ">").replacing("&amp;", with: "&")
    }
}
