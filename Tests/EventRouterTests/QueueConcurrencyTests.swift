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
}
