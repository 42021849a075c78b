import Synchronization

/// The queues of one router, by ARN and by name: creates them from configurations, finds
/// dead-letter queues for redrive, moves messages back from a dead-letter queue, and reads and
/// writes the `"queues"` part of the state JSON.
public final class QueueRegistry: Sendable {
    typealias State = QueueTable.State

    /// The clock every queue reads.
    public let clock: any EventClock
    /// The largest `MaximumMessageSize` a queue may set (default 262144).
    public let maximumMessageSizeLimit: Int
    private let seed: UInt64
    /// The queues (their own object: queues reach it weakly, see ``QueueTable``).
    private let table = QueueTable()
    /// Message move tasks started, newest last (``QueueRegistry/startMessageMoveTask(sourceArn:destinationArn:maxNumberOfMessagesPerSecond:)``).
    let moveTasks = Mutex<[MessageMoveTask]>([])
    /// What the queues share with the registry (arrivals, deadlines, journal, end of long
    /// polls); each queue holds it instead of the registry, so no cycle keeps them alive.
    let link: QueueRegistryLink
    /// Signalled when a queue gains visible messages (the runtime's wake on a real clock, so
    /// that an idle event source mapping polls at once instead of at its next wake-up).
    var arrivals: WakeSignal? { link.arrivals }
    /// The registry's deadlines as the ``TimeDriver`` reads them (`QueueRegistry+Timed.swift`).
    var timing: QueueTiming { link.timing }

    /// The attached journal, if any.
    var journal: (any StateJournal)? { link.journal }

    /// From now on every queue mutation submits its records to `journal` (call it after
    /// recovery, before serving).
    public func attachJournal(_ journal: any StateJournal) { link.attachJournal(journal) }

    /// Whether a journal is attached (the SQS service then answers changes once stored).
    public var isJournaled: Bool { journal != nil }

    /// An empty registry.
    /// - Parameters:
    ///   - clock: the clock for visibility, delay, retention and long polling.
    ///   - seed: fixes message ids and receipt handles, for reproducible runs.
    ///   - maximumMessageSizeLimit: the largest `MaximumMessageSize` allowed.
    ///   - arrivals: signalled whenever a queue gains visible messages (nil: nobody is told).
    public init(clock: any EventClock, seed: UInt64 = 0, maximumMessageSizeLimit: Int = QueueConfiguration.defaultMaximumMessageSizeLimit,
                arrivals: WakeSignal? = nil) {
        self.clock = clock
        self.link = QueueRegistryLink(arrivals: arrivals)
        self.seed = seed
        self.maximumMessageSizeLimit = maximumMessageSizeLimit
        link.attach(to: table)
    }

    /// Every queue, in order of creation.
    public var queues: [MessageQueue] { table.state.withLock { $0.list } }

    /// The queue with this ARN, if it exists.
    public func queue(arn: String) -> MessageQueue? { table.queue(arn: arn) }

    /// The queue named by an ARN or a name (a name must be unique across accounts and regions).
    /// - Throws: ``QueueError`` `QueueDoesNotExist` (listing the queues there are) or, for an
    ///   ambiguous name, `InvalidParameterValue`.
    public func queue(named nameOrArn: String) throws(QueueError) -> MessageQueue {
        let (exact, byName, all): (MessageQueue?, [MessageQueue], [String]) = table.state.withLock { s in
            (s.byArn[nameOrArn], s.order.compactMap { s.byArn[$0] }.filter { $0.name == nameOrArn }, s.order)
        }
        if let exact { return exact }
        if byName.count == 1 { return byName[0] }
        if byName.count > 1 {
            throw QueueError(.invalidParameterValue, "The queue name '\(nameOrArn)' is ambiguous (\(byName.map(\.arn).joined(separator: ", "))): use the queue ARN.")
        }
        let known = all.isEmpty ? "there are no queues" : "known queues: " + all.joined(separator: ", ")
        throw QueueError(.queueDoesNotExist, "The specified queue '\(nameOrArn)' does not exist (\(known)): check the name or ARN.")
    }

    /// `CreateQueue`. Creating a queue again with the same attributes returns the existing one.
    /// Redrive links are checked by ``validateRedrivePolicies()`` (the dead-letter queue may be created later).
    /// - Throws: ``QueueError`` for invalid attributes, or `QueueNameExists` for different attributes.
    @discardableResult
    public func createQueue(_ configuration: QueueConfiguration) throws(QueueError) -> MessageQueue {
        try configuration.validate(maximumMessageSizeLimit: maximumMessageSizeLimit)
        return try table.state.withLock { (s: inout State) throws(QueueError) -> MessageQueue in
            if let existing = s.byArn[configuration.arn] {
                guard existing.configuration == configuration else {
                    throw QueueError(.queueNameExists, "A queue named \(configuration.name) already exists in \(configuration.account)/\(configuration.region) with different attributes: use the same attributes, another name, or delete the queue first.")
                }
                return existing
            }
            s.created += 1
            let queue = MessageQueue(configuration: configuration, clock: clock, seed: seed &+ s.created &* 0x9E37_79B9_7F4A_7C15, registry: self)
            s.byArn[configuration.arn] = queue
            s.order.append(configuration.arn)
            s.list.append(queue)
            journalQueuePut(configuration, metadata: queue.currentMetadata)
            return queue
        }
    }

    /// Creates every queue, then checks their redrive links.
    @discardableResult
    public func createQueues(_ configurations: [QueueConfiguration]) throws(QueueError) -> [MessageQueue] {
        var created: [MessageQueue] = []
        for c in configurations { created.append(try createQueue(c)) }
        try validateRedrivePolicies()
        return created
    }

    /// Checks every `RedrivePolicy` with ``QueueConfiguration/redriveProblem(deadLetterQueue:)``:
    /// the dead-letter queue exists, is another queue of the same type, account and region, and
    /// its `RedriveAllowPolicy` admits the source.
    /// - Throws: ``QueueError`` `InvalidParameterValue` naming both queues and what to change.
    public func validateRedrivePolicies() throws(QueueError) {
        let all = queues
        for source in all {
            guard let policy = source.configuration.redrivePolicy else { continue }
            let target = policy.deadLetterTargetArn
            func fail(_ reason: String) -> QueueError {
                QueueError.invalidValue("RedrivePolicy", "{\"deadLetterTargetArn\":\"\(target)\",\"maxReceiveCount\":\(policy.maxReceiveCount)}", "\(reason) (source queue \(source.arn)).")
            }
            if let reason = source.configuration.redriveProblem(deadLetterQueue: queue(arn: target)?.configuration) { throw fail(reason) }
        }
    }

    /// `DeleteQueue`: the queue and its messages are gone; later calls on it fail with `QueueDoesNotExist`.
    public func deleteQueue(_ nameOrArn: String) throws(QueueError) {
        let queue = try queue(named: nameOrArn)
        table.state.withLock { s in
            s.byArn[queue.arn] = nil
            s.order.removeAll { $0 == queue.arn }
            s.list.removeAll { $0 === queue }
            _ = journalQueueDelete(queue.arn)
        }
        queue.markDeleted()
    }
}
