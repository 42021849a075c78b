extension RouterRuntime {
    /// Bounds on ``settle(limits:)`` under virtual time.
    public struct SettleLimits: Sendable, Hashable {
        /// Clock jumps allowed (each jump goes to the next due retry, backoff or deadline).
        public var maximumClockJumps: Int
        /// Virtual time allowed to pass.
        public var maximumVirtualTime: Duration

        public init(maximumClockJumps: Int = 5_000_000, maximumVirtualTime: Duration = .seconds(30 * 86_400)) {
            self.maximumClockJumps = maximumClockJumps
            self.maximumVirtualTime = maximumVirtualTime
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

    /// Runs until every delivery (with its retries and dead-letter messages), every topic
    /// delivery retry and every function event (with Lambda's retries 1 and 2 minutes apart, throttle backoff and destinations,
    /// which may put new events on a bus) has settled.
    ///
    /// Under virtual time this is one loop over all components: run the deliveries due now
    /// (a function target only enqueues), wait until every function event is either settled or
    /// parked on the clock waiting for a retry — handlers run in real time, and the clock never
    /// moves while one runs — then jump the clock to the earliest deadline of any component.
    /// Jitter is seeded and attempts run in (due, sequence) order, so a run is reproducible up to
    /// the order in which concurrently running handlers finish. The loop is bounded by `limits`;
    /// the result says what was still pending if it stopped.
    public func settle(limits: SettleLimits = SettleLimits()) async -> SettleResult {
        let scheduler = router.scheduler
        guard let clock = settleClock else {
            while true {
                await scheduler.runUntilSettled()
                await functions.waitUntilIdle()
                let pending = await functions.pendingCount
                let (topicRetries, nextTopicRetry) = await topicRetries()
                if scheduler.pendingCount == 0 && pending == 0 && topicRetries == 0 { break }
                // Topic retries run on their own timers; wait for the next one.
                if scheduler.pendingCount == 0 && pending == 0, let next = nextTopicRetry { try? await router.clock.sleep(until: next) }
            }
            return SettleResult(settled: true, clockJumps: 0, pendingDeliveries: 0, pendingFunctionEvents: 0)
        }
        let start = clock.now
        var jumps = 0
        while true {
            await scheduler.runDue()
            for topic in topics.topics { await topic.runDueRetries() }
            let pending = await waitForFunctionsToPark(clock)
            if let due = scheduler.nextDueTime, due <= clock.now { continue }
            let (topicRetries, nextTopicRetry) = await topicRetries()
            if let due = nextTopicRetry, due <= clock.now { continue }
            let deadlines = [scheduler.nextDueTime, clock.nextDeadline, clock.base.nextDeadline, nextTopicRetry].compactMap { $0 }
            guard let next = deadlines.min() else {
                let deliveries = scheduler.pendingCount
                if deliveries == 0 && pending == 0 && topicRetries == 0 {
                    return SettleResult(settled: true, clockJumps: jumps, pendingDeliveries: 0, pendingFunctionEvents: 0)
                }
                return SettleResult(settled: false, clockJumps: jumps, pendingDeliveries: deliveries, pendingFunctionEvents: pending,
                                    problem: "nothing is scheduled, yet \(deliveries) deliveries and \(pending) function events are pending")
            }
            if jumps >= limits.maximumClockJumps || next - start > limits.maximumVirtualTime {
                let why = jumps >= limits.maximumClockJumps ? "after \(jumps) clock jumps" : "the next deadline \(next.iso8601Milliseconds) is more than \(limits.maximumVirtualTime) after the start"
                return SettleResult(settled: false, clockJumps: jumps, pendingDeliveries: scheduler.pendingCount, pendingFunctionEvents: pending,
                                    problem: "did not settle: \(why), \(scheduler.pendingCount) deliveries and \(pending) function events are still pending")
            }
            jumps += 1
            clock.advance(to: next)
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
