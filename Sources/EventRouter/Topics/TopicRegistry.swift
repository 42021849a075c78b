import Synchronization

/// The topics of one router, by ARN and by name, with the targets their subscriptions deliver to.
///
/// ```swift
/// let queues = QueueRegistry(clock: clock)
/// let topics = TopicRegistry(clock: clock, queues: queues)
/// let topic = try topics.createTopic(TopicConfiguration(json: entry, account: account, region: region))
/// let result = try await topic.publish(message: "hello", messageAttributes: ["kind": .string("order")])
/// ```
public final class TopicRegistry: TimedComponent {
    /// The clock for timestamps, deduplication windows and retries.
    public let clock: any EventClock
    /// Where subscriptions and subscription dead-letter queues are delivered, by ARN: the
    /// router's ``TargetRegistry`` (queues through ``QueueTarget``, functions through ``FunctionTarget``).
    public let targets: any EventTarget
    /// The queues subscriptions may name (for validation).
    public let queues: QueueRegistry?
    /// The retry policy for server-side errors (SNS's for SQS/Lambda endpoints by default).
    public let retryPolicy: DeliveryRetryPolicy
    /// Where the topics log deliveries they give up on.
    public let log: any LogSink
    private let retryTimer: Bool
    private let seed: UInt64
    let state = Mutex<(byArn: [String: Topic], order: [String])>(([:], []))
    /// Where the topics' HTTP/S subscriptions are posted; install a client with
    /// ``HTTPSubscriptionSink/use(_:)`` (`eventrouter run` does).
    public let http = HTTPSubscriptionSink()
    /// Where topics, subscriptions, tags and retries are journaled with a data directory.
    public let journal: TopicJournal
    /// The topics' tags (`TagResource`).
    public let tags: TopicTags

    /// A registry delivering to `queues` only (a `lambda` subscription then fails with
    /// `EndpointUnavailable`, so its messages are dead-lettered or counted as dropped).
    /// - Parameters:
    ///   - retryTimer: schedule retries with timer tasks sleeping on `clock` (default). Pass
    ///     `false` to drive retries yourself with ``settle(advancing:)`` (tests, `--virtual-time`).
    ///   - seed: fixes message ids, request ids and jitter, for reproducible runs.
    public convenience init(clock: any EventClock, queues: QueueRegistry, retryPolicy: DeliveryRetryPolicy = .awsManagedEndpoints,
                            retryTimer: Bool = true, seed: UInt64 = 0, log: any LogSink = DiscardingLogSink()) {
        let targets = TargetRegistry()
        targets.registerProvider(forService: "sqs") { [queueTarget = QueueTarget(queues: queues)] _ in queueTarget }
        self.init(clock: clock, targets: targets, queues: queues, retryPolicy: retryPolicy, retryTimer: retryTimer, seed: seed, log: log)
    }

    /// A registry delivering through `targets` (the router's registry, or a test double).
    /// - Parameter log: where every topic logs the deliveries it gives up on (``UndeliveredMessage/logRecord(topicArn:)``).
    public init(clock: any EventClock, targets: any EventTarget, queues: QueueRegistry? = nil,
                retryPolicy: DeliveryRetryPolicy = .awsManagedEndpoints, retryTimer: Bool = true, seed: UInt64 = 0,
                log: any LogSink = DiscardingLogSink()) {
        self.log = log
        let journal = TopicJournal()
        self.journal = journal
        self.tags = TopicTags(journal: journal)
        self.clock = clock
        self.targets = targets
        self.queues = queues
        self.retryPolicy = retryPolicy
        self.retryTimer = retryTimer
        self.seed = seed
    }

    /// Every topic, in order of creation.
    public var topics: [Topic] { state.withLock { s in s.order.compactMap { s.byArn[$0] } } }

    /// The topic with this ARN, if any.
    public func topic(arn: String) -> Topic? { state.withLock { $0.byArn[arn] } }

    /// The topic named by an ARN or a name (a name must be unique across accounts and regions).
    /// - Throws: ``TopicError`` `NotFound` listing the topics there are, or `InvalidParameter` for an ambiguous name.
    public func topic(named nameOrArn: String) throws(TopicError) -> Topic {
        let (exact, byName, all): (Topic?, [Topic], [String]) = state.withLock { s in
            (s.byArn[nameOrArn], s.order.compactMap { s.byArn[$0] }.filter { $0.configuration.name == nameOrArn }, s.order)
        }
        if let exact { return exact }
        if byName.count == 1 { return byName[0] }
        if byName.count > 1 {
            throw TopicError.invalidParameter("TopicArn: the topic name '\(nameOrArn)' is ambiguous (\(byName.map(\.arn).joined(separator: ", "))): use the topic ARN.")
        }
        let known = all.isEmpty ? "there are no topics: declare one in a rule file's Topics" : "known topics: " + all.joined(separator: ", ")
        throw TopicError(.notFound, "Topic does not exist: '\(nameOrArn)' (\(known)): check the name or ARN.")
    }

