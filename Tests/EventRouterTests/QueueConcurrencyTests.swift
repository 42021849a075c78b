import Testing
import Synchronization
@testable import EventRouter

final class QueueTally: Sendable {
    let seen = Mutex([String: Int]())
    let deleted = Atomic<Int>(0)
}

@Suite struct QueueConcurrencyTests {
    @Test func manyProducersAndConsumersLoseAndDuplicateNothing() async throws {
        let f = try QueueFixture()
        let queue = f.queue
        let producers = 8, perProducer = 250, consumers = 6
        let total = producers * perProducer
        let tally = QueueTally()
        await withThrowingTaskGroup(of: Void.self) { group in
            for p in 0..<producers {
                group.addTask {
                    for i in 0..<perProducer { _ = try await queue.sendMessage(body: "p\(p)-\(i)") }
                }
            }
            for _ in 0..<consumers {
                group.addTask {
                    while tally.deleted.load(ordering: .relaxed) < total {
                        let batch = try await queue.receiveMessages(maxNumberOfMessages: 10)
                        if batch.isEmpty {
                            await Task.yield()
                            continue
                        }
                        for m in batch {
                            tally.seen.withLock { $0[m.body, default: 0] += 1 }
                            if try await queue.deleteMessage(receiptHandle: m.receiptHandle) {
                                tally.deleted.add(1, ordering: .relaxed)
                            }
                        }
                    }
                }
            }
        }
        let counts = tally.seen.withLock { $0 }
        #expect(tally.deleted.load(ordering: .relaxed) == total)
        #expect(counts.count == total)
        // The clock never moved, so no visibility timeout expired: every message was received exactly once.
        #expect(counts.values.allSatisfy { $0 == 1 })
        #expect(try await queue.statistics().total == 0)
    }

    @Test func abandonedMessagesComeBackOnceAndNothingIsLost() async throws {
        let f = try QueueFixture()
        let queue = f.queue
        let total = 1_000, consumers = 4
        let tally = QueueTally()
        for i in 0..<total { _ = try await queue.sendMessage(body: "\(i)") }
        // Phase 1: consumers delete even bodies and abandon odd ones (a crashed worker).
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<consumers {
                group.addTask {
                    while true {
                        let batch = try await queue.receiveMessages(maxNumberOfMessages: 10)
                        if batch.isEmpty { return }
                        for m in batch {
                            tally.seen.withLock { $0[m.body, default: 0] += 1 }
                            if (Int(m.body) ?? 1) % 2 == 0, try await queue.deleteMessage(receiptHandle: m.receiptHandle) {
                                tally.deleted.add(1, ordering: .relaxed)
                            }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await queue.statistics() == QueueStatistics(visible: 0, notVisible: total / 2, delayed: 0))
        f.advance(seconds: 30)
        // Phase 2: the abandoned half is visible again and is drained.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<consumers {
                group.addTask {
                    while true {
                        let batch = try await queue.receiveMessages(maxNumberOfMessages: 10)
                        if batch.isEmpty { return }
                        for m in batch {
                            tally.seen.withLock { $0[m.body, default: 0] += 1 }
                            #expect(m.attributes["ApproximateReceiveCount"] == "2")
                            if try await queue.deleteMessage(receiptHandle: m.receiptHandle) { tally.deleted.add(1, ordering: .relaxed) }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let seen = tally.seen.withLock { $0 }
        #expect(tally.deleted.load(ordering: .relaxed) == total)
        #expect(seen.count == total)
        #expect(seen.allSatisfy { $0.value == ((Int($0.key) ?? 0) % 2 == 0 ? 1 : 2) })
        #expect(try await queue.statistics().total == 0)
    }
}
