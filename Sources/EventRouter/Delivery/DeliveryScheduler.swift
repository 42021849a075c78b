import Synchronization

/// The delivery engine: a discrete-event scheduler over every pending (event, target) attempt.
///
/// Attempts wait in one queue ordered by (due time, sequence), a min-heap for retries with a
/// first-in-first-out run in front for first attempts (``DeliveryQueue``); there is no task per retry.
/// It is a ``TimedComponent``: ``runDue(at:)`` starts due attempts, hands each outcome to the pure
/// ``DeliveryStateMachine`` and schedules the retry, dead-letter message or drop it decides; a
/// ``TimeDriver`` (the runtime's, or one over this scheduler alone for ``settle()``, ``run()`` and
/// ``run(until:)``, DeliveryScheduler+Driving.swift) moves a virtual clock (``DriveClock/virtual(_:handlers:)``)
/// to the next due time, so a day of backoff settles in milliseconds; attempts then run one at a
/// time in (due, sequence) order, which makes a seeded run reproducible. With a real clock the driver
/// sleeps until the next due time or new work (``wake``), and up to ``Configuration/maximumConcurrentDeliveries``
/// attempts run at once. Journal parts: DeliveryScheduler+Journal.swift.
public final class DeliveryScheduler: TimedComponent {
    /// How the scheduler runs.
    public struct Configuration: Sendable {
        /// Backoff for retries (default 1 s doubling, capped at 12 minutes).
        public var backoff: Backoff
        /// Attempts in flight at once with a real clock (a virtual clock runs them one by one).
        public var maximumConcurrentDeliveries: Int
        public init(backoff: Backoff = Backoff(), maximumConcurrentDeliveries: Int = 64) {
            self.backoff = backoff
            self.maximumConcurrentDeliveries = maximumConcurrentDeliveries
        }
    }

    /// One scheduled attempt or dead-letter message.
    struct Item: Sendable {
        /// `indirect`: the rare dead-letter payload is boxed, so an attempt stays small to copy.
        indirect enum Kind: Sendable {
            case attempt
            case deadLetter(DeliveryStateMachine.Failure)
        }

        var due: Int64
        var sequence: UInt64
        var retries: Int
        var request: DeliveryRequest
        var kind: Kind
    }

    struct Completion {
        var item: Item
        var outcome: DeliveryOutcome
        var at: Timestamp
    }

    struct State {
        var heap = DeliveryQueue()
        var sequence: UInt64 = 0
        var inFlight = 0
        var completions: [Completion] = []
        var statistics = DeliveryStatistics()
    }

    let clock: any EventClock
    /// The clock as chosen by whoever built the scheduler: virtual (attempts run one at a time,
    /// a driver jumps it) or real.
    let driveClock: DriveClock
    private let random: SharedRandom
    private let targets: TargetRegistry
    let configuration: Configuration
    private let observer: (@Sendable (DeliveryTraceEvent) -> Void)?
    let state = Mutex(State())
    /// Signalled when work is enqueued (a driver on a real clock wakes on it).
    public let wake: WakeSignal

    /// - Parameters:
    ///   - clock: every due time and event age reads it; a virtual clock is jumped by the driver.
    ///   - random: the jitter source.
    ///   - targets: where deliveries and dead-letter messages go.
    ///   - observer: told about every attempt, retry, dead-letter and drop.
    ///   - wake: signalled when work is enqueued (the runtime's one wake signal).
    public convenience init(clock: any EventClock, random: SharedRandom, targets: TargetRegistry, configuration: Configuration = Configuration(),
                observer: (@Sendable (DeliveryTraceEvent) -> Void)? = nil, wake: WakeSignal = WakeSignal()) {
        self.init(clock: .real(clock), random: random, targets: targets, configuration: configuration, observer: observer, wake: wake)
    }

    /// A scheduler on `clock`, virtual or real (see ``DriveClock``).
    public init(clock: DriveClock, random: SharedRandom, targets: TargetRegistry, configuration: Configuration = Configuration(),
                observer: (@Sendable (DeliveryTraceEvent) -> Void)? = nil, wake: WakeSignal = WakeSignal()) {
        self.driveClock = clock
        self.clock = clock.eventClock
        self.random = random
        self.targets = targets
        self.configuration = configuration
        self.observer = observer
        self.wake = wake
    }

