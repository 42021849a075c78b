import EventRouter
import Testing
@testable import EventRouterHTTP

/// XMLText's escaping: the five characters AWS escapes, and the characters XML 1.0 cannot carry
/// at all written as `\uXXXX` (found by the `endpoint` fuzz target: an SNS or SQS error echoing a
/// control character from the request was a document no XML parser reads).
@Suite struct XMLTextTests {
    @Test(arguments: [
        ("plain text", "plain text"),
        ("a & b < c > d \"e\"", "a &amp; b &lt; c &gt; d &quot;e&quot;"),
        ("tab\there\nline\rcr", "tab\there\nline\rcr"),
        ("nul\u{0}one\u{1}esc\u{1B}us\u{1F}", "nul\\u0000one\\u0001esc\\u001Bus\\u001F"),
        ("noncharacters \u{FFFE}\u{FFFF}", "noncharacters \\uFFFE\\uFFFF"),
        ("é \u{FFFD} \u{FF21} \u{7F}", "é \u{FFFD} \u{FF21} \u{7F}"),
        ("<\u{2}>", "&lt;\\u0002&gt;"),
    ])
    func escapes(_ text: String, _ expected: String) {
        #expect(XMLText.escape(text) == expected)
    }

    /// The fuzz target's input, reduced: a topic ARN with a record-separator character.
    @Test func anErrorEchoingAControlCharacterNamesIt() async throws {
        let fixture = try SNSFixture()
        let response = await fixture.call("ListSubscriptionsByTopic", [("TopicArn", "arn:aws:sns:us-east-1\u{1E}123456789012:alerts")])
        let text = SNSFixture.text(response)
        #expect(response.status == 400)
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(text)")
        #expect(SNSFixture.element("Message", in: response)
                == "Invalid parameter: TopicArn Reason: 'arn:aws:sns:us-east-1\\u001E123456789012:alerts' is not a topic ARN: write arn:aws:sns:REGION:ACCOUNT:TOPIC_NAME.")
    }

    @Test func anSQSQueryErrorEchoingAControlCharacterNamesIt() async throws {
        let fixture = try SQSFixture()
        let response = await fixture.query("Action=GetQueueUrl&QueueName=a%01b")
        let text = SQSFixture.text(response)
        #expect(response.status == 400, "\(text)")
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(text)")
        #expect(text.contains("a\\u0001b"), "\(text)")
    }
}
