extension MessageQueue {
    /// `ReceiveMessage`.
    ///
    /// Returns as soon as at least one message is available; with `waitTimeSeconds` > 0 (long
    /// polling) it parks on the clock until a message arrives or becomes visible, or the wait
    /// ends (then it returns an empty array). Messages received `maxReceiveCount` times move to
    /// the dead-letter queue instead of being returned.
    /// - Parameters:
    ///   - maxNumberOfMessages: 1–10.
    ///   - visibilityTimeout: 0–43200 s for these messages (default: the queue's `VisibilityTimeout`).
    ///   - waitTimeSeconds: 0–20 (default: the queue's `ReceiveMessageWaitTimeSeconds`).
    /// - Throws: ``QueueError`` (`InvalidParameterValue`, `OverLimit`, `QueueDoesNotExist`).
    public func receiveMessages(maxNumberOfMessages: Int = 1, visibilityTimeout: Int? = nil, waitTimeSeconds: Int? = nil) async throws(QueueError) -> [ReceivedMessage] {
        let wait = waitTimeSeconds ?? configuration.receiveMessageWaitTimeSeconds
        guard (0...20).contains(wait) else {
            throw QueueError.invalidValue("WaitTimeSeconds", String(wait), "must be between 0 and 20 seconds, if provided.")
        }
        let deadline = clock.now + .seconds(wait)
        let journal = link?.journal
        while true {
            let deadLetterQueue = resolveDeadLetterQueue()
            let signal = WakeSignal()
            let seen = signal.generation
            let now = clock.now
            var earlier = false
            var ticket = StateJournalTicket.none
            let (outcome, parked): (QueueStateMachine.ReceiveOutcome, (id: UInt64, until: Timestamp)?) =
                try core.withLock { (c: inout Core) throws(QueueError) in
                    guard !c.deleted else { throw self.doesNotExist() }
                    if journal != nil, c.machine.journalChanges == nil { c.machine.journalChanges = [] }
                    let outcome = try c.machine.receive(
                        maxNumberOfMessages: maxNumberOfMessages, visibilityTimeout: visibilityTimeout, now: now,
                        redrive: deadLetterQueue != nil)
                    if let journal { ticket = submitJournal(journal, &c.machine) }
                    earlier = link?.timing.queueChanged(earliest: c.machine.earliestTimerEntry) ?? false
                    guard outcome.messages.isEmpty, outcome.deadLetters.isEmpty, now < deadline,
                        link?.longPollsEnded.load(ordering: .acquiring) != true
                    else { return (outcome, nil) }
                    c.nextWaiter += 1
                    c.waiters[c.nextWaiter] = signal
                    // A driven registry wakes the poll when a message becomes visible (the driver
                    // runs the queue's deadlines); otherwise the poll looks again by itself then.
                    let driven = link?.timing.isDriven ?? false
                    let until = driven ? deadline : min(deadline, c.machine.nextVisibilityChange ?? deadline)
                    return (outcome, (c.nextWaiter, until))
                }
            if earlier { link?.arrivals?.signal() }
            if !outcome.deadLetters.isEmpty, let dlq = deadLetterQueue {
                dlq.acceptDeadLetters(outcome.deadLetters, from: arn)
            }
            try await Self.awaitStored(ticket)
            if !outcome.messages.isEmpty { return outcome.messages }
            guard let parked else {
                if !outcome.deadLetters.isEmpty { continue }
                return []
            }
            await signal.wait(changedFrom: seen, orUntil: parked.until, on: clock)
            core.withLock { c in c.waiters[parked.id] = nil }
            if Task.isCancelled { return [] }
        }
    }

    /// The dead-letter queue named by the redrive policy, if it exists and is of the same type.
    func resolveDeadLetterQueue() -> MessageQueue? {
        guard let policy = configuration.redrivePolicy,
            let dlq = link?.queue(arn: policy.deadLetterTargetArn), dlq.fifo == fifo, dlq !== self
        else { return nil }
        return dlq
    }

    /// Takes messages redriven from `sourceArn` (see ``QueueStateMachine/acceptDeadLetter(_:from:now:)``).
    func acceptDeadLetters(_ messages: [QueueMessage], from sourceArn: String) {
        let now = clock.now
        _ = try? withMachine { (m: inout QueueStateMachine) throws(QueueError) in
            for message in messages { m.acceptDeadLetter(message, from: sourceArn, now: now) }
        }
    }

