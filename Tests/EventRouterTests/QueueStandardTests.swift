import Testing
@testable import EventRouter

@Suite struct QueueStandardTests {
    @Test func sendReceiveDelete() async throws {
        let f = try QueueFixture()
        let sent = try await f.queue.sendMessage(body: "hello", attributes: ["RULE_ARN": .string("arn:x")])
        #expect(sent.sequenceNumber == nil)
        let got = try await f.queue.receiveMessages(maxNumberOfMessages: 10)
        #expect(got.count == 1)
        let m = try #require(got.first)
        #expect(m.messageId == sent.messageId)
        #expect(m.body == "hello")
        #expect(m.messageAttributes["RULE_ARN"] == .string("arn:x"))
        #expect(m.attributes["ApproximateReceiveCount"] == "1")
        #expect(m.attributes["SentTimestamp"] == String(f.clock.now.millisecondsSinceEpoch))
        #expect(m.attributes["ApproximateFirstReceiveTimestamp"] == String(f.clock.now.millisecondsSinceEpoch))
        #expect(try await f.queue.statistics() == QueueStatistics(visible: 0, notVisible: 1, delayed: 0))
        #expect(try await f.queue.deleteMessage(receiptHandle: m.receiptHandle))
        #expect(try await f.queue.statistics().total == 0)
        // Deleting again succeeds without effect, as SQS does.
        #expect(try await f.queue.deleteMessage(receiptHandle: m.receiptHandle) == false)
    }

    @Test func visibilityTimeoutExpiresAndMessageReturnsWithNewHandle() async throws {
        let f = try QueueFixture()
        _ = try await f.queue.sendMessage(body: "a")
        let first = try #require(try await f.queue.receiveMessages().first)
        #expect(try await f.queue.receiveMessages().isEmpty)
        f.advance(seconds: 29)
        #expect(try await f.queue.receiveMessages().isEmpty)
        f.advance(seconds: 1)
        let second = try #require(try await f.queue.receiveMessages().first)
        #expect(second.messageId == first.messageId)
        #expect(second.receiptHandle != first.receiptHandle)
        #expect(second.attributes["ApproximateReceiveCount"] == "2")
        #expect(second.attributes["ApproximateFirstReceiveTimestamp"] == first.attributes["ApproximateFirstReceiveTimestamp"])
        // The old handle no longer deletes (succeeds without effect); the new one does.
        #expect(try await f.queue.deleteMessage(receiptHandle: first.receiptHandle) == false)
        #expect(try await f.queue.statistics().notVisible == 1)
        #expect(try await f.queue.deleteMessage(receiptHandle: second.receiptHandle))
    }

    @Test func receiveVisibilityTimeoutOverride() async throws {
        let f = try QueueFixture()
        _ = try await f.queue.sendMessage(body: "a")
        _ = try await f.queue.receiveMessages(visibilityTimeout: 5)
        f.advance(seconds: 5)
        #expect(try await f.queue.receiveMessages(visibilityTimeout: 0).count == 1)
        // Visibility 0: visible again at once.
        #expect(try await f.queue.receiveMessages().count == 1)
    }

    @Test func queueDelayAndMessageDelayTheMessageWins() async throws {
        let f = try QueueFixture(QueueConfiguration(name: "slow", delaySeconds: 10))
        _ = try await f.queue.sendMessage(body: "queue-delay")
        _ = try await f.queue.sendMessage(body: "message-delay", delaySeconds: 3)
        _ = try await f.queue.sendMessage(body: "no-delay", delaySeconds: 0)
        #expect(try await f.queue.statistics() == QueueStatistics(visible: 1, notVisible: 0, delayed: 2))
        #expect(try await f.queue.receiveMessages(maxNumberOfMessages: 10).map(\.body) == ["no-delay"])
        f.advance(seconds: 3)
        #expect(try await f.queue.receiveMessages(maxNumberOfMessages: 10).map(\.body) == ["message-delay"])
        f.advance(seconds: 6)
        #expect(try await f.queue.receiveMessages(maxNumberOfMessages: 10).isEmpty)
        f.advance(seconds: 1)
        #expect(try await f.queue.receiveMessages(maxNumberOfMessages: 10).map(\.body) == ["queue-delay"])
    }

    @Test func retentionRemovesExpiredMessagesWhateverTheirState() async throws {
        let f = try QueueFixture(QueueConfiguration(name: "short", messageRetentionPeriod: 60))
        _ = try await f.queue.sendMessage(body: "visible")
        f.advance(seconds: 30)
        _ = try await f.queue.sendMessage(body: "later")
        _ = try await f.queue.receiveMessages(visibilityTimeout: 600)
        #expect(try await f.queue.statistics().total == 2)
        f.advance(seconds: 30)
        #expect(try await f.queue.statistics() == QueueStatistics(visible: 1, notVisible: 0, delayed: 0))
        f.advance(seconds: 30)
        #expect(try await f.queue.statistics().total == 0)
    }

    @Test func bestEffortOrderAndBatchOfTen() async throws {
        let f = try QueueFixture()
        for i in 0..<15 { _ = try await f.queue.sendMessage(body: "m\(i)") }
        let first = try await f.queue.receiveMessages(maxNumberOfMessages: 10)
        #expect(first.map(\.body) == (0..<10).map { "m\($0)" })
        #expect(try await f.queue.receiveMessages(maxNumberOfMessages: 10).count == 5)
    }

