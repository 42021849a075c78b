import Synchronization

/// Where the functions' invocation records and dead-letter messages go in a router: queues
/// (an SQS message whose body is the record or the original event, with the dead-letter
/// attributes as message attributes) and event buses (`PutEvents` with source `lambda`, the
/// Lambda detail-type and the function ARN as resource) and topics (published as the message).
/// Function destinations are handled by ``FunctionHost`` itself.
///
/// A destination that does not exist or refuses is counted and logged (the engine counts it
/// as a destination failure too); nothing crashes.
public final class RouterDestinationSink: DestinationSink {
    private struct State {
        var router: Router?
        var topics: TopicRegistry?
        var failures = 0
        var log: [String] = []
    }

    public let queues: QueueRegistry
    private let state = Mutex(State())

    /// - Parameter queues: the queues records may go to. Call ``attach(_:)`` with the router
    ///   to deliver to its buses.
    public init(queues: QueueRegistry) { self.queues = queues }

    /// The router whose buses receive bus destinations.
    public func attach(_ router: Router) { state.withLock { $0.router = router } }

    /// The topics that receive topic destinations.
    public func attach(_ topics: TopicRegistry) { state.withLock { $0.topics = topics } }

    /// Messages no destination accepted.
    public var failureCount: Int { state.withLock { $0.failures } }

    /// The latest 100 failures, one line each.
    public var failureLog: [String] { state.withLock { $0.log } }

    public func send(_ message: DestinationMessage) async -> Bool {
        switch message.destinationKind {
        case .queue?: return await sendToQueue(message)
        case .bus?: return sendToBus(message)
        case .function?: return fail(message, "function \(message.destinationArn) does not exist")
        case .topic?: return await sendToTopic(message)
        case nil: return fail(message, "'\(message.destinationArn)' is not a queue, topic, event bus or function ARN")
        }
    }

    private func sendToQueue(_ message: DestinationMessage) async -> Bool {
        guard let queue = queues.queue(arn: message.destinationArn) else {
            return fail(message, "queue \(message.destinationArn) does not exist")
        }
        if queue.configuration.fifo {
            return fail(message, "queue \(message.destinationArn) is a FIFO queue; Lambda destinations must be standard queues")
        }
        var attributes: [String: MessageAttributeValue] = [:]
        for (name, a) in message.attributes {
            attributes[name] = MessageAttributeValue(dataType: a.dataType, stringValue: a.stringValue)
        }
        do {
            _ = try await queue.sendMessage(body: message.body.jsonText, attributes: attributes)
            return true
        } catch {
            return fail(message, "\(error.code.name): \(error.message)")
        }
    }

    private func sendToTopic(_ message: DestinationMessage) async -> Bool {
        guard let topic = state.withLock({ $0.topics })?.topic(arn: message.destinationArn) else {
            return fail(message, "topic \(message.destinationArn) does not exist")
        }
        if topic.configuration.fifo {
            return fail(message, "topic \(message.destinationArn) is a FIFO topic; Lambda destinations must be standard topics")
        }
        var attributes: [String: MessageAttributeValue] = [:]
        for (name, a) in message.attributes { attributes[name] = MessageAttributeValue(dataType: a.dataType, stringValue: a.stringValue) }
        do {
            _ = try await topic.publish(message: message.body.jsonText, messageAttributes: attributes)
            return true
        } catch {
            return fail(message, "\(error.code.name): \(error.message)")
        }
    }

    private func sendToBus(_ message: DestinationMessage) -> Bool {
        guard let router = state.withLock({ $0.router }) else { return fail(message, "no router is attached for bus destinations") }
        let entry = PutEventsEntry(
            source: message.eventSource ?? "lambda",
            detailType: message.detailType ?? (message.kind == .deadLetter ? "Lambda Function Dead Letter" : InvocationRecord.successDetailType),
            detail: message.body.jsonText, eventBusName: message.destinationArn, resources: message.resources)
        do {
            let result = try router.putEvents([entry])
            if let e = result.entries.first, let code = e.errorCode { return fail(message, "\(code): \(e.errorMessage ?? "")") }
            return true
        } catch {
            return fail(message, error.message)
        }
    }

    private func fail(_ message: DestinationMessage, _ reason: String) -> Bool {
        let what = message.kind == .deadLetter ? "dead-letter message" : "invocation record"
        let line = "\(what) to \(message.destinationArn) not delivered: \(reason)"
        state.withLock { s in
            s.failures += 1
            s.log.append(line)
            if s.log.count > 100 { s.log.removeFirst() }
        }
        return false
    }
}
