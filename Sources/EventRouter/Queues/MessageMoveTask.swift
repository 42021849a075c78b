/// A message move task as `ListMessageMoveTasks` reports it.
///
/// Tasks run to completion when they start (moving is one pass over the dead-letter queue), so
/// a task is `COMPLETED`, or `FAILED` when messages could not be moved.
public struct MessageMoveTask: Sendable, Hashable {
    /// `RUNNING`, `COMPLETED`, `CANCELLING`, `CANCELLED` or `FAILED`.
    public var status: String
    /// The opaque handle (`CancelMessageMoveTask` takes it).
    public var taskHandle: String
    /// The dead-letter queue the messages came from.
    public var sourceArn: String
    /// Where they went; `nil` when each went back to the queue it was redriven from.
    public var destinationArn: String?
    /// The rate asked for (recorded; the move itself is immediate).
    public var maxNumberOfMessagesPerSecond: Int?
    /// `ApproximateNumberOfMessagesMoved`.
    public var moved: Int
    /// `ApproximateNumberOfMessagesToMove`: the visible messages when the task started.
    public var toMove: Int
    /// Why messages were left behind (status `FAILED`).
    public var failureReason: String?
    /// `StartedTimestamp`.
    public var started: Timestamp
}

extension QueueRegistry {
    /// `StartMessageMoveTask` with a record for ``moveTasks(sourceArn:maximum:)``: runs
    /// ``startMessageMoveTask(sourceArn:destinationArn:maxNumberOfMessages:)`` and records the outcome.
    /// - Parameter maxNumberOfMessagesPerSecond: recorded (1–500); moving is immediate.
    /// - Throws: ``QueueError`` as the move does, and `InvalidParameterValue` for a rate outside 1–500.
    public func startMessageMoveTask(sourceArn: String, destinationArn: String?, maxNumberOfMessagesPerSecond: Int?) async throws(QueueError) -> MessageMoveTask {
        if let rate = maxNumberOfMessagesPerSecond, !(1...500).contains(rate) {
            throw QueueError.invalidValue("MaxNumberOfMessagesPerSecond", String(rate), "must be between 1 and 500.")
        }
        let started = clock.now
        let source = try? queue(named: sourceArn)
        let toMove = (try? await source?.statistics())?.visible ?? 0
        let result = try await startMessageMoveTask(sourceArn: sourceArn, destinationArn: destinationArn)
        let handle = Base64.encode(Array("{\"taskId\":\"\(SHA256.hexDigest(of: Array("\(sourceArn)\(started.nanosecondsSinceEpoch)".utf8)).prefix(32))\",\"sourceArn\":\"\(source?.arn ?? sourceArn)\"}".utf8))
        let task = MessageMoveTask(
            status: result.failed > 0 ? "FAILED" : "COMPLETED", taskHandle: handle, sourceArn: source?.arn ?? sourceArn,
            destinationArn: destinationArn, maxNumberOfMessagesPerSecond: maxNumberOfMessagesPerSecond, moved: result.moved,
            toMove: max(toMove, result.moved + result.failed),
            failureReason: result.failed > 0 ? "\(result.failed) messages could not be moved: their source queue no longer exists or is of another type" : nil,
            started: started)
        moveTasks.withLock { $0.append(task) }
        return task
    }

    /// `ListMessageMoveTasks`: the most recent tasks of a dead-letter queue, newest first.
    public func moveTasks(sourceArn: String, maximum: Int) -> [MessageMoveTask] {
        Array(moveTasks.withLock { $0.filter { $0.sourceArn == sourceArn } }.reversed().prefix(maximum))
    }

    /// `CancelMessageMoveTask`: only a running task can be cancelled, and tasks here finish as
    /// they start.
    /// - Throws: ``QueueError`` `ResourceNotFoundException` naming the task's status.
    public func cancelMessageMoveTask(handle: String) throws(QueueError) -> MessageMoveTask {
        guard let task = moveTasks.withLock({ $0.last { $0.taskHandle == handle } }) else {
            throw QueueError(.resourceNotFound, "No message move task has the handle '\(handle)': use a TaskHandle that StartMessageMoveTask returned.")
        }
        throw QueueError(.resourceNotFound, "The message move task \(handle) is \(task.status), not RUNNING: only a running task can be cancelled (EventRouter moves all messages when the task starts).")
    }
}
