extension RouterRuntime {
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
    /// The runtime's ``driver`` does it, one loop over all components: run what is due now
    /// (deliveries — a function target only enqueues —, topic retries, mapping batches), wait
    /// until every function event has settled or parked on the clock for a retry (handlers run in
    /// real time, and a virtual clock never moves while one runs), then jump a virtual clock to
    /// the earliest deadline of any component, or sleep on a real one until then or new work.
    /// Jitter is seeded and attempts run in (due, sequence) order, so a virtual run is
    /// reproducible up to the order in which concurrently running handlers finish. The loop is
    /// bounded by `limits`; the result says what was still pending if it stopped.
    public func settle(limits: SettleLimits = SettleLimits()) async -> SettleResult {
        result(await driver.settle(limits: limits))
    }

    /// Runs everything due up to `deadline` the same way and returns when the clock has reached
    /// it (a virtual clock is moved there). Paced replays put the next event then.
    @discardableResult
    public func run(until deadline: Timestamp, limits: SettleLimits = SettleLimits()) async -> SettleResult {
        result(await driver.run(until: deadline, limits: limits))
    }

    /// The driver's report in the runtime's words (components: deliveries, function events,
    /// topic retries, event source mappings).
    private func result(_ report: TimeDriver.Report) -> SettleResult {
        let deliveries = report.pending[0], functionEvents = report.pending[1], topicRetries = report.pending[2]
        var result = SettleResult(settled: false, clockJumps: report.clockJumps, pendingDeliveries: deliveries,
                                  pendingFunctionEvents: functionEvents)
        let virtual = driver.clock.manual != nil
        switch report.stop {
        case .settled:
            result.settled = true
        case .idle:
            result.problem = "nothing is scheduled, yet \(deliveries) deliveries, \(functionEvents) function events, \(topicRetries) topic retries"
                + (report.pollerWork ? " and event source mapping work" : "") + " are pending"
        case .stalled(let rounds):
            result.problem = virtual
                ? "event source mappings hold work that made no progress in \(rounds) clock jumps (a batch that keeps failing "
                    + "with no dead-letter queue, retry limit or age limit); see \"eventSourceMappings\" in the state"
                : "event source mappings hold work that made no progress in \(rounds) polls; see \"eventSourceMappings\" in the state"
        case .jumpLimit:
            result.problem = "did not settle: after \(report.clockJumps) clock jumps, \(deliveries) deliveries and \(functionEvents) function events are still pending"
        case .timeLimit(let next, let limit):
            result.problem = "did not settle: the next deadline \(next.iso8601Milliseconds) is more than \(limit) after the start, "
                + "\(deliveries) deliveries and \(functionEvents) function events are still pending"
        case .stopped:
            result.problem = "settling was cancelled with \(deliveries) deliveries and \(functionEvents) function events pending"
        }
        return result
    }
}
