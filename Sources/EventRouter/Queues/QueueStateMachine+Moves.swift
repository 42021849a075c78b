extension QueueStateMachine {
    /// Takes a message redriven from `sourceArn` into this (dead-letter) queue. It keeps its id,
    /// body, attributes and original enqueue time (retention counts from it), becomes visible at
    /// once with a fresh receive count, and records `DeadLetterQueueSourceArn`.
    /// - Returns: `false` when it had already outlived this queue's retention and was dropped.
    @discardableResult
    mutating func acceptDeadLetter(_ message: QueueMessage, from sourceArn: String, now: Timestamp) -> Bool {
        tick(now)
        guard message.enqueuedAt + retention > now else { return false }
        var m = message
        m.deadLetterSourceArn = sourceArn
        insertAsUnreceived(m, now: now, fifoGroup: "dead-letter")
        return true
    }

    /// Removes up to `limit` visible messages, oldest first, for a message move task.
    mutating func takeVisibleMessages(limit: Int, now: Timestamp) -> [QueueMessage] {
        tick(now)
        let ids = messages.values.filter { $0.state == .visible }.map(\.id).sorted().prefix(limit)
        var taken: [QueueMessage] = []
        for id in ids {
            if let m = messages[id] { taken.append(m) }
            remove(id)
        }
        return taken
    }

    /// Takes a message moved back from a dead-letter queue: a new send as far as timers go
    /// (sent and enqueued now, receive count 0), same message id, body and attributes.
    mutating func acceptMovedMessage(_ message: QueueMessage, now: Timestamp) {
        tick(now)
        var m = message
        m.sentTimestamp = now
        m.enqueuedAt = now
        m.deadLetterSourceArn = nil
        if !isFifo { m.sequenceNumber = nil }
        insertAsUnreceived(m, now: now, fifoGroup: "redrive")
    }

    /// Inserts `message` visible at `now` as never received (receive count 0, no receipt
    /// handle); on a FIFO queue with the next sequence number, in `fifoGroup` when it has none.
    private mutating func insertAsUnreceived(_ message: QueueMessage, now: Timestamp, fifoGroup: String) {
        var m = message
        m.state = .visible
        m.visibleAt = now
        m.receiveCount = 0
        m.firstReceiveTimestamp = nil
        m.receivedAt = nil
        m.receiptNonce = 0
        if isFifo {
            if m.groupId == nil { m.groupId = fifoGroup }
            sequence += 1
            m.sequenceNumber = Self.formatSequence(sequence)
        }
        insert(m)
    }

    /// Every message, oldest first, after applying deadlines due by `now`.
    mutating func snapshot(now: Timestamp) -> [QueueMessage] {
        tick(now)
        return messages.valuesInIdOrder
    }

    /// Puts back a message read from a state file (its state and timers as stored).
    mutating func restore(_ message: QueueMessage, sequenceValue: UInt64?) {
        if let s = sequenceValue { sequence = max(sequence, s) }
        insert(message)
    }

    /// The current receipt handle of a message (`nil` before its first receive).
    func currentReceiptHandle(of message: QueueMessage) -> String? {
        message.receiptNonce == 0 ? nil : receiptHandle(message.receiptNonce)
    }
}
