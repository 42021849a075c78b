import Synchronization

/// One topic with Amazon SNS semantics: `Publish` fans a message out to every subscription
/// whose filter policy matches, wrapped in the SNS envelope (or raw), retries server-side
/// failures by SNS's delivery policy on the injected clock, and sends what cannot be
/// delivered to the subscription's dead-letter queue.
///
/// FIFO topics (``TopicConfiguration/fifo``) require a `MessageGroupId`, deduplicate for 5
/// minutes by `MessageDeduplicationId` or (with `ContentBasedDeduplication`) the SHA-256 of the
/// message, stamp an increasing `SequenceNumber`, and deliver each group to each subscription in
/// order: while one message of a group is being retried, later ones of that group wait.
///
/// `publish` returns after every first attempt (and immediate retries) has been made; later
/// retries run when the clock reaches them: by a timer task sleeping on the clock
/// (`retryTimer: true`), or by ``runDueRetries()`` / ``settle(advancing:)``.
/// Create topics with ``TopicRegistry/createTopic(_:)``. Subscriptions and attributes may change
/// while the topic runs (``subscribe(_:)``, ``unsubscribe(arn:)``, ``updateSubscription(arn:_:)``);
/// each publish fans out to the subscriptions of the moment it starts. HTTP/S subscriptions
/// receive nothing until confirmed (``confirm(token:)``).
public actor Topic: TimedComponent {
    /// The topic's attributes and subscriptions, as they are now.
    public nonisolated var configuration: TopicConfiguration { settings.withLock { $0 } }
    /// The configuration behind ``configuration``, changed by the subscription operations.
    let settings: Mutex<TopicConfiguration>
    /// The topic's ARN.
    public nonisolated let arn: String
    /// The region of ``arn``, as the SNS envelope's URLs name it (read once).
    nonisolated let region: String
    /// The SQS envelope's parts that depend only on this topic, written once.
    nonisolated let envelopeParts: TopicEnvelope.TopicParts

    /// How long a FIFO deduplication id is remembered.
    public static let deduplicationWindow = Duration.seconds(300)

    let clock: any EventClock
    /// Where subscriptions and dead-letter queues are delivered, by ARN (the router's ``TargetRegistry``).
    let targets: any EventTarget
    let retryPolicy: DeliveryRetryPolicy
    /// Where HTTP/S subscriptions are posted.
    let http: HTTPSubscriptionSink
    let retryTimer: Bool
    /// Where deliveries given up on are logged (besides ``undelivered``).
    let log: any LogSink
    /// Message ids, retry jitter and request ids (locked, so that a standard topic accepts a message
    /// without entering the actor: ``acceptStandard(_:)``).
    nonisolated let random: Mutex<SeededGenerator>
    var sequence: UInt64 = 0
    var dedup: [String: PublishResult] = [:]
    var dedupExpiry: [(Timestamp, String)] = []
    var dedupHead = 0
    var lanes: [String: [PendingDelivery]] = [:]
    var scheduled = DeadlineHeap<ScheduledDelivery>() { didSet { retryStatus.set(retryStatusNow) } }
    /// The status as ``timedStatusNow(at:)`` reads it (set on every change of `scheduled`).
    nonisolated let retryStatus = TimedStatusMirror()
    var scheduleCounter: UInt64 = 0
    var timerArmedFor: Timestamp?
    /// Subscription endpoints read as ARNs (``ARN/init(text:)``), by endpoint text: each delivery
    /// would otherwise read its endpoint again.
    var endpointARNs: [String: ARN] = [:]
    /// The first attempts' routes, by subscription index (Topic+FanOut.swift).
    var routes: [SubscriptionRoute?] = []
    /// `targets` when it is the router's registry, whose ``TargetRegistry/generation`` says when
    /// `routes` must be resolved again.
    nonisolated let targetRegistry: TargetRegistry?
    /// Where the topic journals its deliveries and FIFO window (the registry's; Topic+Journal.swift).
    let journal: TopicJournal
    /// What recovery handed over (``handOver(_:)``), taken by ``adoptRecovered()``.
    nonisolated let recovered = Mutex<TopicRestoreState?>(nil)
    nonisolated let hasRecovered = Atomic<Bool>(false)

    /// Counters since creation.
    public var statistics: TopicStatistics {
        var s = counts
        s.published = published.load(ordering: .relaxed)
        return s
    }
    /// ``statistics`` but `published`, which ``acceptStandard(_:)`` counts outside the actor.
    var counts = TopicStatistics()
    nonisolated let published = Atomic<Int>(0)
    /// Deliveries given up on (dead-lettered or dropped), oldest first; at most ``undeliveredLimit`` kept.
    public private(set) var undelivered: [UndeliveredMessage] = []
    /// How many ``undelivered`` records are kept.
    public static let undeliveredLimit = 10_000

    init(configuration: TopicConfiguration, clock: any EventClock, targets: any EventTarget,
         retryPolicy: DeliveryRetryPolicy, retryTimer: Bool, log: any LogSink = DiscardingLogSink(), seed: UInt64,
         http: HTTPSubscriptionSink = HTTPSubscriptionSink(), journal: TopicJournal = TopicJournal()) {
        self.settings = Mutex(configuration)
        self.journal = journal
        self.arn = configuration.arn
        let region = ARN(topic: configuration.arn)?.region ?? "us-east-1"
        self.region = region
        self.envelopeParts = TopicEnvelope.TopicParts(topicArn: configuration.arn, region: region)
        self.http = http
        self.log = log
        self.clock = clock
        self.targets = targets
        self.targetRegistry = targets as? TargetRegistry
        self.retryPolicy = retryPolicy
        self.retryTimer = retryTimer
        self.random = Mutex(SeededGenerator(seed: seed))
    }

    /// `Publish`.
    /// - Parameters:
    ///   - message: the message (1 byte to 256 KB with attributes).
    ///   - subject: optional subject, shown in the envelope.
    ///   - messageAttributes: `String`, `String.Array`, `Number` or `Binary` attributes.
    ///   - messageGroupId: required on FIFO topics, invalid on standard ones.
    ///   - messageDeduplicationId: FIFO only; without it the topic needs `ContentBasedDeduplication`.
    /// - Returns: the `MessageId`, the FIFO `SequenceNumber` and each subscription's outcome.
    /// - Throws: ``TopicError`` (`InvalidParameter`, `InvalidParameterValue`) saying what to change.
    public func publish(
        message: String, subject: String? = nil, messageAttributes: [String: MessageAttributeValue] = [:],
        messageGroupId: String? = nil, messageDeduplicationId: String? = nil
    ) async throws(TopicError) -> PublishResult {
        try await publish(TopicMessage(message: message, subject: subject, attributes: messageAttributes,
                                       groupId: messageGroupId, deduplicationId: messageDeduplicationId))
    }

    /// `Publish` of a prepared message (see ``publish(message:subject:messageAttributes:messageGroupId:messageDeduplicationId:)``).
    public func publish(_ m: TopicMessage) async throws(TopicError) -> PublishResult {
        await fanOut(try accept(m))
    }

    /// The first half of ``publish(_:)``: checks the message, deduplicates it (FIFO), and gives it
    /// its `MessageId` (and `SequenceNumber`); nothing is delivered yet. ``fanOut(_:)`` makes the
    /// deliveries, to the subscriptions of this moment. A caller may answer the publisher in
    /// between (SNS answers once a message is accepted). On a FIFO topic, fan accepted messages
    /// out in the order they were accepted (``publish(_:)`` does), or groups lose their order.
    /// - Throws: ``TopicError`` saying what to change.
    public func accept(_ m: TopicMessage) throws(TopicError) -> AcceptedPublish {
        adoptRecovered()
        if let accepted = try acceptStandard(m) { return accepted }
        let configuration = self.configuration
        try m.validate(fifo: configuration.fifo, contentBasedDeduplication: configuration.contentBasedDeduplication)
        let now = clock.now
        let id = m.deduplicationId ?? SHA256.hexDigest(of: Array(m.message.utf8))
        expireDeduplication(now)
        if var prior = dedup[id] {
            counts.deduplicated += 1
            prior.deduplicated = true
            prior.deliveries = []
            return AcceptedPublish(result: prior, message: m, configuration: configuration, timestamp: now, dedupId: id)
        }
        published.add(1, ordering: .relaxed)
        var result = PublishResult(messageId: random.withLock { $0.uuid() })
        sequence += 1
        result.sequenceNumber = String(10_000_000_000_000_000_000 as UInt64 + sequence)
        dedup[id] = result
        dedupExpiry.append((now + Self.deduplicationWindow, id))
        journalDeduplication(id, result, expires: now + Self.deduplicationWindow)
        return AcceptedPublish(result: result, message: m, configuration: configuration, timestamp: now, dedupId: id)
    }

    /// ``accept(_:)`` of a standard topic without entering the actor (a standard topic keeps no
    /// state per message until its fan-out), so that a publisher's answer waits for no other
    /// thread; `nil` for a FIFO topic, or while recovered state waits to be adopted: call
    /// ``accept(_:)`` then.
    /// - Throws: ``TopicError`` saying what to change.
    public nonisolated func acceptStandard(_ m: TopicMessage) throws(TopicError) -> AcceptedPublish? {
        let configuration = self.configuration
        guard !configuration.fifo, !hasRecovered.load(ordering: .acquiring) else { return nil }
        try m.validate(fifo: false, contentBasedDeduplication: configuration.contentBasedDeduplication)
        published.add(1, ordering: .relaxed)
        let result = PublishResult(messageId: random.withLock { $0.uuid() })
        return AcceptedPublish(result: result, message: m, configuration: configuration, timestamp: clock.now, dedupId: nil)
    }

    /// Retries waiting for the clock.
    public var pendingRetries: Int { scheduled.count }
    /// When the next retry is due, if any.
    public var nextRetryTime: Timestamp? { scheduled.firstDeadline }

    /// Makes every retry that is due at the clock's current time (in due order).
    public func runDueRetries() async {
        adoptRecovered()
        while let first = scheduled.popDue(clock.now) {
            // A subscription removed meanwhile gets no more retries (SNS stops delivering to it).
            let arn = first.delivery.subscription.arn
            guard settings.withLock({ $0.subscriptions.contains { $0.arn == arn } }) else {
                journalSettled(first.delivery)
                if let lane = first.delivery.lane { lanes[lane] = nil }
                continue
            }
            // On the real clock an HTTP/S retry runs beside the driver, so an endpoint that is slow
            // to answer holds up neither the driver nor the other deliveries.
            if first.delivery.subscription.endpointProtocol.isHTTP, let wake = http.retryWake {
                let delivery = first.delivery
                http.inBackground { [weak self] in await self?.retryBesideTheDriver(delivery, wake: wake) }
                continue
            }
            let status = await run(first.delivery)
            if let lane = first.delivery.lane, status != .retrying { await drainLane(lane) }
        }
    }

    /// One HTTP/S retry made off the driver; a further retry it schedules wakes the driver.
    private func retryBesideTheDriver(_ delivery: PendingDelivery, wake: WakeSignal) async {
        if await run(delivery) == .retrying { wake.signal() }
    }

    /// Runs every retry to its end on a manual clock, a ``TimeDriver`` advancing the clock from
    /// one due retry to the next (a day of SNS retries takes milliseconds).
    public func settle(advancing clock: ManualClock) async {
        _ = await TimeDriver(clock: .virtual(clock), wake: WakeSignal(), components: [self]).settle()
    }

    public nonisolated var timedRole: TimedRole { .scheduled }

    public func runDue(at now: Timestamp) async -> Int {
        let before = scheduled.count
        await runDueRetries()
        return max(0, before - scheduled.count)
    }

    public func timedStatus(at now: Timestamp) async -> TimedStatus {
        adoptRecovered()
        return TimedStatus(pending: scheduled.count, nextDeadline: scheduled.firstDeadline)
    }

    // MARK: Deliveries

    /// Starts a delivery, or queues it behind its FIFO group's message in progress.
    func start(_ d: PendingDelivery) async -> PublishResult.Status {
        guard let lane = d.lane else { return await run(d) }
        if lanes[lane] != nil {
            lanes[lane]?.append(d)
            journalScheduled(d, at: nil)
            return .waiting
        }
        lanes[lane] = []
        let status = await run(d)
        if status != .retrying { await drainLane(lane) }
        return status
    }

    /// The head of `lane` finished: deliver its waiting messages in order until one needs a
    /// later retry (the lane stays busy) or none is left (the lane closes).
    private func drainLane(_ lane: String) async {
        while let waiting = lanes[lane], let next = waiting.first {
            lanes[lane]?.removeFirst()
            if await run(next) == .retrying { return }
        }
        lanes[lane] = nil
    }

    /// Attempts a delivery until it is delivered, given up, or scheduled for a later retry.
    func run(_ delivery: PendingDelivery) async -> PublishResult.Status {
        var d = delivery
        let sub = d.subscription
        let delivery = TargetDelivery(subscriptionTo: endpointARN(sub.endpoint), body: d.body, attributes: d.attributes, groupId: d.groupId, dedupId: d.dedupId)
        while true {
            let result: DeliveryOutcome
            if sub.endpointProtocol.isHTTP {
                result = await http.post(.notification, to: sub, messageId: d.messageId, topicArn: arn, body: d.body)
            } else if let now = targets.deliverNow(delivery) {
                result = now  // in-memory queues: no suspension, no async frame
            } else {
                result = await targets.deliver(delivery)
            }
            if let status = await settle(&d, result, jitterSample: nextJitterSample()) { return status }
        }
    }

    /// The jitter sample of one attempt (every attempt draws one, whatever its outcome).
    func nextJitterSample() -> Double { Double(random.withLock { $0.next() } >> 11) / Double(1 << 53) }

    /// Applies one attempt's outcome: the delivery's status, or `nil` to attempt again at once.
    func settle(_ d: inout PendingDelivery, _ result: DeliveryOutcome, jitterSample sample: Double) async -> PublishResult.Status? {
        switch d.machine.record(result, jitterSample: sample) {
        case .done:
            counts.delivered += 1
            journalSettled(d)
            return .delivered
        case .retry(let delay):
            counts.retried += 1
            if delay <= .zero { return nil }
            schedule(d, at: clock.now + delay)
            return .retrying
        case .deadLetter(let code, let message):
            return await deadLetter(d, code: code, message: message)
        }
    }

    /// `endpoint` read as an ARN, once per endpoint (a topic has few; the cache is dropped if it grows past 4,096).
    func endpointARN(_ endpoint: String) -> ARN {
        if let known = endpointARNs[endpoint] { return known }
        if endpointARNs.count >= 4096 { endpointARNs.removeAll() }
        let parsed = ARN(text: endpoint)
        endpointARNs[endpoint] = parsed
        return parsed
    }

    /// Sends a given-up delivery to the subscription's dead-letter queue with SNS's
    /// `RequestID`, `ErrorCode` and `ErrorMessage` attributes (after the message's own
    /// attributes on raw delivery, as many as fit SQS's 10), or records it as dropped.
    private func deadLetter(_ d: PendingDelivery, code: String, message: String) async -> PublishResult.Status {
        let sub = d.subscription
        journalSettled(d)
        var record = UndeliveredMessage(messageId: d.messageId, subscriptionArn: sub.arn, endpoint: sub.endpoint, errorCode: code,
                                        errorMessage: message, attempts: d.machine.attempts, deadLetterQueue: sub.deadLetterTargetArn)
        defer {
            if undelivered.count >= Self.undeliveredLimit { undelivered.removeFirst(undelivered.count - Self.undeliveredLimit + 1) }
            undelivered.append(record)
            log.log(record.logRecord(topicArn: arn))
        }
        guard let dlq = sub.deadLetterTargetArn else {
            counts.dropped += 1
            return .dropped
        }
        var attributes: [String: MessageAttributeValue] = [:]
        for name in d.attributes.keys.sorted().prefix(7) { attributes[name] = d.attributes[name] }
        attributes["RequestID"] = .string(random.withLock { $0.uuid() })
        attributes["ErrorCode"] = .string(code)
        attributes["ErrorMessage"] = .string(message)
        let dedupId = configuration.fifo ? "\(d.messageId)-\(sub.arn.suffix(36))" : nil
        let outcome = await targets.deliverSoon(
            TargetDelivery(subscriptionTo: dlq, body: d.body, attributes: attributes, groupId: d.groupId, dedupId: dedupId))
        if outcome == .success {
            counts.deadLettered += 1
            return .deadLettered
        }
        counts.dropped += 1
        record.deadLetterError = "\(outcome.errorCode ?? "Error"): \(outcome.errorMessage ?? "")"
        return .dropped
    }

    private func schedule(_ d: PendingDelivery, at due: Timestamp) {
        scheduleCounter += 1
        scheduled.push(at: due, sequence: scheduleCounter, ScheduledDelivery(due: due, order: scheduleCounter, delivery: d))
        journalScheduled(d, at: due)
        if retryTimer { arm(due) }
    }

    /// Starts a timer task sleeping on the clock until `due`, unless one is set earlier.
    private func arm(_ due: Timestamp) {
        if let armed = timerArmedFor, armed <= due { return }
        timerArmedFor = due
        let clock = self.clock
        BackgroundTask.start { [weak self] in
            try? await clock.sleep(until: due)
            await self?.timerFired(due)
        }
    }

    private func timerFired(_ due: Timestamp) async {
        if timerArmedFor == due { timerArmedFor = nil }
        await runDueRetries()
        if let next = scheduled.firstDeadline { arm(next) }
    }

    func expireDeduplication(_ now: Timestamp) {
        while dedupHead < dedupExpiry.count, dedupExpiry[dedupHead].0 <= now {
            let id = dedupExpiry[dedupHead].1
            dedup[id] = nil
            dedupHead += 1
        }
        if dedupHead > 1024 && dedupHead * 2 > dedupExpiry.count {
            dedupExpiry.removeFirst(dedupHead)
            dedupHead = 0
        }
    }
}

/// One subscription's copy of a message on its way.
struct PendingDelivery: Sendable {
    /// The subscription as it was when the message was published.
    let subscription: SubscriptionConfiguration
    let messageId: String
    let body: String
    let attributes: [String: MessageAttributeValue]
    let groupId: String?
    let dedupId: String?
    var machine: DeliveryRetryStateMachine
    /// FIFO: the subscription and message group, whose deliveries go strictly in order.
    let lane: String?
}

/// A delivery waiting for its retry time.
struct ScheduledDelivery: Sendable {
    let due: Timestamp
    let order: UInt64
    let delivery: PendingDelivery
}
