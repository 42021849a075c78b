import Synchronization

/// One queue with Amazon SQS semantics, standard or FIFO.
///
/// A thin, lock-protected shell around ``QueueStateMachine`` (all decisions live there): it reads
/// the injected clock, parks long-polling receivers on it, wakes them when a message arrives,
/// and hands messages that exceeded `maxReceiveCount` to the dead-letter queue found through
/// its ``QueueRegistry``. Create queues with ``QueueRegistry/createQueue(_:)``.
///
/// A queue finds its dead-letter queue by ARN in its registry, which it holds (the registry
/// holds its queues too: registry and queues live and go together, no weak back reference).
public final class MessageQueue: Sendable {
    struct Core: Sendable {
        var machine: QueueStateMachine
        var waiters: [UInt64: WakeSignal] = [:]
        var nextWaiter: UInt64 = 0
        var deleted = false
    }

    /// The queue's ARN.
    public let arn: String
    /// Whether the queue is FIFO (fixed at creation, like its name).
    public let fifo: Bool
    let clock: any EventClock
    let core: Mutex<Core>
    /// What this queue shares with its registry (held instead of the registry: no cycle).
    let link: QueueRegistryLink?
    /// Tags and timestamps (``QueueMetadata``), apart from the message lock.
    let metadata: Mutex<QueueMetadata>

    init(configuration: QueueConfiguration, clock: any EventClock, seed: UInt64, registry: QueueRegistry?) {
        self.arn = configuration.arn
        self.fifo = configuration.fifo
        self.name = configuration.name
        self.clock = clock
        self.link = registry?.link
        self.core = Mutex(Core(machine: QueueStateMachine(configuration: configuration, seed: seed)))
        self.metadata = Mutex(QueueMetadata(created: clock.now))
    }

    /// The queue's name.
    public let name: String

    /// The queue's attributes now (``QueueRegistry/setAttributes(of:to:)`` changes them).
    public var configuration: QueueConfiguration { core.withLock { $0.machine.configuration } }

    /// Runs `body` on the state machine under the lock; fails with `QueueDoesNotExist` after ``QueueRegistry/deleteQueue(_:)``.
    /// Afterwards it wakes parked receivers when messages are visible, and tells the registry
    /// (its ``TimeDriver`` deadline may have moved; see ``QueueTiming``).
    /// Its records' ticket goes to the request's ``StateJournalTickets``, if one is collecting.
    func withMachine<R: Sendable>(_ body: (inout QueueStateMachine) throws(QueueError) -> R) throws(QueueError) -> R {
        let (result, ticket) = try withMachineJournaled(body)
        if !ticket.isNone { StateJournalTickets.note(ticket) }
        return result
    }

    /// ``withMachine(_:)`` that also answers the ticket of the records it submitted (an async
    /// API awaits it after the lock, so its answer follows the records to the disk).
    func withMachineJournaled<R: Sendable>(_ body: (inout QueueStateMachine) throws(QueueError) -> R) throws(QueueError) -> (R, StateJournalTicket) {
        let arrivals = link?.arrivals
        let journal = link?.journal
        let (result, woken, arrived, ticket): (R, [WakeSignal], Bool, StateJournalTicket) = try core.withLock { (c: inout Core) throws(QueueError) -> (R, [WakeSignal], Bool, StateJournalTicket) in
            guard !c.deleted else { throw self.doesNotExist() }
            if journal != nil, c.machine.journalChanges == nil { c.machine.journalChanges = [] }
            let before = arrivals == nil ? 0 : c.machine.visibleCount
            let r = try body(&c.machine)
            let ticket = journal.map { submitJournal($0, &c.machine) } ?? .none
            var woken: [WakeSignal] = []
            if !c.waiters.isEmpty && c.machine.visibleCount > 0 {
                woken = Array(c.waiters.values)
                c.waiters.removeAll()
            }
            // Only an empty queue's first visible message is news: with messages already there,
            // its mapping is busy or polls again by itself. A deadline earlier than the one the
            // driver sleeps until is news too.
            let earlier = link?.timing.queueChanged(earliest: c.machine.earliestTimerEntry) ?? false
            return (r, woken, arrivals != nil && ((before == 0 && c.machine.visibleCount > 0) || earlier), ticket)
        }
        for w in woken { w.signal() }
        if arrived { arrivals?.signal() }
        return (result, ticket)
    }

    func doesNotExist() -> QueueError {
        QueueError(.queueDoesNotExist, "The specified queue \(arn) does not exist (it was deleted): create it again or use another queue.")
    }

    // MARK: Send

    /// `SendMessage`.
    /// - Parameters:
    ///   - body: the message body (1 byte up to `MaximumMessageSize` including attributes; XML characters only).
    ///   - attributes: up to 10 message attributes.
    ///   - delaySeconds: per-message delay 0–900 (standard queues only; overrides the queue's `DelaySeconds`).
    ///   - groupId: `MessageGroupId`, required on FIFO queues.
    ///   - deduplicationId: `MessageDeduplicationId` (FIFO); without it the queue needs `ContentBasedDeduplication`.
    /// - Returns: the message id and, on FIFO queues, the sequence number.
    /// - Throws: ``QueueError`` (`InvalidParameterValue`, `MissingParameter`, `InvalidMessageContents`, `QueueDoesNotExist`).
    public func sendMessage(
        body: String, attributes: [String: MessageAttributeValue] = [:], delaySeconds: Int? = nil,
        groupId: String? = nil, deduplicationId: String? = nil
    ) async throws(QueueError) -> SendMessageResult {
        let now = clock.now
        let (result, ticket) = try withMachineJournaled { (m: inout QueueStateMachine) throws(QueueError) in
            try m.send(body: body, attributes: attributes, delaySeconds: delaySeconds, groupId: groupId, deduplicationId: deduplicationId, now: now)
        }
        try await Self.awaitStored(ticket)
        return result
    }

