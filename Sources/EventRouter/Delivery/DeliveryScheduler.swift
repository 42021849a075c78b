import Synchronization

/// The delivery engine: a discrete-event scheduler over every pending (event, target) attempt.
///
/// Attempts wait in one min-heap keyed by (due time, sequence); there is no task per retry.
/// One runner (``run()`` or ``runUntilSettled()``) starts due attempts, hands each outcome to
/// the pure ``DeliveryStateMachine`` and schedules the retry, dead-letter message or drop it
/// decides. With a virtual clock (``Configuration/virtualClock``) the runner moves the clock to
/// the next due time whenever nothing is due and nothing is in flight, so a day of backoff
/// settles in milliseconds; attempts then run one at a time in (due, sequence) order, which
/// makes a seeded run reproducible. With a real clock it sleeps until the next due time or
/// new work, and runs up to ``Configuration/maximumConcurrentDeliveries`` attempts at once.
public final class DeliveryScheduler: Sendable {
    /// How the scheduler runs.
    public struct Configuration: Sendable {
        /// Backoff for retries (default 1 s doubling, capped at 12 minutes).
        public var backoff: Backoff
        /// Attempts in flight at once with a real clock (a virtual clock runs them one by one).
        public var maximumConcurrentDeliveries: Int
        /// Set for `--virtual-time`: the scheduler advances this clock itself.
        public var virtualClock: ManualClock?

        public init(backoff: Backoff = Backoff(), maximumConcurrentDeliveries: Int = 64, virtualClock: ManualClock? = nil) {
            self.backoff = backoff
            self.maximumConcurrentDeliveries = maximumConcurrentDeliveries
            self.virtualClock = virtualClock
        }
    }

    private struct Completion {
        var item: DeliveryHeap.Item
        var outcome: DeliveryOutcome
        var at: Timestamp
    }

    private struct State {
        var heap = DeliveryHeap()
        var sequence: UInt64 = 0
        var inFlight = 0
        var completions: [Completion] = []
        var statistics = DeliveryStatistics()
    }

    private let clock: any EventClock
    private let random: SharedRandom
    private let targets: TargetRegistry
    private let configuration: Configuration
    private let observer: (@Sendable (DeliveryTraceEvent) -> Void)?
    private let state = Mutex(State())
    private let wake = SchedulerWakeSignal()

    /// - Parameters:
    ///   - clock: every due time and event age reads it (use the virtual clock itself when one is set).
    ///   - random: the jitter source.
    ///   - targets: where deliveries and dead-letter messages go.
    ///   - observer: told about every attempt, retry, dead-letter and drop.
    public init(clock: any EventClock, random: SharedRandom, targets: TargetRegistry, configuration: Configuration = Configuration(),
                observer: (@Sendable (DeliveryTraceEvent) -> Void)? = nil) {
        self.clock = configuration.virtualClock ?? clock
        self.random = random
        self.targets = targets
        self.configuration = configuration
        self.observer = observer
    }

    /// Schedules the first attempt of each request, due now.
    public func enqueue(_ requests: [DeliveryRequest]) {
        guard !requests.isEmpty else { return }
        let now = clock.now.nanosecondsSinceEpoch
        state.withLock { s in
            for r in requests {
                s.sequence += 1
                s.heap.push(.init(due: now, sequence: s.sequence, retries: 0, request: r, kind: .attempt))
            }
        }
        wake.signal()
    }

    /// The counters so far.
    public var statistics: DeliveryStatistics { state.withLock { $0.statistics } }

    /// Attempts and dead-letter messages waiting or in flight.
    public var pendingCount: Int { state.withLock { $0.heap.count + $0.inFlight + $0.completions.count } }

    /// The due time of the earliest waiting attempt.
    public var nextDueTime: Timestamp? {
        state.withLock { s in s.heap.firstDue.map { Timestamp(nanosecondsSinceEpoch: $0) } }
    }

    /// Runs until every scheduled delivery has settled (succeeded, dead-lettered or dropped).
    public func runUntilSettled() async { await loop(settle: true) }

    /// Runs until the task is cancelled.
    public func run() async { await loop(settle: false) }

    /// Runs every attempt (and dead-letter message) due at the clock's current time, one at a
    /// time in (due, sequence) order, and returns when none is due. Never sleeps and never moves
    /// a virtual clock: for a driver that settles the scheduler together with other components
    /// on one virtual clock (see ``RouterRuntime/settle(limits:)``).
    public func runDue() async {
        let serial = isSerial
        var run = 0
        while !Task.isCancelled {
            run += 1
            if run % 64 == 0 { await Task.yield() }  // a long burst must not hog a cooperative thread
            guard let item = popDue(clock.now.nanosecondsSinceEpoch, limit: Int.max) else { return }
            let outcome = await perform(item)
            if !serial { state.withLock { $0.inFlight -= 1 } }
            apply(Completion(item: item, outcome: outcome, at: clock.now))
        }
    }

    /// Runs every attempt due up to `deadline` and returns when the clock has reached it (a
    /// virtual clock is moved there; a real one is slept on). Paced replays put the next event then.
    public func runUntil(_ deadline: Timestamp) async { await loop(settle: true, until: deadline) }

    private var isSerial: Bool { configuration.virtualClock != nil || configuration.maximumConcurrentDeliveries <= 1 }

