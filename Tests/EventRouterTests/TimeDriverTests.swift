import Synchronization
import Testing
@testable import EventRouter

/// Which component ran when, across components.
final class RunLog: Sendable {
    private let entries = Mutex<[(name: String, at: Timestamp)]>([])
    func append(_ name: String, _ at: Timestamp) { entries.withLock { $0.append((name, at)) } }
    var names: [String] { entries.withLock { $0.map(\.name) } }
    var times: [Timestamp] { entries.withLock { $0.map(\.at) } }
}

/// A component with work at fixed times: it records when each piece ran, and can be told new work.
final class ScriptedComponent: TimedComponent {
    let name: String
    let timedRole: TimedRole
    private let due = Mutex<[Timestamp]>([])
    private let log: RunLog?
    private let ran = Mutex<[Timestamp]>([])
    private let onRun: (@Sendable () -> Void)?

    init(_ name: String, at times: [Timestamp], role: TimedRole = .scheduled, log: RunLog? = nil,
         onRun: (@Sendable () -> Void)? = nil) {
        self.name = name
        self.timedRole = role
        self.log = log
        self.onRun = onRun
        due.withLock { $0 = times.sorted() }
    }

    /// Adds work due at `time`.
    func add(at time: Timestamp) { due.withLock { $0.append(time); $0.sort() } }

    var runTimes: [Timestamp] { ran.withLock { $0 } }

    func runDue(at now: Timestamp) async -> Int {
        let n = due.withLock { d in
            let n = d.prefix { $0 <= now }.count
            d.removeFirst(n)
            return n
        }
        for _ in 0..<n {
            ran.withLock { $0.append(now) }
            log?.append(name, now)
            onRun?()
        }
        return n
    }

    func timedStatus(at now: Timestamp) async -> TimedStatus {
        due.withLock { TimedStatus(pending: $0.count, nextDeadline: $0.first) }
    }
}

@Suite struct TimeDriverTests {
    let clock = ManualClock()
    var t0: Timestamp { clock.now }

    @Test func componentsRunInDeadlineOrderOnAVirtualClock() async {
        let t0 = clock.now
        let log = RunLog()
        let a = ScriptedComponent("a", at: [t0 + .seconds(30), t0 + .seconds(5)], log: log)
        let b = ScriptedComponent("b", at: [t0 + .seconds(10), t0], log: log)
        let c = ScriptedComponent("c", at: [t0 + .seconds(20)], log: log)
        let driver = TimeDriver(clock: .virtual(clock), wake: WakeSignal(), components: [a, b, c])
        let report = await driver.settle()
        #expect(report.stop == .settled)
        #expect(report.pending == [0, 0, 0])
        #expect(log.names == ["b", "a", "b", "c", "a"])
        #expect(log.times.map { $0 - t0 } == [.zero, .seconds(5), .seconds(10), .seconds(20), .seconds(30)])
        #expect(report.clockJumps == 4)
        #expect(clock.now == t0 + .seconds(30))
    }

    @Test func runUntilMovesAVirtualClockToTheDeadlineAndLeavesLaterWork() async {
        let t0 = clock.now
        let a = ScriptedComponent("a", at: [t0 + .seconds(1), t0 + .seconds(90)])
        let driver = TimeDriver(clock: .virtual(clock), wake: WakeSignal(), components: [a])
        let report = await driver.run(until: t0 + .seconds(60))
        #expect(report.stop == .settled)
        #expect(a.runTimes == [t0 + .seconds(1)])
        #expect(report.pending == [1])
        #expect(clock.now == t0 + .seconds(60))
    }

    @Test(arguments: [
        (SettleLimits(maximumClockJumps: 2), TimeDriver.Stop.jumpLimit),
        (SettleLimits(maximumVirtualTime: .seconds(15)), TimeDriver.Stop.timeLimit(next: Timestamp(nanosecondsSinceEpoch: 1_704_067_220_000_000_000), limit: .seconds(15))),
    ])
    func theOneSetOfLimitsBoundsSettling(limits: SettleLimits, stop: TimeDriver.Stop) async {
        let t0 = clock.now
        let a = ScriptedComponent("a", at: [t0 + .seconds(10), t0 + .seconds(20), t0 + .seconds(30)])
        let report = await TimeDriver(clock: .virtual(clock), wake: WakeSignal(), components: [a]).settle(limits: limits)
        #expect(report.stop == stop)
        #expect(report.pending.first ?? 0 > 0)
    }

    @Test func workWithNothingScheduledIsReportedIdle() async {
        let stuck = StuckComponent()
        let report = await TimeDriver(clock: .virtual(clock), wake: WakeSignal(), components: [stuck]).settle()
        #expect(report.stop == .idle)
        #expect(report.pending == [1])
    }