    /// `DeleteMessage`. A handle superseded by a later receive, or of a message already
    /// deleted, succeeds without deleting anything (as in SQS).
    /// - Returns: whether a message was deleted.
    /// - Throws: ``QueueError`` `ReceiptHandleIsInvalid` for a malformed or foreign handle, or
    ///   (FIFO) a handle whose visibility timeout expired; `QueueDoesNotExist`.
    @discardableResult
    public func deleteMessage(receiptHandle: String) async throws(QueueError) -> Bool {
        let now = clock.now
        let (deleted, ticket) = try withMachineJournaled { (m: inout QueueStateMachine) throws(QueueError) in try m.delete(receiptHandle: receiptHandle, now: now) }
        try await Self.awaitStored(ticket)
        return deleted
    }

    /// Synchronous ``deleteMessage(receiptHandle:)``.
    @discardableResult
    public func deleteNow(receiptHandle: String) throws(QueueError) -> Bool {
        let now = clock.now
        return try withMachine { (m: inout QueueStateMachine) throws(QueueError) in try m.delete(receiptHandle: receiptHandle, now: now) }
    }

    /// `DeleteMessageBatch`: entries are `(Id, ReceiptHandle)` pairs.
    public func deleteMessageBatch(_ entries: [(id: String, receiptHandle: String)]) async throws(QueueError) -> BatchResult<BatchAcknowledgement> {
        try BatchValidation.check(ids: entries.map(\.id))
        var result = BatchResult<BatchAcknowledgement>()
        var tickets: [StateJournalTicket] = []
        for e in entries {
            do {
                let now = clock.now
                let (_, ticket) = try withMachineJournaled { (m: inout QueueStateMachine) throws(QueueError) in try m.delete(receiptHandle: e.receiptHandle, now: now) }
                tickets.append(ticket)
                result.succeed(e.id, BatchAcknowledgement())
            } catch {
                if error.code == .queueDoesNotExist { throw error }
                result.fail(e.id, error)
            }
        }
        for ticket in tickets { try await Self.awaitStored(ticket) }
        return result
    }

    /// `ChangeMessageVisibility`: the message becomes visible `visibilityTimeout` seconds from
    /// now (0–43200; 0 makes it visible at once), at most 12 hours after the receive.
    /// - Throws: ``QueueError`` `InvalidParameterValue`, `ReceiptHandleIsInvalid`, `MessageNotInflight`.
    public func changeMessageVisibility(receiptHandle: String, visibilityTimeout: Int) async throws(QueueError) {
        let now = clock.now
        let (_, ticket) = try withMachineJournaled { (m: inout QueueStateMachine) throws(QueueError) in
            try m.changeVisibility(receiptHandle: receiptHandle, timeout: visibilityTimeout, now: now)
        }
        try await Self.awaitStored(ticket)
    }

    /// `ChangeMessageVisibilityBatch`.
    public func changeMessageVisibilityBatch(_ entries: [ChangeVisibilityBatchEntry]) async throws(QueueError) -> BatchResult<BatchAcknowledgement> {
        try BatchValidation.check(ids: entries.map(\.id))
        var result = BatchResult<BatchAcknowledgement>()
        for e in entries {
            do {
                try await changeMessageVisibility(receiptHandle: e.receiptHandle, visibilityTimeout: e.visibilityTimeout)
                result.succeed(e.id, BatchAcknowledgement())
            } catch {
                if error.code == .queueDoesNotExist { throw error }
                result.fail(e.id, error)
            }
        }
        return result
    }

    /// `PurgeQueue`: deletes every message. At most once every 60 seconds (`PurgeQueueInProgress`).
    /// - Returns: how many messages were deleted.
    @discardableResult
    public func purge() async throws(QueueError) -> Int {
        let now = clock.now
        let (count, ticket) = try withMachineJournaled { (m: inout QueueStateMachine) throws(QueueError) in try m.purge(now: now) }
        try await Self.awaitStored(ticket)
        return count
    }

    /// `ApproximateNumberOfMessages`, `…NotVisible`, `…Delayed` now.
    public func statistics() async throws(QueueError) -> QueueStatistics {
        let now = clock.now
        return try withMachine { (m: inout QueueStateMachine) throws(QueueError) in
            m.tick(now)
            return m.statistics
        }
    }

    /// Marks the queue deleted: every later call fails with `QueueDoesNotExist`, and parked receivers return.
    func markDeleted() {
        let woken: [WakeSignal] = core.withLock { c in
            c.deleted = true
            let w = Array(c.waiters.values)
            c.waiters.removeAll()
            return w
        }
        for w in woken { w.signal() }
    }
}