    private func loop(settle: Bool, until: Timestamp? = nil) async {
        let serial = isSerial
        let limit = max(1, configuration.maximumConcurrentDeliveries)
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                // 1. Apply finished attempts in sequence order (deterministic jitter draws).
                let done: [Completion] = state.withLock { s in
                    defer { s.completions.removeAll(keepingCapacity: true) }
                    return s.completions
                }
                for c in done.sorted(by: { $0.item.sequence < $1.item.sequence }) { apply(c) }

                // 2. Start everything due.
                let now = clock.now
                if serial {
                    if let item = popDue(now.nanosecondsSinceEpoch, limit: 1) {
                        let outcome = await perform(item)
                        apply(Completion(item: item, outcome: outcome, at: clock.now))
                        continue
                    }
                } else {
                    while let item = popDue(now.nanosecondsSinceEpoch, limit: limit) {
                        group.addTask { [self] in
                            let outcome = await perform(item)
                            let at = clock.now
                            state.withLock { s in
                                s.inFlight -= 1
                                s.completions.append(Completion(item: item, outcome: outcome, at: at))
                            }
                            wake.signal()
                        }
                    }
                }

                // 3. Wait for the next thing to happen.
                let (inFlight, hasCompletions, nextDue) = state.withLock { s in (s.inFlight, !s.completions.isEmpty, s.heap.firstDue) }
                if hasCompletions { continue }
                if inFlight > 0 {
                    await wake.wait()
                    continue
                }
                if let until, nextDue.map({ Timestamp(nanosecondsSinceEpoch: $0) > until }) ?? true {
                    if clock.now >= until { break }
                    if let virtual = configuration.virtualClock {
                        virtual.advance(to: until)
                        break
                    }
                    await sleepOrWake(until: until)
                    continue
                }
                if let nextDue {
                    let due = Timestamp(nanosecondsSinceEpoch: nextDue)
                    if due <= clock.now { continue }
                    if let virtual = configuration.virtualClock {
                        if let other = virtual.nextDeadline, other < due {
                            virtual.advance(to: other)
                            await Task.yield()
                        } else {
                            virtual.advance(to: due)
                        }
                    } else {
                        await sleepOrWake(until: due)
                    }
                    continue
                }
                if settle { break }
                await wake.wait()
            }
        }
    }

    private func popDue(_ now: Int64, limit: Int) -> DeliveryHeap.Item? {
        state.withLock { s in
            guard s.inFlight < limit, let due = s.heap.firstDue, due <= now else { return nil }
            s.inFlight += 1
            return s.heap.pop()
        }
    }

    private func sleepOrWake(until deadline: Timestamp) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [clock] in try? await clock.sleep(until: deadline) }
            group.addTask { [wake] in await wake.wait() }
            await group.next()
            group.cancelAll()
        }
    }

    private func perform(_ item: DeliveryHeap.Item) async -> DeliveryOutcome {
        let r = item.request
        switch item.kind {
        case .attempt:
            let body: String
            switch r.body {
            case .success(let b): body = b
            case .failure(let error): return .nonRetriable(code: DeliveryOutcome.Code.invalidInput, message: error.message)
            }
            return await targets.deliver(TargetDelivery(
                targetArn: r.targetArn, body: body, event: r.event, ruleArn: r.ruleArn, messageGroupId: r.messageGroupId,
                partitionKeyPath: r.partitionKeyPath, attempt: item.retries + 1))
        case .deadLetter(let failure):
            guard let arn = r.deadLetterArn else {
                return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: "dead-letter queue - does not exist")
            }
            return await targets.deliver(TargetDelivery(
                targetArn: arn, body: r.event.jsonText, event: r.event, ruleArn: r.ruleArn,
                messageAttributes: r.deadLetterAttributes(failure), attempt: 1, isDeadLetter: true))
        }
    }

    private func apply(_ c: Completion) {
        let r = c.item.request
        switch c.item.kind {
        case .deadLetter(let failure):
            let serial = isSerial
            let event: DeliveryTraceEvent
            switch c.outcome {
            case .success:
                state.withLock { s in
                    if serial { s.inFlight -= 1 }
                    s.statistics.deadLettered += 1
                }
                event = .deadLettered(request: r, failure: failure, at: c.at)
            case .retriable(let code, let message), .nonRetriable(let code, let message):
                state.withLock { s in
                    if serial { s.inFlight -= 1 }
                    s.statistics.deadLetterFailures += 1
                }
                event = .deadLetterFailed(request: r, code: code, message: message, at: c.at)
            }
            observer?(event)
        case .attempt:
            observer?(.attempted(request: r, attempt: c.item.retries + 1, outcome: c.outcome, at: c.at))
            let machine = DeliveryStateMachine(policy: r.policy, backoff: configuration.backoff, hasDeadLetterQueue: r.deadLetterArn != nil)
            let unit: Double
            if case .retriable = c.outcome { unit = random.nextUnit() } else { unit = 0 }
            let action = machine.next(after: c.outcome, retriesSoFar: c.item.retries, acceptedAt: r.acceptedAt, now: c.at, unit: unit)
            let serial = isSerial
            state.withLock { s in
                if serial { s.inFlight -= 1 }
                s.statistics.attempts += 1
                switch action {
                case .succeeded:
                    s.statistics.succeeded += 1
                case .retry(let at, let retry):
                    s.statistics.retried += 1
                    s.sequence += 1
                    s.heap.push(.init(due: at.nanosecondsSinceEpoch, sequence: s.sequence, retries: retry, request: r, kind: .attempt))
                case .deadLetter(let failure):
                    s.sequence += 1
                    s.heap.push(.init(due: c.at.nanosecondsSinceEpoch, sequence: s.sequence, retries: c.item.retries, request: r, kind: .deadLetter(failure)))
                case .drop:
                    s.statistics.dropped += 1
                }
            }
            if let observer {
                switch action {
                case .retry(let at, let retry): observer(.retryScheduled(request: r, retry: retry, at: at))
                case .drop(let failure): observer(.dropped(request: r, failure: failure, at: c.at))
                default: break
                }
            }
        }
    }
}