    @Test func changeVisibilityCountsFromTheCall() async throws {
        let f = try QueueFixture()
        _ = try await f.queue.sendMessage(body: "a")
        let m = try #require(try await f.queue.receiveMessages().first)
        f.advance(seconds: 20)
        try await f.queue.changeMessageVisibility(receiptHandle: m.receiptHandle, visibilityTimeout: 60)
        f.advance(seconds: 59)
        #expect(try await f.queue.receiveMessages().isEmpty)
        f.advance(seconds: 1)
        #expect(try await f.queue.receiveMessages().count == 1)
    }

    @Test func changeVisibilityZeroMakesVisibleAtOnce() async throws {
        let f = try QueueFixture()
        _ = try await f.queue.sendMessage(body: "a")
        let m = try #require(try await f.queue.receiveMessages().first)
        try await f.queue.changeMessageVisibility(receiptHandle: m.receiptHandle, visibilityTimeout: 0)
        #expect(try await f.queue.receiveMessages().count == 1)
    }

    @Test func changeVisibilityIsCappedAtTwelveHoursFromTheReceive() async throws {
        let f = try QueueFixture()
        _ = try await f.queue.sendMessage(body: "a")
        let m = try #require(try await f.queue.receiveMessages().first)
        try await f.queue.changeMessageVisibility(receiptHandle: m.receiptHandle, visibilityTimeout: 43_200)
        f.advance(seconds: 3_600)
        let error = await queueError { () async throws(QueueError) in
            try await f.queue.changeMessageVisibility(receiptHandle: m.receiptHandle, visibilityTimeout: 43_200)
        }
        #expect(error?.code == .invalidParameterValue)
        #expect(error?.message.contains("use at most 39600") == true)
        try await f.queue.changeMessageVisibility(receiptHandle: m.receiptHandle, visibilityTimeout: 39_600)
    }

    @Test func purgeDeletesEverythingOncePerMinute() async throws {
        let f = try QueueFixture()
        for i in 0..<3 { _ = try await f.queue.sendMessage(body: "\(i)") }
        _ = try await f.queue.receiveMessages()
        #expect(try await f.queue.purge() == 3)
        #expect(try await f.queue.statistics().total == 0)
        let error = await queueError { () async throws(QueueError) in _ = try await f.queue.purge() }
        #expect(error?.code == .purgeQueueInProgress)
        f.advance(seconds: 60)
        #expect(try await f.queue.purge() == 0)
    }

    @Test func sendBatchReportsEachEntry() async throws {
        let f = try QueueFixture()
        let result = try await f.queue.sendMessageBatch([
            SendMessageBatchEntry(id: "ok", body: "fine"),
            SendMessageBatchEntry(id: "bad-delay", body: "x", delaySeconds: 901),
            SendMessageBatchEntry(id: "ok2", body: "also fine", delaySeconds: 5),
        ])
        #expect(result.successfulIds == ["ok", "ok2"])
        #expect(result.failed.map(\.id) == ["bad-delay"])
        #expect(result.failed.first?.code == "InvalidParameterValue")
        #expect(try await f.queue.statistics() == QueueStatistics(visible: 1, notVisible: 0, delayed: 1))
    }

    @Test func deleteAndChangeVisibilityBatches() async throws {
        let f = try QueueFixture()
        for i in 0..<3 { _ = try await f.queue.sendMessage(body: "\(i)") }
        let got = try await f.queue.receiveMessages(maxNumberOfMessages: 3)
        let changed = try await f.queue.changeMessageVisibilityBatch([
            ChangeVisibilityBatchEntry(id: "a", receiptHandle: got[0].receiptHandle, visibilityTimeout: 0),
            ChangeVisibilityBatchEntry(id: "b", receiptHandle: "junk", visibilityTimeout: 0),
        ])
        #expect(changed.successfulIds == ["a"])
        #expect(changed.failed.first?.code == "ReceiptHandleIsInvalid")
        let deleted = try await f.queue.deleteMessageBatch([(id: "x", receiptHandle: got[1].receiptHandle), (id: "y", receiptHandle: got[2].receiptHandle)])
        #expect(deleted.successfulIds == ["x", "y"])
        #expect(try await f.queue.statistics() == QueueStatistics(visible: 1, notVisible: 0, delayed: 0))
    }

    @Test func inFlightLimitGivesOverLimit() async throws {
        let f = try QueueFixture(QueueConfiguration(name: "tiny", maximumInFlightMessages: 3))
        for i in 0..<5 { _ = try await f.queue.sendMessage(body: "\(i)") }
        #expect(try await f.queue.receiveMessages(maxNumberOfMessages: 10).count == 3)
        let error = await queueError { () async throws(QueueError) in _ = try await f.queue.receiveMessages() }
        #expect(error?.code == .overLimit)
        #expect(QueueConfiguration(name: "std").maximumInFlightMessages == 120_000)
        #expect(QueueConfiguration(name: "f.fifo").maximumInFlightMessages == 20_000)
    }

    @Test func deletedQueueAnswersQueueDoesNotExist() async throws {
        let f = try QueueFixture()
        try f.registry.deleteQueue("orders")
        let error = await queueError { () async throws(QueueError) in _ = try await f.queue.sendMessage(body: "x") }
        #expect(error?.code == .queueDoesNotExist)
        #expect(f.registry.queue(arn: f.queue.arn) == nil)
    }

    @Test func timersOfDeletedMessagesDoNotAccumulate() async throws {
        let f = try QueueFixture()
        for i in 0..<10_000 {
            _ = try f.queue.sendNow(body: "\(i)")
            let m = try #require(try await f.queue.receiveMessages().first)
            try f.queue.deleteNow(receiptHandle: m.receiptHandle)
        }
        let entries = try f.queue.withMachine { (m: inout QueueStateMachine) throws(QueueError) in m.timerEntryCount }
        #expect(entries <= 2 * 4096 + 2)
    }
}
