import Dispatch
import Foundation
import Synchronization
import Testing
@testable import EventRouter

@Suite struct BlockingIOPoolTests {
    /// Blocks the calling pool thread until released; tells `entered` when it starts.
    private final class Blocker: Sendable {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let started = Atomic<Int>(0)
    }

    /// Waits on `semaphore` `count` times on a thread of its own (never on the cooperative pool).
    private func wait(_ semaphore: DispatchSemaphore, times count: Int) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            Thread {
                for _ in 0..<count { semaphore.wait() }
                c.resume()
            }.start()
        }
    }

    @Test func workBeyondTheCapacityWaitsForAThreadInsteadOfStartingOne() async {
        let pool = BlockingIOPool(capacity: 3)
        let b = Blocker()
        await withTaskGroup(of: Int.self) { group in
            for i in 0..<10 {
                group.addTask {
                    await pool.run {
                        b.started.add(1, ordering: .relaxed)
                        b.entered.signal()
                        b.release.wait()
                        return i
                    }
                }
            }
            await wait(b.entered, times: 3)
            #expect(pool.threadCounts.current == 3)
            #expect(b.started.load(ordering: .relaxed) == 3)
            for _ in 0..<10 { b.release.signal() }
            var results: [Int] = []
            for await r in group { results.append(r) }
            #expect(results.sorted() == Array(0..<10))
        }
        #expect(b.started.load(ordering: .relaxed) == 10)
        #expect(pool.threadCounts.peak == 3)
    }

    @Test func eachQueuedPieceOfWorkGetsAThreadWhileThereIsRoom() async {
        let pool = BlockingIOPool(capacity: 8)
        let b = Blocker()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<5 {
                group.addTask { await pool.run { b.entered.signal(); b.release.wait() } }
            }
            // All five block at once: none waits behind another while the pool has room.
            await wait(b.entered, times: 5)
            #expect(pool.threadCounts.current == 5)
            for _ in 0..<5 { b.release.signal() }
        }
    }

    @Test func theCapacityOnlyGrows() {
        let pool = BlockingIOPool(capacity: 4)
        pool.ensureCapacity(2)
        #expect(pool.capacity == 4)
        pool.ensureCapacity(1_200)
        #expect(pool.capacity == 1_200)
    }
}
