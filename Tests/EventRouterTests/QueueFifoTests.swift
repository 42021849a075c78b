import Testing
@testable import EventRouter

@Suite struct QueueFifoTests {
    static let fifo = QueueConfiguration(name: "orders.fifo", contentBasedDeduplication: true)

    @Test func ordersPerGroupAndBlocksAGroupWhileInFlight() async throws {
        let f = try QueueFixture(Self.fifo)
        for i in 0..<3 { _ = try await f.queue.sendMessage(body: "a\(i)", groupId: "A") }
        for i in 0..<2 { _ = try await f.queue.sendMessage(body: "b\(i)", groupId: "B") }
        let first = try await f.queue.receiveMessages(maxNumberOfMessages: 2)
        #expect(first.map(\.body) == ["a0", "a1"])
        // Group A is blocked while a0/a1 are in flight; B is served.
        let second = try await f.queue.receiveMessages(maxNumberOfMessages: 10)
        #expect(second.map(\.body) == ["b0", "b1"])
        #expect(try await f.queue.receiveMessages(maxNumberOfMessages: 10).isEmpty)
        // Deleting one of the batch does not unblock the group; deleting both does.
        try await f.queue.deleteMessage(receiptHandle: first[0].receiptHandle)
        #expect(try await f.queue.receiveMessages(maxNumberOfMessages: 10).isEmpty)
        try await f.queue.deleteMessage(receiptHandle: first[1].receiptHandle)
        #expect(try await f.queue.receiveMessages(maxNumberOfMessages: 10).map(\.body) == ["a2"])
    }

    @Test func expiredInFlightMessageComesBackFirstInItsGroup() async throws {
        let f = try QueueFixture(Self.fifo)
        for i in 0..<3 { _ = try await f.queue.sendMessage(body: "m\(i)", groupId: "G") }
        let first = try await f.queue.receiveMessages()
        #expect(first.map(\.body) == ["m0"])
        f.advance(seconds: 30)
        let again = try await f.queue.receiveMessages(maxNumberOfMessages: 10)
        #expect(again.map(\.body) == ["m0", "m1", "m2"])
        #expect(again[0].attributes["ApproximateReceiveCount"] == "2")
        // FIFO: a handle whose visibility timeout expired is rejected.
        let error = await queueError { () async throws(QueueError) in _ = try await f.queue.deleteMessage(receiptHandle: first[0].receiptHandle) }
        #expect(error == nil) // superseded by the re-receive: succeeds without deleting
        f.advance(seconds: 30)
        let expired = await queueError { () async throws(QueueError) in _ = try await f.queue.deleteMessage(receiptHandle: again[0].receiptHandle) }
        #expect(expired?.code == .receiptHandleIsInvalid)
        #expect(expired?.message.contains("has expired") == true)
    }

    @Test func sequenceNumbersIncreaseAndAttributesAreReported() async throws {
        let f = try QueueFixture(Self.fifo)
        let a = try await f.queue.sendMessage(body: "x", groupId: "G", deduplicationId: "d1")
        let b = try await f.queue.sendMessage(body: "y", groupId: "G", deduplicationId: "d2")
        let sa = try #require(a.sequenceNumber), sb = try #require(b.sequenceNumber)
        #expect(sa.count == 20 && sb.count == 20 && sa < sb)
        let m = try #require(try await f.queue.receiveMessages().first)
        #expect(m.attributes["MessageGroupId"] == "G")
        #expect(m.attributes["MessageDeduplicationId"] == "d1")
        #expect(m.attributes["SequenceNumber"] == sa)
    }

    @Test func deduplicatesByIdWithinFiveMinutes() async throws {
        let f = try QueueFixture(QueueConfiguration(name: "dedup.fifo"))
        let a = try await f.queue.sendMessage(body: "one", groupId: "G", deduplicationId: "same")
        f.advance(seconds: 299)
        let b = try await f.queue.sendMessage(body: "two", groupId: "G", deduplicationId: "same")
        #expect(b.deduplicated && b.messageId == a.messageId && b.sequenceNumber == a.sequenceNumber)
        #expect(try await f.queue.statistics().visible == 1)
        f.advance(seconds: 1)
        let c = try await f.queue.sendMessage(body: "three", groupId: "G", deduplicationId: "same")
        #expect(!c.deduplicated && c.messageId != a.messageId)
        #expect(try await f.queue.statistics().visible == 2)
    }

    @Test func contentBasedDeduplicationUsesSHA256OfTheBodyAndExplicitIdOverrides() async throws {
        let f = try QueueFixture(Self.fifo)
        let a = try await f.queue.sendMessage(body: "same body", attributes: ["k": .string("1")], groupId: "G")
        let b = try await f.queue.sendMessage(body: "same body", attributes: ["k": .string("2")], groupId: "H")
        #expect(b.deduplicated && b.messageId == a.messageId)
        let c = try await f.queue.sendMessage(body: "same body", groupId: "G", deduplicationId: "explicit")
        #expect(!c.deduplicated)
        let m = try #require(try await f.queue.receiveMessages().first)
        #expect(m.attributes["MessageDeduplicationId"] == SHA256.hexDigest(of: Array("same body".utf8)))
    }

    @Test func fifoRules() async throws {
        let f = try QueueFixture(QueueConfiguration(name: "strict.fifo"))
        let noGroup = await queueError { () async throws(QueueError) in _ = try await f.queue.sendMessage(body: "x", deduplicationId: "d") }
        #expect(noGroup?.code == .missingParameter)
        #expect(noGroup?.message.contains("MessageGroupId") == true)
        let noDedup = await queueError { () async throws(QueueError) in _ = try await f.queue.sendMessage(body: "x", groupId: "G") }
        #expect(noDedup?.message.hasPrefix("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly") == true)
        let delay = await queueError { () async throws(QueueError) in _ = try await f.queue.sendMessage(body: "x", delaySeconds: 5, groupId: "G", deduplicationId: "d") }
        #expect(delay?.code == .invalidParameterValue)
        #expect(delay?.message.contains("DelaySeconds on the queue instead") == true)
    }

    @Test func queueLevelDelayAppliesToFifo() async throws {
        let f = try QueueFixture(QueueConfiguration(name: "late.fifo", contentBasedDeduplication: true, delaySeconds: 5))
        _ = try await f.queue.sendMessage(body: "x", groupId: "G")
        #expect(try await f.queue.receiveMessages().isEmpty)
        f.advance(seconds: 5)
        #expect(try await f.queue.receiveMessages().count == 1)
    }
}
