import Testing
@testable import EventRouter

/// ``ARN/init(queue:)``, ``ARN/init(topic:)`` and mapping sources read ARNs leniently through ``ARN/lenient(_:service:)``.
@Suite struct EventLenientARNTests {
    @Test(arguments: [
        ("arn:aws:sqs:us-east-1:123456789012:orders", "us-east-1|123456789012|orders"),
        ("arn:aws-cn:sqs:cn-north-1:acct:a/b", "cn-north-1|acct|a/b"),
        ("arn:aws:sqs:us-east-1:123456789012:q:extra", nil),
        ("arn:aws:sqs::123456789012:q", nil),
        ("arn:aws:sns:us-east-1:123456789012:q", nil),
        ("arn:gcp:sqs:us-east-1:123456789012:q", nil),
    ] as [(String, String?)])
    func queueARN(text: String, parts: String?) {
        let arn = ARN(queue: text)
        #expect(arn.map { "\($0.region)|\($0.account)|\($0.name)" } == parts)
    }

    @Test func printsWithTheAwsPartition() throws {
        #expect(try #require(ARN(queue: "arn:aws-cn:sqs:r:a:q")).description == "arn:aws:sqs:r:a:q")
        #expect(try #require(ARN(topic: "arn:aws:sns:us-east-1:123456789012:t")).description == "arn:aws:sns:us-east-1:123456789012:t")
        #expect(ARN(topic: "arn:aws:sqs:us-east-1:123456789012:t") == nil)
    }

    @Test(arguments: [
        ("arn:aws:kinesis:us-east-1:123456789012:stream/s", true),
        ("arn:aws:kinesis:us-east-1:123456789012:stream/", false),
        ("arn:aws:kinesis:us-east-1:123456789012:table/s", false),
    ])
    func mappingStreamSource(text: String, isStream: Bool) {
        let source = EventSourceMappingConfiguration.Source(arn: text)
        #expect((source == .stream(arn: text)) == isStream)
    }
}
