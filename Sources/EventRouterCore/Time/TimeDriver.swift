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
        let eventClock = clock.eventClock
        let virtual: (manual: ManualClock, handlers: SettleClock?)?
        if case .virtual(let manual, let handlers) = clock { virtual = (manual, handlers) } else { virtual = nil }
        let roles = components.map(\.timedRole)
        let hasPollers = roles.contains(.poller)
        let hasHandlers = roles.contains(.handlers)
        var statuses: [TimedStatus] = []
        statuses.reserveCapacity(components.count)
        var jumps = 0, rounds = 0, stalled = 0, progress = 0
        while true {
            if Task.isCancelled || (serving && lifecycle.state != .running) {
                return await report(.stopped, jumps: jumps)
            }
            // 1. Everything due now, in component order; pollers run after the wake generation is read.
            //    A scheduled component that tells its status without suspending and has nothing
            //    due is skipped (with jitter nearly every attempt is its own clock jump).
            var generation = wake.generation
            for (c, role) in zip(components, roles) {
                if role == .poller {
                    generation = wake.generation
                    progress += await c.runDue(at: eventClock.now)
                } else {
                    let now = eventClock.now
                    if role == .scheduled, let status = c.timedStatusNow(at: now), !(status.nextDeadline.map { $0 <= now } ?? false) { continue }
                    _ = await c.runDue(at: now)
                }
            }
            // 2. Let handlers run until every one has settled or parked.
            if hasHandlers, virtual != nil { await waitForHandlersToPark() }
            let now = eventClock.now
            statuses.removeAll(keepingCapacity: true)
            var dueNow = false, anyPending = false, onlyPollers = true, pollerWork = false
            var next: Timestamp?
            for (c, role) in zip(components, roles) {
                let status = await c.currentStatus(at: now)
                statuses.append(status)
                if let d = status.nextDeadline {
                    if role == .scheduled && d <= now { dueNow = true }
                    if next.map({ d < $0 }) ?? true { next = d }
                }
                if status.pending > 0 {
                    anyPending = true
                    if role == .poller { pollerWork = true } else { onlyPollers = false }
                }
            }
            if dueNow { continue }
            // Handlers may have put work where pollers look: poll again at this instant.
            if hasPollers && wake.generation != generation { continue }
            // 3. Wait for the earliest deadline of any component (or of a task parked on the clock).
            if let virtual {
                if let d = virtual.handlers?.nextDeadline, next.map({ d < $0 }) ?? true { next = d }
                if let d = virtual.manual.nextDeadline, next.map({ d < $0 }) ?? true { next = d }
            } else if anyPending, next.map({ now + .seconds(1) < $0 }) ?? true {
                next = now + .seconds(1)
            }
            let idle = !anyPending
            func stop(_ s: Stop) -> Report { Report(stop: s, clockJumps: jumps, pending: statuses.map(\.pending), pollerWork: pollerWork) }
            if let deadline, next.map({ $0 > deadline }) ?? true {
                if eventClock.now >= deadline { return stop(.settled) }
                if let virtual {
                    if let handlers = virtual.handlers { handlers.advance(to: deadline) } else { virtual.manual.advance(to: deadline) }
                    return stop(.settled)
                }
                await sleepOrWake(until: deadline)
                continue
            }
            guard let next else {
                if serving {
                    await wake.wait(changedFrom: generation)
                    continue
                }
                return stop(idle ? .settled : .idle)
            }
            if idle && deadline == nil && !serving { return stop(.settled) }
            // Only poller work left, and no progress for a long time: it is blocked for good
            // (rounds count from the first wait: a clock jump, or a sleep on a real clock).
            stalled = onlyPollers && progress == 0 ? stalled + (rounds > 0 ? 1 : 0) : 0
            rounds += 1
            progress = 0
            if stalled >= limits.maximumStalledPolls { return stop(.stalled(rounds: stalled)) }
            if let virtual {
                if jumps >= limits.maximumClockJumps { return stop(.jumpLimit) }
                if next - start > limits.maximumVirtualTime { return stop(.timeLimit(next: next, limit: limits.maximumVirtualTime)) }
                jumps += 1
                if let handlers = virtual.handlers { handlers.advance(to: next) } else { virtual.manual.advance(to: next) }
            } else {
                // A real clock: sleep until the deadline (polling at least once a second) or new work.
                await sleepOrWake(until: max(next, now + .milliseconds(1)), seen: generation)
            }
        }
    }

    /// Under virtual time, waits until every pending handler event is parked on the clock.
    private func waitForHandlersToPark() async {
        while !Task.isCancelled {
            let generation = wake.generation
            var pending = 0, parked = 0
            for c in components where c.timedRole == .handlers {
                let s = await c.currentStatus(at: clock.now)
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
            let p = await c.currentStatus(at: clock.now).pending
            pending.append(p)
            if c.timedRole == .poller && p > 0 { pollerWork = true }
        }
        return Report(stop: stop, clockJumps: jumps, pending: pending, pollerWork: pollerWork)
    }
}
