extension RouterRuntime {
    /// Bounds on ``settle(limits:)`` under virtual time.
    public struct SettleLimits: Sendable, Hashable {
        /// Clock jumps allowed (each jump goes to the next due retry, backoff or deadline).
        public var maximumClockJumps: Int
        /// Virtual time allowed to pass.
        public var maximumVirtualTime: Duration

        /// Clock jumps in a row in which only event source mappings had work and made no
        /// progress, after which that work counts as blocked for good.
        public var maximumStalledMappingJumps: Int

        public init(maximumClockJumps: Int = 5_000_000, maximumVirtualTime: Duration = .seconds(30 * 86_400),
                    maximumStalledMappingJumps: Int = 2_000) {
            self.maximumClockJumps = maximumClockJumps
            self.maximumVirtualTime = maximumVirtualTime
            self.maximumStalledMappingJumps = maximumStalledMappingJumps
        }
    }

    /// How settling ended.
    public struct SettleResult: Sendable, Hashable {
        /// Whether every delivery and every function event settled.
        public var settled: Bool
        /// Clock jumps made (virtual time only).
        public var clockJumps: Int
        /// Deliveries still waiting when settling stopped.
        public var pendingDeliveries: Int
        /// Function events still waiting when settling stopped.
        public var pendingFunctionEvents: Int
        /// Why settling stopped early (`nil` when settled).
        public var problem: String?
    }

    /// Runs until every delivery (with its retries and dead-letter messages), every topic retry,
    /// every event source mapping's source and every function event (with Lambda's retries 1
    /// and 2 minutes apart, throttle backoff and destinations, which may put new events on a bus)
    /// has settled.
    ///
    /// Under virtual time this is one loop over all components: run what is due now (deliveries
    /// — a function target only enqueues —, topic retries, mapping batches), wait until every
    /// function event has settled or parked on the clock for a retry (handlers run in real time,
    /// and the clock never moves while one runs), then jump the clock to the earliest deadline of
    /// any component. Jitter is seeded and attempts run in (due, sequence) order, so a run is
    /// reproducible up to the order in which concurrently running handlers finish. The loop is
    /// bounded by `limits`; the result says what was still pending if it stopped.
    public func settle(limits: SettleLimits = SettleLimits()) async -> SettleResult {
        guard let clock = settleClock else { return await settleOnRealClock(limits) }
        return await settle(on: clock, limits: limits, until: nil)
    }

    /// Runs everything due up to `deadline` the same way and returns when the clock has reached
    /// it (a virtual clock is moved there; on a real clock the deliveries run until then while
    /// functions, topics and mappings run on their own). Paced replays put the next event then.
    @discardableResult
    public func run(until deadline: Timestamp, limits: SettleLimits = SettleLimits()) async -> SettleResult {
        guard let clock = settleClock else {
            await router.scheduler.runUntil(deadline)
            return SettleResult(settled: true, clockJumps: 0, pendingDeliveries: 0, pendingFunctionEvents: 0)
        }
        return await settle(on: clock, limits: limits, until: deadline)
    }

