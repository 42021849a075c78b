import Testing
@testable import EventRouter

@Suite struct QueueLongPollingTests {
    @Test func parkedReceiverIsWokenByASend() async throws {
        let f = try QueueFixture()
        let queue = f.queue
        let receiver = Task { try await queue.receiveMessages(waitTimeSeconds: 20) }
        await f.clock.waitForSleepers(1)
        _ = try await queue.sendMessage(body: "wake up")
        let got = try await receiver.value
        #expect(got.map(\.body) == ["wake up"])
        #expect(f.clock.now == ManualClock().now) // no virtual time passed
    }

    @Test func returnsEmptyAfterWaitTimeSeconds() async throws {
        let f = try QueueFixture()
        let queue = f.queue
        let receiver = Task { try await queue.receiveMessages(waitTimeSeconds: 20) }
        await f.clock.waitForSleepers(1)
        #expect(f.clock.nextDeadline == f.clock.now + .seconds(20))
        f.advance(seconds: 20)
        #expect(try await receiver.value.isEmpty)
    }

    @Test func wakesWhenADelayedMessageBecomesVisible() async throws {
        let f = try QueueFixture()
        let queue = f.queue
        _ = try await queue.sendMessage(body: "soon", delaySeconds: 5)
        let receiver = Task { try await queue.receiveMessages(waitTimeSeconds: 20) }
        await f.clock.waitForSleepers(1)
        #expect(f.clock.nextDeadline == f.clock.now + .seconds(5))
        f.advance(seconds: 5)
        #expect(try await receiver.value.map(\.body) == ["soon"])
    }

    @Test func queueDefaultWaitTimeApplies() async throws {
        let f = try QueueFixture(QueueConfiguration(name: "lp", receiveMessageWaitTimeSeconds: 10))
        let queue = f.queue
        let receiver = Task { try await queue.receiveMessages() }
        await f.clock.waitForSleepers(1)
        #expect(f.clock.nextDeadline == f.clock.now + .seconds(10))
        f.advance(seconds: 10)
        #expect(try await receiver.value.isEmpty)
    }

    @Test func cancellationEndsTheWait() async throws {
        let f = try QueueFixture()
        let queue = f.queue
        let receiver = Task { try await queue.receiveMessages(waitTimeSeconds: 20) }
        await f.clock.waitForSleepers(1)
        receiver.cancel()
        #expect(try await receiver.value.isEmpty)
        #expect(f.clock.sleeperCount == 0)
    }

    @Test func deletingTheQueueReleasesParkedReceivers() async throws {
        let f = try QueueFixture()
        let queue = f.queue
        let receiver = Task { () async throws(QueueError) -> [ReceivedMessage] in try await queue.receiveMessages(waitTimeSeconds: 20) }
        await f.clock.waitForSleepers(1)
        try f.registry.deleteQueue(queue.arn)
        let result = await receiver.result
        #expect(throws: QueueError.self) { try result.get() }
    }

    @Test func oneSendWakesWaitersButOnlyOneGetsTheMessage() async throws {
        let f = try QueueFixture()
        let queue = f.queue
        let receivers = (0..<3).map { _ in Task { try await queue.receiveMessages(waitTimeSeconds: 20) } }
        await f.clock.waitForSleepers(3)
        _ = try await queue.sendMessage(body: "only one")
        // The two that lost the race park again on the same deadline.
        await f.clock.waitForSleepers(2)
        f.advance(seconds: 20)
        var bodies: [String] = []
        for r in receivers { bodies += try await r.value.map(\.body) }
        #expect(bodies == ["only one"])
    }

    @Test func wakesWhenAnInFlightMessageTimesOut() async throws {
        let f = try QueueFixture()
        let queue = f.queue
        _ = try await queue.sendMessage(body: "retry me")
        _ = try await queue.receiveMessages(visibilityTimeout: 12)
        let receiver = Task { try await queue.receiveMessages(waitTimeSeconds: 20) }
        await f.clock.waitForSleepers(1)
        #expect(f.clock.nextDeadline == f.clock.now + .seconds(12))
        f.advance(seconds: 12)
        let got = try await receiver.value
        #expect(got.first?.attributes["ApproximateReceiveCount"] == "2")
    }
}
