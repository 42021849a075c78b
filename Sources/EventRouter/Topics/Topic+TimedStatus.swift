extension Topic {
    /// The retries waiting and the earliest, as ``retryStatus`` mirrors them for
    /// ``timedStatusNow(at:)``.
    var retryStatusNow: TimedStatus { TimedStatus(pending: scheduled.count, nextDeadline: scheduled.firstDeadline) }

    /// ``timedStatus(at:)`` without a hop onto the topic: ``retryStatus`` is set each time a
    /// retry is scheduled or taken.
    public nonisolated func timedStatusNow(at now: Timestamp) -> TimedStatus? { retryStatus.value }
}

extension TopicRegistry {
    /// Every topic's retries added up, without suspending: a clock jump does not hop onto each
    /// idle topic (and the driver skips ``runDue(at:)`` when no retry is due).
    public func timedStatusNow(at now: Timestamp) -> TimedStatus? {
        var status = TimedStatus(pending: 0, nextDeadline: nil)
        for topic in topics {
            let s = topic.retryStatus.value
            status.pending += s.pending
            if let due = s.nextDeadline, status.nextDeadline.map({ due < $0 }) ?? true { status.nextDeadline = due }
        }
        return status
    }
}
