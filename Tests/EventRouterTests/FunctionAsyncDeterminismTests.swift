import Synchronization
import Testing
@testable import EventRouter
import EventRouterTesting

/// Which attempts of a reserved-concurrency function are throttled must not depend on how fast
/// woken tasks reach the engine or how fast handlers finish (handlers run in real time while
/// retries wait on a virtual clock): every attempt due at one instant is admitted before any runs.
@Suite struct FunctionAsyncDeterminismTests {
    private func engine(reserved: Int, clock: any EventClock, sink: any EventTarget,
                        handler: @escaping @Sendable (JSONValue, FunctionContext) async throws -> JSONValue) -> AsyncInvocationEngine {
        let runtime = FunctionRuntime(manifest: .swiftTest(reserved: reserved, onSuccess: FunctionTestARNs.okQueue),
                                      handler: ClosureFunctionHandler(handler), clock: ManualClock())
        return AsyncInvocationEngine(runtime: runtime, clock: clock, sink: sink, random: SharedRandom(seed: 7))
    }

    /// An engine with reserved concurrency 1 and three events queued; the first one's handler
    /// waits at `gate`, the others answer at once.
    private func threeEventsFirstHeld(at gate: FunctionGate, clock: any EventClock, sink: any EventTarget) async -> AsyncInvocationEngine {
        let first = Atomic<Bool>(true)
        let e = engine(reserved: 1, clock: clock, sink: sink) { event, _ in
            if first.exchange(false, ordering: .relaxed) { await gate.enter() }
            return event
        }
        for i in 0..<3 { await e.enqueue(["n": .number(JSONNumber(i))]) }
        return e
    }

    /// Two retries due at the same instant; the clock wakes them one at a time and the second
    /// reaches the engine only after the first one's handler has finished (a loaded machine).
    /// They were due together, so one of them is throttled, as when both woke at once.
    @Test func retriesDueAtOneInstantAreAdmittedTogetherHoweverLateTheyWake() async throws {
        let changes = WakeSignal()
        let clock = StaggeredClock(changes: changes), sink = SignallingSink(changes: changes), gate = FunctionGate()
        let start = clock.now
        let e = await threeEventsFirstHeld(at: gate, clock: clock, sink: sink)
        await gate.waitForEntered(1)
        await clock.waitForSleepers(2)
        gate.releaseAll()
        await sink.recorded.waitForMessages(1)
        #expect(e.runtime.metrics.snapshot.throttles == 2)
        clock.move(to: start + .seconds(1))
        #expect(clock.resumeEarliestDue())
        await sink.recorded.waitForMessages(2)
        #expect(clock.resumeEarliestDue())
        // The late one is throttled again (its second backoff, 2 s) rather than run.
        await changes.until { clock.sleeperCount >= 1 || sink.recorded.messages.count >= 3 }
        #expect(sink.recorded.messages.count == 2)
        #expect(clock.nextDeadline == start + .seconds(3))
        #expect(e.runtime.metrics.snapshot.throttles == 3)
        clock.move(to: start + .seconds(3))
        #expect(clock.resumeEarliestDue())
        await e.waitUntilIdle()
        #expect(e.runtime.metrics.snapshot.invocations == 3)
        #expect(sink.recorded.messages.count == 3)
    }

    /// The driver never moves a virtual clock while a handler runs: with the first event's
    /// handler held at a gate, its throttled companions wait at their first retry time until
    /// it has finished, and then exactly one of them is throttled again.
    @Test func theDriverWaitsForARunningHandlerBeforeItJumps() async throws {
        let clock = ManualClock(), sink = RecordingDestinationSink(), gate = FunctionGate()
        let start = clock.now
        let e = await threeEventsFirstHeld(at: gate, clock: clock, sink: sink)
        async let settled: Void = e.settle(on: clock)
        await gate.waitForEntered(1)
        await clock.waitForSleepers(2)
        #expect(clock.now == start)
        gate.releaseAll()
        await settled
        let m = e.runtime.metrics.snapshot
        #expect(m.throttles == 2 + 1)
        #expect(m.invocations == 3)
        #expect(clock.now == start + .seconds(3))
        #expect(sink.messages.count == 3)
    }
}

/// A virtual clock whose sleepers the test wakes one at a time (``resumeEarliestDue()``) after
/// moving the time (``move(to:)``): a woken task that reaches its engine late, as on a loaded machine.
final class StaggeredClock: EventClock {
    private struct Sleeper {
        var id: UInt64
        var deadline: Timestamp
        var continuation: CheckedContinuation<Void, any Error>
    }
    private struct State {
        var now = Timestamp(nanosecondsSinceEpoch: 1_704_067_200_000_000_000)
        var nextID: UInt64 = 0
        var sleepers: [Sleeper] = []
    }
    private let state = Mutex(State())
    private let parked: WakeSignal

    init(changes: WakeSignal = WakeSignal()) { parked = changes }

    var now: Timestamp { state.withLock { $0.now } }
    var nextDeadline: Timestamp? { state.withLock { $0.sleepers.map(\.deadline).min() } }
    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    func sleep(until deadline: Timestamp) async throws {
        let id = state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                let now: Bool = state.withLock { s in
                    if deadline <= s.now { return true }
                    s.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: c))
                    return false
                }
                if now { c.resume() } else { parked.signal() }
            }
        } onCancel: {
            let sleeper: Sleeper? = state.withLock { s in
                s.sleepers.firstIndex { $0.id == id }.map { s.sleepers.remove(at: $0) }
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the time without waking anyone.
    func move(to t: Timestamp) { state.withLock { $0.now = t } }

    /// Wakes the earliest sleeper that is due (ties: the first to park); false when none is.
    func resumeEarliestDue() -> Bool {
        let sleeper: Sleeper? = state.withLock { s in
            let due = s.sleepers.indices.filter { s.sleepers[$0].deadline <= s.now }
            guard let i = due.min(by: { (s.sleepers[$0].deadline, s.sleepers[$0].id) < (s.sleepers[$1].deadline, s.sleepers[$1].id) }) else { return nil }
            return s.sleepers.remove(at: i)
        }
        sleeper?.continuation.resume()
        return sleeper != nil
    }

    /// Waits until `count` tasks sleep on this clock.
    func waitForSleepers(_ count: Int) async { await parked.until { self.sleeperCount >= count } }
}

/// Records destination messages and signals `changes` on each.
final class SignallingSink: EventTarget {
    let recorded = RecordingDestinationSink()
    private let changes: WakeSignal
    init(changes: WakeSignal) { self.changes = changes }
    func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        let outcome = await recorded.deliver(delivery)
        changes.signal()
        return outcome
    }
}

extension WakeSignal {
    /// Waits until `condition` holds, re-checking it each time the signal fires.
    func until(_ condition: () -> Bool) async {
        while true {
            let seen = generation
            if condition() { return }
            await wait(changedFrom: seen)
        }
    }
}
