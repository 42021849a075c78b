extension AsyncInvocationEngine {
    /// ``timedStatus(at:)`` without a hop onto the engine: ``handlerStatus`` is set each time an
    /// event is accepted, parks for a retry, wakes or settles.
    public nonisolated func timedStatusNow(at now: Timestamp) -> TimedStatus? { handlerStatus.value }
}

extension FunctionHost {
    /// Every engine's pending and parked events added up, without suspending: a clock jump, and
    /// the driver's wait for handlers to park, do not hop onto every idle engine.
    public func timedStatusNow(at now: Timestamp) -> TimedStatus? {
        var status = TimedStatus(pending: 0, nextDeadline: nil)
        for engine in engines.values {
            let s = engine.handlerStatus.value
            status.pending += s.pending
            status.parked += s.parked
        }
        return status
    }
}