    @Test func aPollerWithoutProgressIsReportedStalled() async {
        let poller = ScriptedComponent("p", at: (1...50).map { clock.now + .seconds($0) }, role: .poller)
        let stuck = StalledPoller(inner: poller)
        let report = await TimeDriver(clock: .virtual(clock), wake: WakeSignal(), components: [stuck])
            .settle(limits: SettleLimits(maximumStalledPolls: 3))
        #expect(report.stop == .stalled(rounds: 3))
        #expect(report.pollerWork)
    }

    @Test func onARealClockNewWorkWakesTheDriverWithoutTimePassing() async throws {
        // A clock the test never moves stands in for the real one: only the wake signal can get work run.
        let wake = WakeSignal()
        let ran = WakeSignal()
        let a = ScriptedComponent("a", at: [], onRun: { ran.signal() })
        let driver = TimeDriver(clock: .real(clock), wake: wake, components: [a])
        let start = clock.now
        let serving = Task { try await driver.run() }
        while driver.state != .running { await Task.yield() }
        let seen = ran.generation
        a.add(at: start)
        wake.signal()
        await ran.wait(changedFrom: seen)
        #expect(a.runTimes == [start])
        driver.stop()
        try await serving.value
        #expect(driver.state == .finished)
        #expect(clock.now == start)
    }

    @Test func aDriverStartsOnce() async throws {
        let driver = TimeDriver(clock: .real(clock), wake: WakeSignal(), components: [])
        let serving = Task { try await driver.run() }
        while driver.state != .running { await Task.yield() }
        await #expect(throws: ServiceLifecycleError(service: "time driver", state: .running)) { try await driver.run() }
        driver.stop()
        try await serving.value
        let again = await #expect(throws: ServiceLifecycleError.self) { try await driver.run() }
        #expect(again?.description == "cannot start the time driver: it is finished (a service starts once; build a new one to run again)")
    }

    @Test func theLifecycleGoesNotStartedRunningStoppingFinished() throws {
        let lifecycle = ServiceLifecycle(name: "probe")
        #expect(lifecycle.state == .notStarted)
        try lifecycle.start()
        #expect(lifecycle.state == .running)
        #expect(throws: ServiceLifecycleError(service: "probe", state: .running)) { try lifecycle.start() }
        #expect(lifecycle.beginStopping())
        #expect(lifecycle.state == .stopping)
        #expect(!lifecycle.beginStopping())
        lifecycle.finish()
        #expect(lifecycle.state == .finished)
        #expect(throws: ServiceLifecycleError(service: "probe", state: .finished)) { try lifecycle.start() }
        let never = ServiceLifecycle(name: "never")
        #expect(!never.beginStopping())
        #expect(never.state == .finished)
    }
}

/// Holds one piece of work and never schedules it.
final class StuckComponent: TimedComponent {
    var timedRole: TimedRole { .scheduled }
    func runDue(at now: Timestamp) async -> Int { 0 }
    func timedStatus(at now: Timestamp) async -> TimedStatus { TimedStatus(pending: 1, nextDeadline: nil) }
}

/// A poller that keeps waking up and never makes progress.
final class StalledPoller: TimedComponent {
    let inner: ScriptedComponent
    init(inner: ScriptedComponent) { self.inner = inner }
    var timedRole: TimedRole { .poller }
    func runDue(at now: Timestamp) async -> Int {
        _ = await inner.runDue(at: now)
        return 0
    }
    func timedStatus(at now: Timestamp) async -> TimedStatus { await inner.timedStatus(at: now) }
}

@Suite struct WakeSignalAndHeapTests {
    @Test func aSignalBeforeTheWaitIsNotLost() async {
        let wake = WakeSignal()
        wake.signal()
        await wake.wait()
        let seen = wake.generation
        wake.signal()
        await wake.wait(changedFrom: seen)
        #expect(wake.generation == seen + 1)
    }

    @Test func cancellingEndsAWait() async {
        let wake = WakeSignal()
        let waiting = Task { await wake.wait(changedFrom: wake.generation) }
        waiting.cancel()
        await waiting.value
        #expect(wake.generation == 0)
    }

    @Test func theHeapOrdersByDueThenSequence() {
        var heap = DeadlineHeap<String>()
        let input: [(Int64, UInt64, String)] = [(30, 1, "c"), (10, 5, "b2"), (10, 2, "b1"), (5, 9, "a"), (40, 3, "d")]
        for (due, seq, name) in input { heap.push(due: due, sequence: seq, name) }
        #expect(heap.firstDue == 5)
        #expect(heap.popDue(Timestamp(nanosecondsSinceEpoch: 4)) == nil)
        var out: [String] = []
        while let x = heap.pop() { out.append(x) }
        #expect(out == ["a", "b1", "b2", "c", "d"])
        for (due, seq, name) in input { heap.push(due: due, sequence: seq, name) }
        heap.retain { $0.hasPrefix("b") || $0 == "d" }
        #expect(heap.count == 3)
        out = []
        while let x = heap.popDue(Timestamp(nanosecondsSinceEpoch: 35)) { out.append(x) }
        #expect(out == ["b1", "b2"])
    }
}