    private func settle(on clock: SettleClock, limits: SettleLimits, until deadline: Timestamp?) async -> SettleResult {
        let scheduler = router.scheduler
        let mappings = eventSourceMappings
        let hasMappings = !mappings.configurations.isEmpty
        let start = clock.now
        var jumps = 0
        var stalled = 0
        var progress = 0
        while true {
            // 1. Everything due now: deliveries, topic retries, event source mapping batches.
            await scheduler.runDue()
            for topic in topics.topics { await topic.runDueRetries() }
            let generation = monitor.generation
            if hasMappings { progress += await mappings.runDue() }
            // 2. Let every function event run until it settles or parks for a retry.
            let pending = await waitForFunctionsToPark(clock)
            if let due = scheduler.nextDueTime, due <= clock.now { continue }
            let (topicRetries, nextTopicRetry) = await topicRetries()
            if let due = nextTopicRetry, due <= clock.now { continue }
            // Function records may have reached a mapped queue: poll again at this instant.
            if hasMappings && monitor.generation != generation { continue }
            // 3. Jump to the earliest deadline of any component.
            let mappingWake = hasMappings ? await mappings.nextWake().map { max($0, clock.now + .milliseconds(1)) } : nil
            let mappingWork = hasMappings ? await mappings.hasPendingWork : false
            let deadlines = [scheduler.nextDueTime, clock.nextDeadline, clock.base.nextDeadline, nextTopicRetry, mappingWake].compactMap { $0 }
            let deliveries = scheduler.pendingCount
            func stop(_ problem: String) -> SettleResult {
                SettleResult(settled: false, clockJumps: jumps, pendingDeliveries: deliveries, pendingFunctionEvents: pending, problem: problem)
            }
            if let deadline, deadlines.allSatisfy({ $0 > deadline }) {
                if deadline > clock.now { clock.advance(to: deadline) }
                return SettleResult(settled: true, clockJumps: jumps, pendingDeliveries: deliveries, pendingFunctionEvents: pending)
            }
            guard let next = deadlines.min() else {
                if deliveries == 0 && pending == 0 && topicRetries == 0 && !mappingWork {
                    return SettleResult(settled: true, clockJumps: jumps, pendingDeliveries: 0, pendingFunctionEvents: 0)
                }
                return stop("nothing is scheduled, yet \(deliveries) deliveries, \(pending) function events, \(topicRetries) topic retries"
                    + (mappingWork ? " and event source mapping work" : "") + " are pending")
            }
            // Only mapping work left, and no progress for a long time: it is blocked for good.
            let onlyMappings = deliveries == 0 && pending == 0 && topicRetries == 0
            stalled = onlyMappings && progress == 0 ? stalled + 1 : 0
            progress = 0
            if stalled >= limits.maximumStalledMappingJumps {
                return stop("event source mappings hold work that made no progress in \(stalled) clock jumps (a batch that keeps failing "
                    + "with no dead-letter queue, retry limit or age limit); see \"eventSourceMappings\" in the state")
            }
            if jumps >= limits.maximumClockJumps || next - start > limits.maximumVirtualTime {
                let why = jumps >= limits.maximumClockJumps ? "after \(jumps) clock jumps" : "the next deadline \(next.iso8601Milliseconds) is more than \(limits.maximumVirtualTime) after the start"
                return stop("did not settle: \(why), \(deliveries) deliveries and \(pending) function events are still pending")
            }
            jumps += 1
            clock.advance(to: next)
        }
    }

    /// Settling in real time: the same phases, sleeping on the router's clock instead of jumping.
    private func settleOnRealClock(_ limits: SettleLimits) async -> SettleResult {
        let scheduler = router.scheduler
        let hasMappings = !eventSourceMappings.configurations.isEmpty
        var stalled = 0
        while true {
            await scheduler.runUntilSettled()
            let progress = hasMappings ? await eventSourceMappings.runDue() : 0
            await functions.waitUntilIdle()
            let pending = await functions.pendingCount
            let (topicRetries, nextTopicRetry) = await topicRetries()
            let mappingWork = hasMappings ? await eventSourceMappings.hasPendingWork : false
            if scheduler.pendingCount > 0 || pending > 0 { continue }
            if topicRetries == 0 && !mappingWork {
                return SettleResult(settled: true, clockJumps: 0, pendingDeliveries: 0, pendingFunctionEvents: 0)
            }
            stalled = topicRetries == 0 && progress == 0 ? stalled + 1 : 0
            if stalled >= limits.maximumStalledMappingJumps {
                return SettleResult(settled: false, clockJumps: 0, pendingDeliveries: 0, pendingFunctionEvents: 0,
                                    problem: "event source mappings hold work that made no progress in \(stalled) polls; see \"eventSourceMappings\" in the state")
            }
            // Topic retries run on their own timers; mappings are polled again at their next wake-up.
            let mappingWake = hasMappings ? await eventSourceMappings.nextWake() : nil
            let now = router.clock.now
            let next = [nextTopicRetry, mappingWake, now + .seconds(1)].compactMap { $0 }.min() ?? now + .seconds(1)
            try? await router.clock.sleep(until: max(next, now + .milliseconds(1)))
        }
    }

    /// Topic deliveries waiting for a retry, and the earliest retry time.
    private func topicRetries() async -> (Int, Timestamp?) {
        var count = 0
        var next: Timestamp?
        for topic in topics.topics {
            count += await topic.pendingRetries
            if let due = await topic.nextRetryTime, next.map({ due < $0 }) ?? true { next = due }
        }
        return (count, next)
    }

    /// Waits until every pending function event is parked on `clock` (none is running); returns how many are pending.
    private func waitForFunctionsToPark(_ clock: SettleClock) async -> Int {
        while true {
            let generation = monitor.generation
            let pending = await functions.pendingCount
            if pending <= clock.sleeperCount && monitor.generation == generation { return pending }
            await monitor.wait(changedFrom: generation)
        }
    }
}
