import EventRouter

/// StartMessageMoveTask, ListMessageMoveTasks and CancelMessageMoveTask: moving messages out of
/// a dead-letter queue, back to their sources or to another queue.
extension SQSService {
    func startMessageMoveTask(_ r: SQSRequest) async throws(AWSError) -> JSONObject? {
        let source = try r.input.string("SourceArn", required: true) ?? ""
        let destination = try r.input.string("DestinationArn")
        let rate = try r.input.integer("MaxNumberOfMessagesPerSecond")
        guard r.queues.queue(arn: source) != nil else {
            throw SQSErrors.error("ResourceNotFoundException", "The resource that you specified for the SourceArn parameter doesn't exist: no queue \(source); use the ARN of an existing dead-letter queue.")
        }
        if let destination, r.queues.queue(arn: destination) == nil {
            throw SQSErrors.error("ResourceNotFoundException", "The resource that you specified for the DestinationArn parameter doesn't exist: no queue \(destination).")
        }
        let task = try await SQSErrors.mapping { () async throws(QueueError) in
            try await r.queues.startMessageMoveTask(sourceArn: source, destinationArn: destination, maxNumberOfMessagesPerSecond: rate)
        }
        return ["TaskHandle": .string(task.taskHandle)]
    }

    func listMessageMoveTasks(_ r: SQSRequest) throws(AWSError) -> JSONObject? {
        let source = try r.input.string("SourceArn", required: true) ?? ""
        let maximum = try r.input.integer("MaxResults") ?? 1
        guard (1...10).contains(maximum) else { throw SQSErrors.invalid("MaxResults", String(maximum), "must be between 1 and 10.") }
        guard r.queues.queue(arn: source) != nil else {
            throw SQSErrors.error("ResourceNotFoundException", "The resource that you specified for the SourceArn parameter doesn't exist: no queue \(source).")
        }
        let results: [JSONValue] = r.queues.moveTasks(sourceArn: source, maximum: maximum).map { task in
            var o: JSONObject = ["Status": .string(task.status), "SourceArn": .string(task.sourceArn)]
            if task.status == "RUNNING" { o["TaskHandle"] = .string(task.taskHandle) }
            if let d = task.destinationArn { o["DestinationArn"] = .string(d) }
            if let rate = task.maxNumberOfMessagesPerSecond { o["MaxNumberOfMessagesPerSecond"] = .number(JSONNumber(rate)) }
            o["ApproximateNumberOfMessagesMoved"] = .number(JSONNumber(task.moved))
            o["ApproximateNumberOfMessagesToMove"] = .number(JSONNumber(task.toMove))
            if let reason = task.failureReason { o["FailureReason"] = .string(reason) }
            o["StartedTimestamp"] = .number(JSONNumber(Int(task.started.millisecondsSinceEpoch)))
            return .object(o)
        }
        return ["Results": .array(results)]
    }

    func cancelMessageMoveTask(_ r: SQSRequest) throws(AWSError) -> JSONObject? {
        let handle = try r.input.string("TaskHandle", required: true) ?? ""
        let task = try SQSErrors.mapping { () throws(QueueError) in try r.queues.cancelMessageMoveTask(handle: handle) }
        return ["ApproximateNumberOfMessagesMoved": .number(JSONNumber(task.moved))]
    }
}
