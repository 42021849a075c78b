import Synchronization

/// The one drive loop of EventRouter: it runs a set of ``TimedComponent``s on one clock.
///
/// Each round it runs what every component has due now (in the order given), lets work that
/// runs in tasks of its own (function handlers) park, and then waits for the earliest deadline
/// of any component:
/// - on a virtual clock (``DriveClock/virtual(_:handlers:)``) it jumps the clock there, so a day
///   of backoff settles in milliseconds and a seeded run is reproducible;
/// - on a real clock it sleeps until then or until the ``wake`` signal fires (new work).
///
/// Verbs: ``settle(limits:)`` drives until no component holds work; ``run(until:limits:)``
/// drives until the clock reaches a time; ``run()`` serves until ``stop()``.
///
/// The driver is a service with a lifecycle (``ServiceLifecycle``): ``run()`` may be called
/// once; settling while it runs is refused the same way.
public final class TimeDriver: Sendable {
    /// How a stop came about.
    public enum Stop: Sendable, Hashable {
        /// No component holds work (or, with a deadline, the clock reached it).
        case settled
        /// Components hold work, but nothing is scheduled to move it.
        case idle
        /// Only pollers hold work, and it made no progress for this many rounds in a row.
        case stalled(rounds: Int)
        /// ``SettleLimits/maximumClockJumps`` was reached.
        case jumpLimit
        /// The next deadline lies more than `limit` (``SettleLimits/maximumVirtualTime``) after the start.
        case timeLimit(next: Timestamp, limit: Duration)
        /// The service was stopped or the task cancelled.
        case stopped
    }

    /// How driving ended.
    public struct Report: Sendable, Hashable {
        public var stop: Stop
        /// Clock jumps made (virtual time only).
        public var clockJumps: Int
        /// Work each component held when driving stopped, in the order of the components.
        public var pending: [Int]
        /// Whether any poller still held work.
        public var pollerWork: Bool
    }

    /// The clock moved (virtual) or slept on (real).
    public let clock: DriveClock
    /// Fired by components when work arrives or handlers park or settle.
    public let wake: WakeSignal
    private let components: [any TimedComponent]
    private let lifecycle = ServiceLifecycle(name: "time driver")

    /// - Parameters:
    ///   - clock: the one clock of the runtime, chosen when it is built.
    ///   - wake: the signal components fire (give the same one to every component).
    ///   - components: what to drive, in the order their due work runs each round.
    public init(clock: DriveClock, wake: WakeSignal, components: [any TimedComponent]) {
        self.clock = clock
        self.wake = wake
        self.components = components
        if case .virtual(let manual, nil) = clock { manual.signalParking(to: wake) }
    }

    /// The lifecycle state of ``run()``.
    public var state: ServiceState { lifecycle.state }

    /// Drives until no component holds work, or a limit is reached.
    public func settle(limits: SettleLimits = SettleLimits()) async -> Report {
        await drive(limits: limits, until: nil)
    }

    /// Drives everything due up to `deadline` and returns when the clock has reached it (a
    /// virtual clock is moved there; a real one is slept on).
    @discardableResult
    public func run(until deadline: Timestamp, limits: SettleLimits = SettleLimits()) async -> Report {
        await drive(limits: limits, until: deadline)
    }

    /// Serves: drives every component as work arrives until ``stop()`` is called or the task is
    /// cancelled. Work still pending then is left where it is (a later ``settle(limits:)`` on a
    /// new driver finds it).
    /// - Throws: ``ServiceLifecycleError`` when the driver was already started.
    public func run() async throws(ServiceLifecycleError) {
        try lifecycle.start()
        defer { lifecycle.finish() }
        var limits = SettleLimits(maximumClockJumps: .max, maximumVirtualTime: .seconds(Int64.max / 1_000_000_000 / 2))
        limits.maximumStalledPolls = .max
        _ = await loop(limits: limits, until: nil, serving: true)
    }

    /// Asks ``run()`` to stop after its current round (it then returns).
    public func stop() {
        if lifecycle.beginStopping() { wake.signal() }
    }

    private func drive(limits: SettleLimits, until deadline: Timestamp?) async -> Report {
        await loop(limits: limits, until: deadline, serving: false)
    }

