import EventRouter
import Testing
@testable import EventRouterHTTP

/// ReceiveMessage long polls on the injected clock: parked (one clock sleeper each, no thread),
/// woken at once by a send or a message becoming visible, empty at the end of the wait, and
/// many at once do not hold up other requests.
@Suite struct SQSLongPollTests {
    static let receive = #"{"QueueUrl": "\#(SQSFixture.url("work"))", "WaitTimeSeconds": 20}"#
    static let send = #"{"QueueUrl": "\#(SQSFixture.url("work"))", "MessageBody": "wake"}"#

    static func bodies(_ response: HTTPResponse) throws -> [String] {
        try SQSFixture.object(response)["Messages"]?.arrayValue?.compactMap { $0["Body"]?.stringValue } ?? []
    }

    @Test func aSendWakesAParkedPollWithoutTheClockMoving() async throws {
        let fixture = try SQSFixture()
        let start = fixture.clock.now
        async let polled = fixture.json("ReceiveMessage", Self.receive)
        await fixture.clock.waitForSleepers(1)
        #expect(await fixture.json("SendMessage", Self.send).status == 200)
        #expect(try Self.bodies(await polled) == ["wake"])
        #expect(fixture.clock.now == start)
    }

    @Test func aMessageBecomingVisibleWakesAParkedPoll() async throws {
        let fixture = try SQSFixture()
        _ = await fixture.json("SendMessage", Self.send)
        let first = try SQSFixture.object(await fixture.json("ReceiveMessage", Self.receive))
        let handle = try #require(first["Messages"]?[0]?["ReceiptHandle"]?.stringValue)
        async let polled = fixture.json("ReceiveMessage", Self.receive)
        await fixture.clock.waitForSleepers(1)
        let change = #"{"QueueUrl": "\#(SQSFixture.url("work"))", "ReceiptHandle": "\#(handle)", "VisibilityTimeout": 0}"#
        #expect(await fixture.json("ChangeMessageVisibility", change).status == 200)
        #expect(try Self.bodies(await polled) == ["wake"])
    }

    @Test func aPollEndsEmptyWhenTheWaitIsOver() async throws {
        let fixture = try SQSFixture()
        async let polled = fixture.json("ReceiveMessage", Self.receive)
        await fixture.clock.waitForSleepers(1)
        fixture.clock.advance(by: .seconds(20))
        let response = await polled
        #expect(response.status == 200)
        #expect(SQSFixture.text(response) == "{}")
    }

    @Test func aHundredParkedPollsLeaveOtherRequestsServedAndAllWake() async throws {
        let fixture = try SQSFixture()
        try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<100 { group.addTask { try Self.bodies(await fixture.json("ReceiveMessage", Self.receive)) } }
            await fixture.clock.waitForSleepers(100)
            let listed = try SQSFixture.object(await fixture.json("ListQueues", "{}"))
            #expect(listed["QueueUrls"]?.arrayValue?.count == 3)
            let batch = "[" + (1...10).map { "{\"Id\":\"m\($0)\",\"MessageBody\":\"m\($0)\"}" }.joined(separator: ",") + "]"
            for _ in 0..<10 {
                _ = await fixture.json("SendMessageBatch", #"{"QueueUrl": "\#(SQSFixture.url("work"))", "Entries": \#(batch)}"#)
            }
            var received = 0
            for try await bodies in group { received += bodies.count }
            #expect(received == 100)
        }
    }

    /// The wire and rule deliveries share the runtime's queues: a delivery wakes a parked poll.
    @Test func aRuleDeliveryWakesAParkedPoll() async throws {
        let fixture = try SQSFixture()
        async let polled = fixture.json("ReceiveMessage", Self.receive)
        await fixture.clock.waitForSleepers(1)
        _ = try fixture.runtime.router.putEvents([PutEventsEntry(source: "shop", detailType: "Order", detail: #"{"order":7}"#)])
        await fixture.runtime.router.scheduler.settle()
        #expect(try Self.bodies(await polled) == [#"{"order":7}"#])
    }

    /// At shutdown every parked poll is answered (empty) at once, and later receives do not wait.
    @Test func endingLongPollsAnswersParkedPollsAtOnce() async throws {
        let fixture = try SQSFixture()
        let start = fixture.clock.now
        async let polled = fixture.json("ReceiveMessage", Self.receive)
        await fixture.clock.waitForSleepers(1)
        fixture.runtime.queues.endLongPolls()
        #expect(SQSFixture.text(await polled) == "{}")
        #expect(SQSFixture.text(await fixture.json("ReceiveMessage", Self.receive)) == "{}")
        #expect(fixture.clock.now == start)
    }
}
