/// The outcome of ``QueueRegistry/startMessageMoveTask(sourceArn:destinationArn:maxNumberOfMessages:)``.
public struct MessageMoveResult: Sendable, Hashable {
    /// `ApproximateNumberOfMessagesMoved`.
    public var moved: Int
    /// Messages left in the dead-letter queue because their source queue no longer exists.
    public var failed: Int
    /// Moved messages per destination ARN.
    public var byDestination: [String: Int]

    public init(moved: Int, failed: Int, byDestination: [String: Int]) {
        self.moved = moved
        self.failed = failed
        self.byDestination = byDestination
    }
}

extension QueueRegistry {
    /// `StartMessageMoveTask`, run to completion at once: moves the visible messages of a
    /// dead-letter queue back to the queue each came from (`DeadLetterQueueSourceArn`), or all
    /// to `destinationArn`. Moved messages count as new sends (receive count 0, retention from now).
    /// - Parameters:
    ///   - sourceArn: the dead-letter queue (name or ARN); some queue's `RedrivePolicy` must name it.
    ///   - destinationArn: a queue (name or ARN) of the same type to move all messages to; `nil` = back to their sources.
    ///   - maxNumberOfMessages: move at most this many (default: all).
    /// - Throws: ``QueueError`` `ResourceNotFoundException` / `QueueDoesNotExist` / `InvalidParameterValue`.
    public func startMessageMoveTask(sourceArn: String, destinationArn: String? = nil, maxNumberOfMessages: Int? = nil) async throws(QueueError) -> MessageMoveResult {
        let dlq: MessageQueue
        do {
            dlq = try queue(named: sourceArn)
        } catch {
            throw QueueError(.resourceNotFound, "The source queue '\(sourceArn)' of the message move task does not exist: name an existing dead-letter queue.")
        }
        let sources = queues.filter { $0.configuration.redrivePolicy?.deadLetterTargetArn == dlq.arn }
        if sources.isEmpty {
            throw QueueError.invalidValue("SourceArn", dlq.arn, "Source queue must be configured as a Dead Letter Queue: no queue's RedrivePolicy names \(dlq.name).")
        }
        var destination: MessageQueue?
        if let destinationArn {
            let d = try queue(named: destinationArn)
            guard d.configuration.fifo == dlq.configuration.fifo, d !== dlq else {
                throw QueueError.invalidValue("DestinationArn", d.arn, "The destination must be another queue of the same type (standard or FIFO) as \(dlq.name).")
            }
            destination = d
        }
        if let max = maxNumberOfMessages, max < 1 {
            throw QueueError.invalidValue("MaxNumberOfMessages", String(max), "must be 1 or more, or omitted to move every message.")
        }
        let now = clock.now
        let taken = try dlq.withMachine { (m: inout QueueStateMachine) throws(QueueError) in
            m.takeVisibleMessages(limit: maxNumberOfMessages ?? Int.max, now: now)
        }
        var result = MessageMoveResult(moved: 0, failed: 0, byDestination: [:])
        var leftBehind: [QueueMessage] = []
        var grouped: [String: [QueueMessage]] = [:]
        var targets: [String: MessageQueue] = [:]
        for message in taken {
            let target = destination ?? message.deadLetterSourceArn.flatMap { queue(arn: $0) }
            guard let target, target.configuration.fifo == dlq.configuration.fifo else {
                leftBehind.append(message)
                continue
            }
            grouped[target.arn, default: []].append(message)
            targets[target.arn] = target
        }
        for (arn, messages) in grouped.sorted(by: { $0.key < $1.key }) {
            guard let target = targets[arn] else { continue }
            do {
                try target.withMachine { (m: inout QueueStateMachine) throws(QueueError) in
                    for message in messages { m.acceptMovedMessage(message, now: now) }
                }
                result.moved += messages.count
                result.byDestination[arn] = messages.count
            } catch {
                leftBehind.append(contentsOf: messages)
            }
        }
        result.failed = leftBehind.count
        if !leftBehind.isEmpty {
            _ = try? dlq.withMachine { (m: inout QueueStateMachine) throws(QueueError) in
                for message in leftBehind.sorted(by: { $0.id < $1.id }) { m.restore(message, sequenceValue: nil) }
            }
        }
        return result
    }
}