    private func loop(limits: SettleLimits, until deadline: Timestamp?, serving: Bool) async -> Report {
        let start = clock.now
        let hasPollers = components.contains { $0.timedRole == .poller }
        var jumps = 0, rounds = 0, stalled = 0, progress = 0
        while true {
            if Task.isCancelled || (serving && lifecycle.state != .running) {
                return await report(.stopped, jumps: jumps)
            }
            // 1. Everything due now, in component order; pollers run after the wake generation is read.
            var generation = wake.generation
            for c in components {
                if c.timedRole == .poller {
                    generation = wake.generation
                    progress += await c.runDue(at: clock.now)
                } else {
                    _ = await c.runDue(at: clock.now)
                }
            }
            // 2. Let handlers run until every one has settled or parked.
            await waitForHandlersToPark()
            let now = clock.now
            var statuses: [TimedStatus] = []
            statuses.reserveCapacity(components.count)
            for c in components { statuses.append(await c.timedStatus(at: now)) }
            if zip(components, statuses).contains(where: { $0.timedRole == .scheduled && ($1.nextDeadline.map { $0 <= now } ?? false) }) { continue }
            // Handlers may have put work where pollers look: poll again at this instant.
            if hasPollers && wake.generation != generation { continue }
            // 3. Wait for the earliest deadline of any component.
            var deadlines = statuses.compactMap(\.nextDeadline)
            deadlines += clock.sleeperDeadlines
            if case .real = clock, statuses.contains(where: { $0.pending > 0 }) { deadlines.append(now + .seconds(1)) }
            let onlyPollers = zip(components, statuses).allSatisfy { $0.timedRole == .poller || $1.pending == 0 }
            let pollerWork = zip(components, statuses).contains { $0.timedRole == .poller && $1.pending > 0 }
            let idle = statuses.allSatisfy { $0.pending == 0 }
            if let deadline, deadlines.allSatisfy({ $0 > deadline }) {
                if clock.now >= deadline { return Report(stop: .settled, clockJumps: jumps, pending: statuses.map(\.pending), pollerWork: pollerWork) }
                if case .virtual(let manual, let handlers) = clock {
                    if let handlers { handlers.advance(to: deadline) } else { manual.advance(to: deadline) }
                    return Report(stop: .settled, clockJumps: jumps, pending: statuses.map(\.pending), pollerWork: pollerWork)
                }
                await sleepOrWake(until: deadline)
                continue
            }
            guard let next = deadlines.min() else {
                if serving {
                    await wake.wait(changedFrom: generation)
                    continue
                }
                return Report(stop: idle ? .settled : .idle, clockJumps: jumps, pending: statuses.map(\.pending), pollerWork: pollerWork)
            }
            if idle && deadline == nil && !serving {
                return Report(stop: .settled, clockJumps: jumps, pending: statuses.map(\.pending), pollerWork: pollerWork)
            }
            // Only poller work left, and no progress for a long time: it is blocked for good
            // (rounds count from the first wait: a clock jump, or a sleep on a real clock).
            stalled = onlyPollers && progress == 0 ? stalled + (rounds > 0 ? 1 : 0) : 0
            rounds += 1
            progress = 0
            func stop(_ s: Stop) -> Report { Report(stop: s, clockJumps: jumps, pending: statuses.map(\.pending), pollerWork: pollerWork) }
            if stalled >= limits.maximumStalledPolls { return stop(.stalled(rounds: stalled)) }
            switch clock {
            case .virtual(let manual, let handlers):
                if jumps >= limits.maximumClockJumps { return stop(.jumpLimit) }
                if next - start > limits.maximumVirtualTime { return stop(.timeLimit(next: next, limit: limits.maximumVirtualTime)) }
                jumps += 1
                if let handlers { handlers.advance(to: next) } else { manual.advance(to: next) }
            case .real:
                // A real clock: sleep until the deadline (polling at least once a second) or new work.
                await sleepOrWake(until: max(next, now + .milliseconds(1)), seen: generation)
            }
        }
    }

    /// Under virtual time, waits until every pending handler event is parked on the clock.
    private func waitForHandlersToPark() async {
        guard case .virtual = clock, components.contains(where: { $0.timedRole == .handlers }) else { return }
        while !Task.isCancelled {
            let generation = wake.generation
            var pending = 0, parked = 0
            for c in components where c.timedRole == .handlers {
                let s = await c.timedStatus(at: clock.now)
                pending += s.pending
                parked += s.parked
            }
            if parked >= pending && pending <= clock.parkedHandlers && wake.generation == generation { return }
            await wake.wait(changedFrom: generation)
        }
    }

    private func sleepOrWake(until deadline: Timestamp, seen: UInt64? = nil) async {
        await wake.wait(changedFrom: seen ?? wake.generation, orUntil: deadline, on: clock.eventClock)
    }

    private func report(_ stop: Stop, jumps: Int) async -> Report {
        var pending: [Int] = []
        var pollerWork = false
        for c in components {
            let p = await c.timedStatus(at: clock.now).pending
            pending.append(p)
            if c.timedRole == .poller && p > 0 { pollerWork = true }
        }
        return Report(stop: stop, clockJumps: jumps, pending: pending, pollerWork: pollerWork)
    }
}
