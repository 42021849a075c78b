import Synchronization
import Testing
@testable import EventRouter
@testable import EventRouterCore
import EventRouterTesting

/// A target that holds its `holdAt`-th delivery until ``release()``, and tells the test when
/// that delivery has arrived; every other delivery succeeds at once.
final class HoldingTarget: EventTarget {
    private struct State {
        var count = 0
        var released = false
        var parked: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())
    private let holdAt: Int
    /// Signalled when the held delivery arrives.
    let arrived = WakeSignal()

    init(holdAt: Int) { self.holdAt = holdAt }

    var count: Int { state.withLock { $0.count } }

    func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        let n = state.withLock { s in
            s.count += 1
            return s.count
        }
        guard n == holdAt else { return .success }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { s in
                if s.released { return true }
                s.parked = c
                return false
            }
            arrived.signal()
            if resumeNow { c.resume() }
        }
        return .success
    }

    func release() {
        let parked = state.withLock { s in
            s.released = true
            defer { s.parked = nil }
            return s.parked
        }
        parked?.resume()
    }
}

/// Graceful shutdown of `run` after a burst: the driver is stopped and its task cancelled
/// (``RouterServer/run(onReady:)``), so a round busy with a long backlog ends after the delivery
/// in hand instead of working through the backlog, and what was not delivered stays pending.
@Suite struct DeliverySchedulerShutdownTests {
    static let targetArn = "arn:aws:sqs:us-east-1:123456789012:target"

    @Test(arguments: [1, 64])
    func cancellingTheServingDriverEndsABusyRoundAndLeavesTheBacklogPending(concurrency: Int) async throws {
        let clock = ManualClock()
        let targets = TargetRegistry()
        let target = HoldingTarget(holdAt: 10)
        targets.register(target, for: Self.targetArn)
        let wake = WakeSignal()
        let scheduler = DeliveryScheduler(clock: .real(clock), random: SharedRandom(seed: 1), targets: targets,
                                          configuration: .init(maximumConcurrentDeliveries: concurrency), wake: wake)
        let backlog = 2_000
        scheduler.enqueue((0..<backlog).map { n in
            let event = Event(id: "e-\(n)", detailType: "Placed", source: "shop", account: "123456789012", time: clock.now,
                              region: "us-east-1", detail: ["orderId": "o-1"])
            return DeliveryRequest(event: event, ruleArn: "arn:aws:events:us-east-1:123456789012:rule/r", targetId: "t",
                                   targetArn: Self.targetArn, body: .success("{}"), policy: RetryPolicy(), deadLetterArn: nil,
                                   acceptedAt: clock.now)
        })
        let driver = TimeDriver(clock: .real(clock), wake: wake, components: [scheduler])
        let seen = target.arrived.generation
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await driver.run() }
            await target.arrived.wait(changedFrom: seen)
            driver.stop()
            group.cancelAll()
            target.release()
        }
        #expect(driver.state == .finished)
        let delivered = target.count
        #expect(delivered >= 10)
        #expect(delivered < backlog, "the round worked through the whole backlog after the stop")
        let status = await scheduler.timedStatus(at: clock.now)
        #expect(status.pending == backlog - delivered, "every delivery not made stays pending, none is lost")
    }
}