    /// Synchronous `SendMessage`, for callers that are not async (CLI, benchmarks).
    public func sendNow(
        body: String, attributes: [String: MessageAttributeValue] = [:], delaySeconds: Int? = nil,
        groupId: String? = nil, deduplicationId: String? = nil
    ) throws(QueueError) -> SendMessageResult {
        let now = clock.now
        return try withMachine { (m: inout QueueStateMachine) throws(QueueError) in
            try m.send(body: body, attributes: attributes, delaySeconds: delaySeconds, groupId: groupId, deduplicationId: deduplicationId, now: now)
        }
    }

    /// ``sendNow(body:attributes:delaySeconds:groupId:deduplicationId:)`` of a topic's delivery,
    /// whose body the topic has checked with ``QueueStateMachine/bodyIsPlainText(_:)`` when
    /// `bodyKnownPlain` (an envelope's parts are checked once per message, not per subscription).
    /// The body may be made of parts shared with the same publish's other subscriptions
    /// (``QueueMessageBody``): the message stores the parts, not a copy.
    func sendNow(body: QueueMessageBody, attributes: [String: MessageAttributeValue], groupId: String?, deduplicationId: String?,
                 bodyKnownPlain: Bool) throws(QueueError) -> SendMessageResult {
        let now = clock.now
        return try withMachine { (m: inout QueueStateMachine) throws(QueueError) in
            try m.send(body: body, attributes: attributes, delaySeconds: nil, groupId: groupId, deduplicationId: deduplicationId, now: now,
                       bodyKnownPlain: bodyKnownPlain)
        }
    }

    /// Synchronous `SendMessage` of several messages to a standard queue under one lock (a
    /// delivery run of the scheduler into this queue): each message succeeds or fails on its own,
    /// exactly as ``sendNow(body:attributes:delaySeconds:groupId:deduplicationId:)`` called for
    /// each in turn (no delay, group or deduplication id). Parked receivers and the registry
    /// are told once, after the last message.
    package func sendNow(batch messages: [(body: String, attributes: [String: MessageAttributeValue])]) -> [Result<SendMessageResult, QueueError>] {
        sendNow(batch: messages.map { (body: $0.body, attributes: $0.attributes, event: nil) })
    }

    /// ``sendNow(batch:)`` of a rule's deliveries: a message with an `event` delivery has its
    /// event's own text as its body and that delivery is pending in the deliveries' journal, so
    /// with a journal it is recorded as a reference to that text (`message.put.event`, type 9),
    /// and that record settles the delivery (``DeliveryRequest/markSettledByMessage()``).
    func sendNow(batch messages: [(body: String, attributes: [String: MessageAttributeValue], event: DeliveryRequest?)]) -> [Result<SendMessageResult, QueueError>] {
        let now = clock.now
        do throws(QueueError) {
            return try withMachine { (m: inout QueueStateMachine) -> [Result<SendMessageResult, QueueError>] in
                var results: [Result<SendMessageResult, QueueError>] = []
                results.reserveCapacity(messages.count)
                for message in messages {
                    do throws(QueueError) {
                        results.append(.success(try m.send(body: message.body, attributes: message.attributes, delaySeconds: nil, groupId: nil,
                                                           deduplicationId: nil, now: now)))
                        if let r = message.event, let last = m.journalChanges?.indices.last, case .touched(let id) = m.journalChanges?[last] {
                            m.journalChanges?[last] = .sentFromEvent(id, DeliveryKey(r))
                            r.markSettledByMessage()  // before its outcome is applied: no delivery.done for it
                        }
                    } catch {
                        results.append(.failure(error))
                    }
                }
                return results
            }
        } catch {
            return Array(repeating: .failure(error), count: messages.count)
        }
    }

    /// `SendMessageBatch`: 1–10 entries with distinct ids; each entry succeeds or fails on its own.
    /// - Throws: ``QueueError`` for the batch as a whole: `EmptyBatchRequest`,
    ///   `TooManyEntriesInBatchRequest`, `BatchEntryIdsNotDistinct`, `InvalidBatchEntryId`, `BatchRequestTooLong`.
    public func sendMessageBatch(_ entries: [SendMessageBatchEntry]) async throws(QueueError) -> BatchResult<SendMessageResult> {
        try BatchValidation.check(ids: entries.map(\.id))
        let total = entries.reduce(0) { $0 + QueueMessage.size(body: $1.body, attributes: $1.messageAttributes) }
        if total > configuration.maximumMessageSize {
            throw QueueError(.batchRequestTooLong, "Batch requests cannot be longer than \(configuration.maximumMessageSize) bytes; this one is \(total) bytes: split it into smaller batches.")
        }
        var result = BatchResult<SendMessageResult>()
        var tickets: [StateJournalTicket] = []
        for e in entries {
            do {
                let now = clock.now
                let (sent, ticket) = try withMachineJournaled { (m: inout QueueStateMachine) throws(QueueError) in
                    try m.send(body: e.body, attributes: e.messageAttributes, delaySeconds: e.delaySeconds, groupId: e.messageGroupId, deduplicationId: e.messageDeduplicationId, now: now)
                }
                result.succeed(e.id, sent)
                tickets.append(ticket)
            } catch {
                if error.code == .queueDoesNotExist { throw error }
                result.fail(e.id, error)
            }
        }
        for ticket in tickets { try await Self.awaitStored(ticket) }
        return result
    }
}