    /// `CreateTopic` with its subscriptions. Creating a topic again with the same attributes
    /// returns the existing one.
    /// - Throws: ``TopicError`` `TopicAlreadyExists` when the attributes differ.
    /// - Parameter journaled: created through the API: journaled as `topic.put` with a data
    ///   directory, and recovered after a restart (topics of the rule files come from the files).
    @discardableResult
    public func createTopic(_ configuration: TopicConfiguration, journaled: Bool = false) throws(TopicError) -> Topic {
        try state.withLock { (s: inout (byArn: [String: Topic], order: [String])) throws(TopicError) -> Topic in
            if let existing = s.byArn[configuration.arn] {
                guard existing.configuration == configuration else {
                    throw TopicError(.topicAlreadyExists, "Topic already exists with different attributes: \(configuration.arn) is declared twice; merge the declarations or rename one.")
                }
                return existing
            }
            let topic = Topic(configuration: configuration, clock: clock, targets: targets, retryPolicy: retryPolicy,
                              retryTimer: retryTimer, log: log, seed: seed &+ UInt64(s.order.count + 1) &* 0x9E37_79B9_7F4A_7C15, http: http,
                              journal: journal)
            s.byArn[configuration.arn] = topic
            if journaled { journal.submit(.topicPut) { ["arn": .string(configuration.arn), "t": configuration.journalJSON] } }
            s.order.append(configuration.arn)
            return topic
        }
    }

    /// Checks every `sqs` subscription and dead-letter queue against ``queues``: the queue
    /// exists, and a FIFO topic's endpoints and dead-letter queues are FIFO queues (a standard
    /// topic's are standard ones). Unlike SNS (which accepts a subscription to a missing queue
    /// and fails each delivery), a missing queue is an error here, because it is almost always a typo.
    /// - Throws: ``TopicError`` `NotFound` or `InvalidParameter` naming the topic, subscription and queue.
    public func validateSubscriptions() throws(TopicError) {
        guard let queues else { return }
        for topic in topics {
            let c = topic.configuration
            for (i, sub) in c.subscriptions.enumerated() {
                let label = "topic \(c.name) Subscription[\(i)]"
                var targets: [(String, String)] = []
                if sub.endpointProtocol == .sqs { targets.append(("Endpoint", sub.endpoint)) }
                if let dlq = sub.deadLetterTargetArn { targets.append(("RedrivePolicy.deadLetterTargetArn", dlq)) }
                for (key, arn) in targets {
                    guard let queue = queues.queue(arn: arn) else {
                        let known = queues.queues.map(\.arn)
                        let hint = known.isEmpty ? "there are no queues: declare it in a rule file's Queues" : "known queues: " + known.joined(separator: ", ")
                        throw TopicError(.notFound, "\(label): \(key) \(arn) does not exist (\(hint)).")
                    }
                    if queue.configuration.fifo != c.fifo {
                        throw TopicError.invalidParameter("\(label): \(key) \(arn) is a \(queue.configuration.fifo ? "FIFO" : "standard") queue, but \(c.name) is a \(c.fifo ? "FIFO" : "standard") topic: use a \(c.fifo ? "FIFO" : "standard") queue.")
                    }
                }
            }
        }
    }

    /// Publishes to the topic named by `nameOrArn` (see ``Topic/publish(_:)``).
    public func publish(to nameOrArn: String, _ message: TopicMessage) async throws(TopicError) -> PublishResult {
        try await topic(named: nameOrArn).publish(message)
    }

    /// Runs every topic's retries to their end on a manual clock, a ``TimeDriver`` advancing it
    /// (see ``Topic/settle(advancing:)``).
    public func settle(advancing clock: ManualClock) async {
        _ = await TimeDriver(clock: .virtual(clock), wake: WakeSignal(), components: [self]).settle()
    }

    public var timedRole: TimedRole { .scheduled }

    /// Runs every topic's due retries, topics in order of creation.
    public func runDue(at now: Timestamp) async -> Int {
        var progress = 0
        for t in topics { progress += await t.runDue(at: now) }
        return progress
    }

    /// Retries waiting in all topics, and the earliest.
    public func timedStatus(at now: Timestamp) async -> TimedStatus {
        var status = TimedStatus(pending: 0, nextDeadline: nil)
        for t in topics {
            let s = await t.timedStatus(at: now)
            status.pending += s.pending
            if let due = s.nextDeadline, status.nextDeadline.map({ due < $0 }) ?? true { status.nextDeadline = due }
        }
        return status
    }

    /// The counters of all topics added up.
    public func statistics() async -> TopicStatistics {
        var total = TopicStatistics()
        for t in topics { total = total + (await t.statistics) }
        return total
    }
}
