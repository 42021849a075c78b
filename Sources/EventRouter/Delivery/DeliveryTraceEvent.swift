/// What the scheduler reports to an observer (`replay --trace`, tests, logs).
public enum DeliveryTraceEvent: Sendable {
    /// An attempt finished. `attempt` is 1 for the first attempt.
    case attempted(request: DeliveryRequest, attempt: Int, outcome: DeliveryOutcome, at: Timestamp)
    /// A retry was scheduled.
    case retryScheduled(request: DeliveryRequest, retry: Int, at: Timestamp)
    /// The event went to the dead-letter queue.
    case deadLettered(request: DeliveryRequest, failure: DeliveryStateMachine.Failure, at: Timestamp)
    /// The pair was given up with no dead-letter queue.
    case dropped(request: DeliveryRequest, failure: DeliveryStateMachine.Failure, at: Timestamp)
    /// Sending to the dead-letter queue failed; the event is counted and logged here.
    case deadLetterFailed(request: DeliveryRequest, code: String, message: String, at: Timestamp)
}
