extension MessageQueue {
    /// Tags and timestamps now.
    public var currentMetadata: QueueMetadata { metadata.withLock { $0 } }

    /// `TagQueue`: adds or replaces tags.
    /// - Throws: ``QueueError`` `InvalidParameterValue` for an empty or overlong key or value, or
    ///   more than 50 tags in all.
    public func tag(_ tags: [String: String]) throws(QueueError) {
        for (key, value) in tags.sorted(by: { $0.key < $1.key }) {
            guard (1...128).contains(key.utf8.count) else {
                throw QueueError(.invalidParameterValue, "Tag key '\(key)' is invalid: use 1 to 128 characters.")
            }
            guard value.utf8.count <= 256 else {
                throw QueueError(.invalidParameterValue, "The value of tag '\(key)' is \(value.utf8.count) bytes: use at most 256.")
            }
        }
        try metadata.withLock { (m: inout QueueMetadata) throws(QueueError) in
            let merged = m.tags.merging(tags) { _, new in new }
            guard merged.count <= QueueMetadata.maximumTags else {
                throw QueueError(.invalidParameterValue, "Too many tags: queue \(name) would have \(merged.count) tags, more than the \(QueueMetadata.maximumTags) allowed; remove some with UntagQueue first.")
            }
            m.tags = merged
        }
        journalPut { _ in }
    }

    /// `UntagQueue`: removes the tags with these keys (keys it does not have are ignored).
    public func untag(_ keys: [String]) {
        journalPut { m in
            for key in keys { m.tags[key] = nil }
        }
    }

    /// Replaces the attributes; the caller (``QueueRegistry/setAttributes(of:to:)``) checked them.
    func replaceConfiguration(_ configuration: QueueConfiguration) throws(QueueError) {
        let now = clock.now
        try withMachine { (m: inout QueueStateMachine) throws(QueueError) in m.reconfigure(configuration, now: now) }
        journalPut { $0.lastModified = now }
    }
}

extension QueueRegistry {
    /// `SetQueueAttributes`: gives `queue` the attributes of `configuration`, which must keep its
    /// name, account, region and type. Messages already in the queue follow the new attributes
    /// from now on (retention, visibility of later receives, the redrive policy).
    /// - Throws: ``QueueError`` for invalid attributes, a changed identity or type, or a
    ///   `RedrivePolicy` whose dead-letter queue cannot take this queue's messages.
    public func setAttributes(of queue: MessageQueue, to configuration: QueueConfiguration) throws(QueueError) {
        try configuration.validate(maximumMessageSizeLimit: maximumMessageSizeLimit)
        guard configuration.arn == queue.arn else {
            throw QueueError(.invalidParameterValue, "The new attributes are for \(configuration.arn), not \(queue.arn): a queue's name, account and region cannot change.")
        }
        guard configuration.fifo == queue.fifo else {
            throw QueueError(.invalidAttributeName, "FifoQueue cannot be changed after a queue is created: create a new \(configuration.fifo ? "FIFO" : "standard") queue instead.")
        }
        try checkRedrive(of: configuration)
        try queue.replaceConfiguration(configuration)
    }

    /// Checks `configuration`'s `RedrivePolicy` against the queue it names, now (SQS checks it
    /// when a queue is created or changed through the API; a workspace checks its files as a whole).
    /// - Throws: ``QueueError`` `InvalidParameterValue` with SQS's reason.
    public func checkRedrive(of configuration: QueueConfiguration) throws(QueueError) {
        guard let policy = configuration.redrivePolicy else { return }
        if let reason = configuration.redriveProblem(deadLetterQueue: queue(arn: policy.deadLetterTargetArn)?.configuration) {
            throw QueueError.invalidValue("RedrivePolicy", "{\"deadLetterTargetArn\":\"\(policy.deadLetterTargetArn)\",\"maxReceiveCount\":\(policy.maxReceiveCount)}", reason + ".")
        }
    }
}

extension MessageQueue {
    /// Whether each of `receiptHandles` is still the current handle of a message in flight (a
    /// FIFO `ReceiveRequestAttemptId` retry may then return the same messages again).
    public func areInFlight(receiptHandles: [String]) -> Bool {
        let now = clock.now
        return (try? withMachine { (m: inout QueueStateMachine) throws(QueueError) -> Bool in
            m.tick(now)
            return receiptHandles.allSatisfy { handle in
                guard let id = try? m.messageID(forReceiptHandle: handle), let message = m.messages[id] else { return false }
                return message.state == .inFlight
            }
        }) ?? false
    }
}

extension MessageQueue {
    /// The time on the queue's clock.
    public var currentTime: Timestamp { clock.now }
}

extension MessageQueue {
    /// Wakes every parked receiver (it receives again, or returns when polls have ended).
    func wakeReceivers() {
        let woken: [WakeSignal] = core.withLock { c in
            defer { c.waiters.removeAll() }
            return Array(c.waiters.values)
        }
        for w in woken { w.signal() }
    }
}

extension QueueRegistry {
    /// Ends long polling for good (the server is shutting down): parked `ReceiveMessage` calls
    /// return at once with what is there (usually nothing), and later receives do not wait, so
    /// every poll is answered before connections close.
    public func endLongPolls() {
        link.longPollsEnded.store(true, ordering: .releasing)
        for queue in queues { queue.wakeReceivers() }
    }
}
