@testable import EventRouter

/// Queues and topics on a manual clock, for topic tests.
struct TopicFixture {
    let clock = ManualClock()
    let queues: QueueRegistry
    let topics: TopicRegistry

    /// Creates `queueNames` (FIFO when ending in `.fifo`) and the topics of `topicEntries` (JSON text).
    init(queues queueNames: [String], topics topicEntries: [String], sink: (any EventTarget)? = nil,
         lambda: (any EventTarget)? = nil, retryPolicy: DeliveryRetryPolicy = .awsManagedEndpoints,
         log: any LogSink = DiscardingLogSink()) throws {
        queues = QueueRegistry(clock: clock, seed: 3)
        for name in queueNames { try queues.createQueue(QueueConfiguration(name: name, contentBasedDeduplication: false)) }
        let targets = TargetRegistry()
        targets.registerProvider(forService: "sqs") { [sqs = sink ?? QueueTarget(queues: queues)] _ in sqs }
        if let lambda { targets.registerProvider(forService: "lambda") { _ in lambda } }
        topics = TopicRegistry(clock: clock, targets: targets, queues: queues,
                               retryPolicy: retryPolicy, retryTimer: false, seed: 11, log: log)
        for entry in topicEntries { try topics.createTopic(topicConfiguration(entry)) }
    }

    func topic(_ name: String) throws(TopicError) -> Topic { try topics.topic(named: name) }

    /// The bodies in queue `name`, oldest first.
    func bodies(_ name: String) throws -> [String] {
        try messages(name).compactMap { $0["Body"]?.stringValue }
    }

    /// The messages of queue `name` as state JSON (`Body`, `MessageAttributes`, `Attributes`).
    func messages(_ name: String) throws -> [JSONValue] {
        try queues.queue(named: name).stateJSON()["messages"]?.arrayValue ?? []
    }
}

/// `arn:aws:sqs:us-east-1:123456789012:NAME`.
func queueArn(_ name: String) -> String { "arn:aws:sqs:us-east-1:123456789012:\(name)" }

/// Runs `body` and returns the ``TopicError`` it threw, or `nil`.
func topicError(_ body: () async throws(TopicError) -> Void) async -> TopicError? {
    do {
        try await body()
        return nil
    } catch {
        return error
    }
}