    /// The deliveries' journal (``DeliveryJournal``, DeliveryScheduler+Journal.swift); nil in memory.
    let journal = Mutex<DeliveryJournal?>(nil)

    /// Schedules the first attempt of each request, due now.
    public func enqueue(_ requests: [DeliveryRequest]) {
        guard !requests.isEmpty else { return }
        let now = clock.now.nanosecondsSinceEpoch
        state.withLock { s in
            for r in requests {
                s.sequence += 1
                s.heap.push(Item(due: now, sequence: s.sequence, retries: 0, request: r, kind: .attempt))
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

    /// Runs every attempt (and dead-letter message) due at the clock's current time and returns
    /// when none is due. Never sleeps and never moves a virtual clock. With a virtual clock (or
    /// one delivery at a time) attempts run one at a time in (due, sequence) order; otherwise up
    /// to ``Configuration/maximumConcurrentDeliveries`` at once in a task group this call owns,
    /// their outcomes applied in sequence order (deterministic jitter draws).
    public func runDue(at now: Timestamp) async -> Int {
        isSerial ? await runDueSerially() : await runDueConcurrently()
    }

    public var timedRole: TimedRole { .scheduled }

    public func timedStatus(at now: Timestamp) async -> TimedStatus { status }

    /// The status is known without suspending: the driver reads it at every clock jump.
    public func timedStatusNow(at now: Timestamp) -> TimedStatus? { status }

    private var status: TimedStatus {
        state.withLock { s in
            TimedStatus(pending: s.heap.count + s.inFlight + s.completions.count, nextDeadline: s.heap.firstDeadline)
        }
    }

    /// Attempts taken from the queue at once by ``runDueSerially()`` (one lock for all of them).
    static let batchSize = 64

    /// One at a time in (due, sequence) order. Due attempts are taken in batches; a batch holds
    /// only attempts due before anything that can be scheduled while it runs (new work is due
    /// now or later, with a higher sequence), so the order is the same as taking them one by one.
    /// Targets that deliver synchronously (queues) are called without a suspension.
    private func runDueSerially() async -> Int {
        let journal = self.journal.withLock { $0 }
        defer { journal?.flush() }
        var run = 0
        var batch: [Item] = []
        batch.reserveCapacity(Self.batchSize)
        var cache = TargetCache()
        var sinceYield = 0
        while !Task.isCancelled {
            if sinceYield >= 63 {  // a long burst must not hog a cooperative thread
                sinceYield = 0
                await Task.yield()
            }
            journal?.flush()
            popDueBatch(clock.now.nanosecondsSinceEpoch, into: &batch)
            if batch.isEmpty { break }
            Self.warm(batch)
            var i = 0
            while i < batch.count {
                if i > 0 {
                    if Task.isCancelled {
                        putBack(batch[i...])
                        return run
                    }
                    if sinceYield >= 63 {
                        sinceYield = 0
                        await Task.yield()
                    }
                }
                let item = batch[i]
                switch resolve(item, cache: &cache) {
                case .done(let outcome):
                    apply(item, outcome, at: clock.now)
                    run += 1
                    sinceYield += 1
                    i += 1
                case .deliver(let target, let delivery):
                    if target.deliversBatchesNow, let taken = deliverRun(from: i, of: batch, first: delivery, to: target) {
                        run += taken
                        sinceYield += taken
                        i += taken
                        continue
                    }
                    let outcome: DeliveryOutcome
                    if let now = target.deliverNow(delivery) { outcome = now } else { outcome = await target.deliver(delivery) }
                    apply(item, outcome, at: clock.now)
                    run += 1
                    sinceYield += 1
                    i += 1
                }
            }
        }
        return run
    }

    /// Delivers the attempts from `batch[start]` on that share its route (the same rule
    /// target, so the same resolved `target`) as one batch (``EventTarget/deliverNow(batch:)``),
    /// then applies their outcomes in order; the number taken, or `nil` when there is no run of
    /// two or more or the target declines. The same outcomes, in the same order, as delivering
    /// one by one: the attempts of a run do not depend on each other's outcomes (a retry or
    /// dead-letter message is scheduled after the batch, as it would be).
    private func deliverRun(from start: Int, of batch: [Item], first: TargetDelivery, to target: any EventTarget) -> Int? {
        guard let outcomes = deliverRunNow(from: start, of: batch, first: first, to: target) else { return nil }
        let now = clock.now
        for k in outcomes.indices { apply(batch[start + k], outcomes[k], at: now) }
        return outcomes.count
    }

    /// The outcomes of ``deliverRun(from:of:first:to:)``'s run, not applied yet; nil as there.
    func deliverRunNow(from start: Int, of batch: [Item], first: TargetDelivery, to target: any EventTarget) -> [DeliveryOutcome]? {
        let route = batch[start].request.route
        guard case .attempt = batch[start].kind else { return nil }
        var end = start + 1
        while end < batch.count, case .attempt = batch[end].kind, batch[end].request.route === route, case .success = batch[end].request.body {
            end += 1
        }
        guard end - start > 1 else { return nil }
        var deliveries: [TargetDelivery] = []
        deliveries.reserveCapacity(end - start)
        deliveries.append(first)
        for k in (start + 1)..<end {
            guard case .success(let body) = batch[k].request.body else { return nil }
            deliveries.append(attemptDelivery(batch[k], body: body))
        }
        guard let outcomes = target.deliverNow(batch: deliveries), outcomes.count == deliveries.count else { return nil }
        return outcomes
    }

    /// Reads one byte of each attempt's event text before the batch runs. Attempts queued long
    /// ago (a burst put before the clock moves) are no longer in the processor's cache; these
    /// independent loads fetch them all at once, where the reference counts taken one attempt
    /// at a time would each wait for memory in turn.
    static func warm(_ batch: [Item]) {
        var sum: UInt8 = 0
        batch.withUnsafeBufferPointer { items in
            for i in items.indices { sum &+= items[i].request.event.firstByte }
        }
        keep(sum)
    }

    /// Uses `value` where the optimiser cannot see, so the loads that made it stay.
    @_optimize(none)
    private static func keep(_ value: UInt8) {}

    private func popDueBatch(_ now: Int64, into batch: inout [Item]) {
        batch.removeAll(keepingCapacity: true)
        state.withLock { s in
            while batch.count < Self.batchSize, let item = s.heap.popDue(now) { batch.append(item) }
            s.inFlight += batch.count
        }
    }

    /// Returns attempts taken but not started (the task was cancelled) to the queue, unchanged.
    private func putBack(_ items: ArraySlice<Item>) {
        state.withLock { s in
            for item in items { s.heap.push(item) }
            s.inFlight -= items.count
        }
    }

    var isSerial: Bool { driveClock.manual != nil || configuration.maximumConcurrentDeliveries <= 1 }

    /// An attempt resolved as far as it goes without delivering.
    enum Prepared {
        /// Finished: there is nothing to deliver to (or, once delivered, the outcome).
        case done(DeliveryOutcome)
        /// To be delivered by `await target.deliver(delivery)`.
        case deliver(any EventTarget, TargetDelivery)
    }

    /// The target the last attempt's route resolved to, while the registry has not changed
    /// since (consecutive attempts to one target resolve it once).
    struct TargetCache {
        var route: DeliveryRoute?
        var generation: UInt64 = 0
        var target: (any EventTarget)?
    }

    /// The ``TargetDelivery`` of a first attempt or retry with its shaped input `body`.
    private func attemptDelivery(_ item: Item, body: String) -> TargetDelivery {
        let r = item.request
        var delivery = TargetDelivery(targetArn: r.targetArn, body: body, event: r.event, ruleArn: r.ruleArn, messageGroupId: r.messageGroupId,
                                      partitionKeyPath: r.partitionKeyPath, attempt: item.retries + 1)
        delivery.httpParameters = r.route.httpParameters
        delivery.journaledRequest = Self.journaledRequest(r, body: body)
        return delivery
    }

    /// Builds the item's ``TargetDelivery`` and resolves its target once (without delivering):
    /// `.done` when there is nothing to deliver to.
    func resolve(_ item: Item, cache: inout TargetCache) -> Prepared {
        let r = item.request
        let delivery: TargetDelivery
        switch item.kind {
        case .attempt:
            switch r.body {
            case .success(let body): delivery = attemptDelivery(item, body: body)
            case .failure(let error): return .done(.nonRetriable(code: DeliveryOutcome.Code.invalidInput, message: error.message))
            }
        case .deadLetter(let failure):
            guard let arn = r.deadLetterArn else {
                return .done(.nonRetriable(code: DeliveryOutcome.Code.noResource, message: "dead-letter queue - does not exist"))
            }
            delivery = TargetDelivery(targetArn: arn, body: r.event.jsonText, event: r.event, ruleArn: r.ruleArn,
                                      messageAttributes: r.deadLetterAttributes(failure), attempt: 1, isDeadLetter: true)
        }
        let resolved: (any EventTarget)?
        if case .attempt = item.kind {
            let generation = targets.generation
            if let route = cache.route, route === r.route, cache.generation == generation {
                resolved = cache.target
            } else {
                resolved = targets.target(for: delivery.targetArn)
                // Only a target found is kept (the registry remembers providers' answers the same way).
                if resolved != nil { cache = TargetCache(route: r.route, generation: generation, target: resolved) }
            }
        } else {
            resolved = targets.target(for: delivery.targetArn)
        }
        guard let target = resolved else { return .done(TargetRegistry.unresolved(delivery)) }
        return .deliver(target, delivery)
    }

    func apply(_ item: Item, _ outcome: DeliveryOutcome, at: Timestamp) {
        let r = item.request
        switch item.kind {
        case .deadLetter(let failure):
            let event: DeliveryTraceEvent
            switch outcome {
            case .success:
                state.withLock { s in
                    s.inFlight -= 1
                    s.statistics.deadLettered += 1
                }
                event = .deadLettered(request: r, failure: failure, at: at)
            case .retriable(let code, let message), .nonRetriable(let code, let message), .retriableAfter(let code, let message, _):
                state.withLock { s in
                    s.inFlight -= 1
                    s.statistics.deadLetterFailures += 1
                }
                event = .deadLetterFailed(request: r, code: code, message: message, at: at)
            case .deferred:
                state.withLock { s in
                    s.inFlight -= 1
                    s.statistics.deadLetterFailures += 1
                }
                event = .deadLetterFailed(request: r, code: DeliveryOutcome.Code.throttling, message: "the dead-letter queue deferred the message", at: at)
            }
            journalSettled(r)
            observer?(event)
        case .attempt:
            if case .deferred(let until) = outcome {
                // A rate limit deferred it: not an attempt; the same attempt goes back on the heap.
                state.withLock { s in
                    s.inFlight -= 1
                    s.sequence += 1
                    s.heap.push(Item(due: max(until, at).nanosecondsSinceEpoch, sequence: s.sequence, retries: item.retries, request: r, kind: .attempt))
                }
                return
            }
            observer?(.attempted(request: r, attempt: item.retries + 1, outcome: outcome, at: at))
            let machine = DeliveryStateMachine(policy: r.policy, backoff: configuration.backoff, hasDeadLetterQueue: r.deadLetterArn != nil)
            let unit: Double
            switch outcome {
            case .retriable, .retriableAfter: unit = random.nextUnit()
            default: unit = 0
            }
            let action = machine.next(after: outcome, retriesSoFar: item.retries, acceptedAt: r.acceptedAt, now: at, unit: unit)
            state.withLock { s in
                s.inFlight -= 1
                s.statistics.attempts += 1
                switch action {
                case .succeeded:
                    s.statistics.succeeded += 1
                case .retry(let due, let retry):
                    s.statistics.retried += 1
                    s.sequence += 1
                    s.heap.push(Item(due: due.nanosecondsSinceEpoch, sequence: s.sequence, retries: retry, request: r, kind: .attempt))
                case .deadLetter(let failure):
                    s.sequence += 1
                    s.heap.push(Item(due: at.nanosecondsSinceEpoch, sequence: s.sequence, retries: item.retries, request: r, kind: .deadLetter(failure)))
                case .drop:
                    s.statistics.dropped += 1
                }
            }
            journalOutcome(r, action)
            if let observer {
                switch action {
                case .retry(let due, let retry): observer(.retryScheduled(request: r, retry: retry, at: due))
                case .drop(let failure): observer(.dropped(request: r, failure: failure, at: at))
                default: break
                }
            }
        }
    }
}
