import EventRouter
import Testing
@testable import EventRouterHTTP

/// SNS Publish with a data directory: a standard topic's fan-out is made before the answer (its
/// queue records stored first), so an acknowledged publish is in its subscribed queues; without
/// one the answer comes first and the deliveries after it (the fast path).
@Suite struct SNSJournalTests {
    func publish(_ fixture: SNSFixture, _ topic: String) async -> HTTPResponse {
        let form = [("Action", "Publish"), ("TopicArn", topic), ("Message", "hello"), ("Version", "2010-03-31")]
            .map { PercentEncoding.encode($0.0) + "=" + PercentEncoding.encode($0.1) }.joined(separator: "&")
        let request = HTTPRequest(method: "POST", target: "/", headers: HTTPHeaders([
            ("Host", "sns.test:4566"), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        ]), body: Array(form.utf8))
        return await fixture.endpoint.handle(request)
    }

    @Test func withAJournalTheSubscribedQueueHoldsThePublishWhenItIsAnswered() async throws {
        let fixture = try SNSFixture()
        let journal = KinesisJournalTests.Journal()
        fixture.runtime.attachJournal(journal)
        let topic = SNSFixture.topicArn("declared")
        _ = try await fixture.subscribe(topic, "sqs", SNSFixture.queueArn("inbox"), [("RawMessageDelivery", "true")])
        let response = await publish(fixture, topic)
        #expect(response.status == 200, "\(SNSFixture.text(response))")
        #expect(response.afterSending == nil)
        // Answered: the message is in the queue and its record was submitted.
        #expect(try await fixture.drain("inbox").map(\.body) == ["hello"])
        #expect(journal.records.withLock { $0.contains { $0.type == StateRecordType.messagePutBinary.rawValue } })
    }

    @Test func withAJournalARecordNotStoredFailsThePublishWith503() async throws {
        let fixture = try SNSFixture()
        let journal = KinesisJournalTests.Journal()
        fixture.runtime.attachJournal(journal)
        let topic = SNSFixture.topicArn("declared")
        _ = try await fixture.subscribe(topic, "sqs", SNSFixture.queueArn("inbox"))
        journal.failure.withLock { $0 = "disk full" }
        let response = await publish(fixture, topic)
        #expect(response.status == 503, "\(SNSFixture.text(response))")
        #expect(SNSFixture.element("Message", in: response)?.contains("The request was not stored") == true, "\(SNSFixture.text(response))")
    }

    @Test func inMemoryTheDeliveriesComeAfterTheAnswer() async throws {
        let fixture = try SNSFixture()
        let topic = SNSFixture.topicArn("declared")
        _ = try await fixture.subscribe(topic, "sqs", SNSFixture.queueArn("inbox"))
        let response = await publish(fixture, topic)
        #expect(response.status == 200)
        #expect(response.afterSending != nil)
        await response.afterSending?()
        #expect(try await fixture.drain("inbox").count == 1)
    }
}
