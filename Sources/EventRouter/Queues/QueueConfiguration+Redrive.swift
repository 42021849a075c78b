extension QueueConfiguration {
    /// Why this queue's `RedrivePolicy` cannot work with `deadLetterQueue` (the configuration of
    /// the queue its `deadLetterTargetArn` names, `nil` when no such queue exists), or `nil` when
    /// it can (or there is no policy). SQS's rules: another queue, in the same account and region,
    /// of the same type, whose `RedriveAllowPolicy` admits this queue.
    ///
    /// The one check behind both `eventrouter validate` (``WorkspaceLoader``) and the runtime
    /// (``QueueRegistry/validateRedrivePolicies()``), so they cannot disagree.
    public func redriveProblem(deadLetterQueue dlq: QueueConfiguration?) -> String? {
        guard let policy = redrivePolicy else { return nil }
        let target = policy.deadLetterTargetArn
        if target == arn { return "A queue cannot be its own dead-letter queue; name another queue" }
        if let parts = ARN(queue: target), parts.account != account || parts.region != region {
            return "The dead-letter queue must be in the same account and region as the source queue (\(account), \(region)), not in \(parts.account), \(parts.region)"
        }
        guard let dlq else { return "Dead letter target does not exist; create a queue with that ARN or fix deadLetterTargetArn" }
        if dlq.fifo != fifo {
            return "Dead-letter queue must be same type of queue as the source: \(fifo ? "a FIFO queue needs a FIFO" : "a standard queue needs a standard") dead-letter queue"
        }
        if !dlq.redriveAllowPolicy.allows(arn) {
            return "The RedriveAllowPolicy of \(dlq.name) does not allow this source queue; add it to sourceQueueArns or use redrivePermission allowAll"
        }
        return nil
    }
}
