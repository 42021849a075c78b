/// The pure decisions of one queue: what is visible, in flight or delayed, what expires, which
/// receipt handle is current, what is a duplicate, what goes to the dead-letter queue.
///
/// No async and no clock: every operation takes `now`, and deadlines (delay, visibility,
/// retention, the deduplication window) are applied lazily when an operation runs (``tick(_:)``).
/// ``MessageQueue`` wraps it behind a lock and adds long polling.
struct QueueStateMachine: Sendable {
    struct MessageGroup: Sendable {
        /// Undeleted messages of the group in order (in flight ones included); ids of removed
        /// messages are skipped lazily.
        var pending: [UInt64] = []
        var head = 0
        var inFlight = 0
    }

    struct DedupEntry: Sendable {
        var result: SendMessageResult
        var at: Timestamp
    }

    struct DedupKey: Sendable {
        var key: String
        var at: Timestamp
    }

    /// The result of a receive: messages handed out, and messages to move to the dead-letter queue.
    struct ReceiveOutcome: Sendable {
        var messages: [ReceivedMessage] = []
        var deadLetters: [QueueMessage] = []
    }

    static let deduplicationWindow: Duration = .seconds(300)
    static let maximumVisibilityWindow = 43_200

    let arn: String
    var configuration: QueueConfiguration
    private(set) var messages = MessageStore()
    private var nextID: UInt64 = 1
    /// Standard queues: visible message ids in arrival order (stale ids skipped lazily).
    private var ready = RingBuffer<UInt64>()
    /// When delayed and in-flight messages become visible (stale entries skipped lazily).
    var timers = DeadlineHeap<QueueTimer>()
    /// When messages expire (retention).
    var expiries = DeadlineHeap<QueueTimer>()
    /// FIFO queues: message groups, and the groups in round-robin order (each exactly once).
    private var groups: [String: MessageGroup] = [:]
    private var groupOrder = RingBuffer<String>()
    /// FIFO deduplication ids seen in the last 5 minutes (persisted: QueueStateMachine+Deduplication).
    var dedup: [String: DedupEntry] = [:]
    var dedupOrder = RingBuffer<DedupKey>()
    var sequence: UInt64 = 0
    /// Current receipt-handle nonces of received messages → internal ids.
    private var handles: [UInt64: UInt64] = [:]
    private(set) var visibleCount = 0
    private(set) var inFlightCount = 0
    private(set) var delayedCount = 0
    private var lastPurge: Timestamp?
    private var random: SeededGenerator
    /// Prefix of this queue's receipt handles, so a handle of another queue is recognised.
    let token: String
    /// Changes to journal (``QueueJournalChange``), collected while a journal is attached (nil: none).
    var journalChanges: [QueueJournalChange]?

    init(configuration: QueueConfiguration, seed: UInt64) {
        self.configuration = configuration
        self.arn = configuration.arn
        self.random = SeededGenerator(seed: seed)
        token = Self.receiptToken(arn: configuration.arn)
    }

    /// The prefix of the receipt handles of the queue `arn` (a hash of the ARN).
    static func receiptToken(arn: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in arn.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return String(UInt32(truncatingIfNeeded: hash ^ (hash >> 32)), radix: 16)
    }

    var isFifo: Bool { configuration.fifo }
    var statistics: QueueStatistics { QueueStatistics(visible: visibleCount, notVisible: inFlightCount, delayed: delayedCount) }
    /// The earliest time a delayed or in-flight message may become visible.
    var nextVisibilityChange: Timestamp? { timers.firstDeadline }
    var retention: Duration { .seconds(configuration.messageRetentionPeriod) }
    /// Timer entries held (live and stale), for tests of compaction.
    var timerEntryCount: Int { timers.count + expiries.count }

    // MARK: Time

    /// Applies every deadline due by `now`: expiry, then delay and visibility timeouts.
    mutating func tick(_ now: Timestamp) {
        while let e = expiries.popDue(now) {
            if let m = messages[e.id], m.enqueuedAt + retention <= now { remove(e.id) }
        }
        while let e = timers.popDue(now) {
            guard let m = messages[e.id], m.state != .visible, m.visibleAt == e.at else { continue }
            makeVisible(e.id)
        }
        while let first = dedupOrder.first, first.at + Self.deduplicationWindow <= now {
            _ = dedupOrder.popFirst()
            if let entry = dedup[first.key], entry.at == first.at { dedup[first.key] = nil }
        }
        compactTimersIfNeeded()
    }

    /// Drops timer entries of deleted messages (and superseded visibility deadlines) once they
    /// outnumber live messages, so a busy queue's heaps stay proportional to what it holds.
    private mutating func compactTimersIfNeeded() {
        let limit = 2 * messages.count + 4096
        if expiries.count > limit {
            let live = messages
            expiries.retain { live[$0.id] != nil }
        }
        if timers.count > limit {
            let live = messages
            timers.retain { e in
                guard let m = live[e.id] else { return false }
                return m.state != .visible && m.visibleAt == e.at
            }
        }
    }

    // MARK: Send

    /// `SendMessage`: validates, deduplicates (FIFO) and enqueues (`bodyKnownPlain`: see ``validateSend(body:attributes:delaySeconds:groupId:deduplicationId:bodyKnownPlain:)``).
    mutating func send(
        body: String, attributes: [String: MessageAttributeValue], delaySeconds: Int?,
        groupId: String?, deduplicationId: String?, now: Timestamp, bodyKnownPlain: Bool = false
    ) throws(QueueError) -> SendMessageResult {
        try send(body: QueueMessageBody(body), attributes: attributes, delaySeconds: delaySeconds, groupId: groupId,
                 deduplicationId: deduplicationId, now: now, bodyKnownPlain: bodyKnownPlain)
    }

    /// ``send(body:attributes:delaySeconds:groupId:deduplicationId:now:bodyKnownPlain:)`` of a body
    /// that may be made of shared parts (a topic's envelope): validated and stored as its parts.
    mutating func send(
        body: QueueMessageBody, attributes: [String: MessageAttributeValue], delaySeconds: Int?,
        groupId: String?, deduplicationId: String?, now: Timestamp, bodyKnownPlain: Bool = false
    ) throws(QueueError) -> SendMessageResult {
        try validateSend(body: body, attributes: attributes, delaySeconds: delaySeconds, groupId: groupId, deduplicationId: deduplicationId,
                         bodyKnownPlain: bodyKnownPlain)
        tick(now)
        var dedupKey: String?
        if isFifo {
            let key = deduplicationId ?? SHA256.hexDigest(of: Array(body.string.utf8))
            if let entry = dedup[key] {
                var result = entry.result
                result.deduplicated = true
                return result
            }
            dedupKey = key
        }
        let delay = delaySeconds ?? configuration.delaySeconds
        let visibleAt = now + .seconds(delay)
        var message = QueueMessage(
            id: 0, messageId: random.uuid(), body: body, attributes: attributes, sentTimestamp: now, enqueuedAt: now,
            state: delay > 0 ? .delayed : .visible, visibleAt: visibleAt, groupId: groupId,
            deduplicationId: isFifo ? dedupKey : nil)
        if isFifo {
            sequence += 1
            message.sequenceNumber = Self.formatSequence(sequence)
        }
        let result = SendMessageResult(messageId: message.messageId, sequenceNumber: message.sequenceNumber)
        insert(consume message)
        if let key = dedupKey {
            dedup[key] = DedupEntry(result: result, at: now)
            dedupOrder.append(DedupKey(key: key, at: now))
        }
        return result
    }

    static func formatSequence(_ n: UInt64) -> String {
        let digits = String(n)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    // MARK: Receive

    /// `ReceiveMessage` without waiting: up to `maxNumberOfMessages` visible messages become in
    /// flight for `visibilityTimeout` seconds (default: the queue's). Messages already received
    /// `maxReceiveCount` times are returned in ``ReceiveOutcome/deadLetters`` instead, removed
    /// from this queue, when `redrive` is true (the dead-letter queue exists).
    mutating func receive(maxNumberOfMessages: Int, visibilityTimeout: Int?, now: Timestamp, redrive: Bool) throws(QueueError) -> ReceiveOutcome {
        guard (1...10).contains(maxNumberOfMessages) else {
            throw QueueError.invalidValue("MaxNumberOfMessages", String(maxNumberOfMessages), "must be between 1 and 10, if provided.")
        }
        if let v = visibilityTimeout, !(0...Self.maximumVisibilityWindow).contains(v) {
            throw QueueError.invalidValue("VisibilityTimeout", String(v), "must be between 0 and 43200 seconds (12 hours).")
        }
        tick(now)
        if inFlightCount >= configuration.maximumInFlightMessages {
            throw QueueError(.overLimit, "Queue \(configuration.name) has \(inFlightCount) messages in flight, its maximum (\(configuration.maximumInFlightMessages)): delete received messages or let their visibility timeout expire before receiving more.")
        }
        let timeout = visibilityTimeout ?? configuration.visibilityTimeout
        let maxReceives = redrive ? configuration.redrivePolicy?.maxReceiveCount : nil
        var outcome = ReceiveOutcome()
        let room = min(maxNumberOfMessages, configuration.maximumInFlightMessages - inFlightCount)
        if isFifo {
            receiveFifo(room, timeout, now, maxReceives, &outcome)
        } else {
            while outcome.messages.count < room, let id = ready.popFirst() {
                guard let m = messages[id], m.state == .visible else { continue }
                if let limit = maxReceives, m.receiveCount >= limit {
                    outcome.deadLetters.append(m)
                    remove(id)
                    continue
                }
                outcome.messages.append(markReceived(id, timeout, now))
            }
        }
        return outcome
    }

    private mutating func receiveFifo(_ room: Int, _ timeout: Int, _ now: Timestamp, _ maxReceives: Int?, _ outcome: inout ReceiveOutcome) {
        var remainingGroups = groupOrder.count
        while remainingGroups > 0, outcome.messages.count < room, let name = groupOrder.popFirst() {
            remainingGroups -= 1
            guard var group = groups[name] else { continue }
            while group.head < group.pending.count, messages[group.pending[group.head]] == nil { group.head += 1 }
            if group.head == group.pending.count {
                groups[name] = nil
                continue
            }
            groupOrder.append(name)
            if group.inFlight > 0 {
                groups[name] = group
                continue
            }
            var i = group.head
            var taken: [UInt64] = []
            var moved: [UInt64] = []
            while i < group.pending.count, taken.count + outcome.messages.count < room {
                let id = group.pending[i]
                i += 1
                guard let m = messages[id] else { continue }
                guard m.state == .visible else { break }
                if let limit = maxReceives, m.receiveCount >= limit {
                    moved.append(id)
                    continue
                }
                taken.append(id)
            }
            if group.head > 64 && group.head * 2 > group.pending.count {
                group.pending.removeFirst(group.head)
                group.head = 0
            }
            groups[name] = group
            for id in moved {
                if let m = messages[id] { outcome.deadLetters.append(m) }
                remove(id)
            }
            for id in taken { outcome.messages.append(markReceived(id, timeout, now)) }
        }
    }

    private mutating func markReceived(_ id: UInt64, _ timeout: Int, _ now: Timestamp) -> ReceivedMessage {
        guard var m = messages[id] else { return ReceivedMessage(messageId: "", receiptHandle: "", body: "", messageAttributes: [:], attributes: [:]) }
        setState(&m, .inFlight)
        m.receiveCount += 1
        if m.firstReceiveTimestamp == nil { m.firstReceiveTimestamp = now }
        m.receivedAt = now
        m.visibleAt = now + .seconds(timeout)
        var nonce: UInt64 = 0
        while nonce == 0 || handles[nonce] != nil { nonce = random.next() }
        if m.receiptNonce != 0 { handles[m.receiptNonce] = nil }
        handles[nonce] = id
        m.receiptNonce = nonce
        messages[id] = m
        journalChanges?.append(.touched(id))
        timers.push(m.visibleAt, id)
        if let g = m.groupId, isFifo { groups[g]?.inFlight += 1 }
        return ReceivedMessage(messageId: m.messageId, receiptHandle: receiptHandle(nonce), body: m.body, messageAttributes: m.attributes, attributes: m.systemAttributes)
    }

    // MARK: Delete and visibility

    func receiptHandle(_ nonce: UInt64) -> String {
        "\(token).\(String(nonce, radix: 16))"
    }

    /// The internal id of the message whose current receipt handle is `handle`, or `nil` when
    /// the handle was superseded by a later receive or its message is gone.
    func messageID(forReceiptHandle handle: String) throws(QueueError) -> UInt64? {
        let parts = handle.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let nonce = UInt64(parts[1], radix: 16), nonce != 0 else {
            throw QueueError(.receiptHandleIsInvalid, "The input receipt handle \"\(handle)\" is not a valid receipt handle: use the ReceiptHandle that ReceiveMessage returned.")
        }
        guard parts[0] == token else {
            throw QueueError(.receiptHandleIsInvalid, "The input receipt handle \"\(handle)\" belongs to another queue, not \(configuration.name): use a ReceiptHandle that ReceiveMessage on this queue returned.")
        }
        return handles[nonce]
    }

    /// `DeleteMessage`. Returns whether a message was deleted: as in SQS, a handle of a
    /// message already deleted (or expired), or one superseded by a later receive, succeeds
    /// without deleting anything. FIFO queues reject a handle whose visibility timeout expired.
    mutating func delete(receiptHandle handle: String, now: Timestamp) throws(QueueError) -> Bool {
        tick(now)
        guard let id = try messageID(forReceiptHandle: handle), let m = messages[id] else { return false }
        if isFifo && m.state != .inFlight {
            throw QueueError(.receiptHandleIsInvalid, "The receipt handle has expired: the visibility timeout of the message passed before DeleteMessage; receive the message again and delete it with the new receipt handle.")
        }
        remove(id)
        return true
    }

    /// `ChangeMessageVisibility`: the message becomes visible `timeout` seconds from `now`
    /// (0 = at once), at most 12 hours after the receive that put it in flight.
    mutating func changeVisibility(receiptHandle handle: String, timeout: Int, now: Timestamp) throws(QueueError) {
        guard (0...Self.maximumVisibilityWindow).contains(timeout) else {
            throw QueueError.invalidValue("VisibilityTimeout", String(timeout), "must be between 0 and 43200 seconds (12 hours).")
        }
        tick(now)
        guard let id = try messageID(forReceiptHandle: handle), var m = messages[id] else {
            throw QueueError(.receiptHandleIsInvalid, "The receipt handle \"\(handle)\" is no longer valid: its message was deleted, expired or received again; use the ReceiptHandle of the most recent receive.")
        }
        guard m.state == .inFlight, let receivedAt = m.receivedAt else {
            throw QueueError(.messageNotInflight, "The message is not in flight (its visibility timeout expired): receive it again before changing its visibility.")
        }
        let limit = receivedAt + .seconds(Self.maximumVisibilityWindow)
        let target = now + .seconds(timeout)
        if target > limit {
            let allowed = max(0, Int(((limit - now).nanoseconds) / 1_000_000_000))
            throw QueueError.invalidValue("VisibilityTimeout", String(timeout), "Total VisibilityTimeout for the message is beyond the limit of 43200 seconds (12 hours from its receive); use at most \(allowed).")
        }
        m.visibleAt = target
        messages[id] = m
        journalChanges?.append(.touched(id))
        if timeout == 0 {
            makeVisible(id)
        } else {
            timers.push(target, id)
        }
    }

    /// `PurgeQueue`: deletes every message; at most once every 60 seconds.
    mutating func purge(now: Timestamp) throws(QueueError) -> Int {
        if let last = lastPurge, now < last + .seconds(60) {
            let wait = Int(((last + .seconds(60) - now).nanoseconds + 999_999_999) / 1_000_000_000)
            throw QueueError(.purgeQueueInProgress, "Only one PurgeQueue operation on \(configuration.name) is allowed every 60 seconds: try again in \(wait) s.")
        }
        lastPurge = now
        journalChanges?.append(.purged)
        let count = messages.count
        messages.removeAll()
        ready.removeAll()
        timers.removeAll()
        expiries.removeAll()
        groups = [:]
        groupOrder.removeAll()
        handles = [:]
        visibleCount = 0
        inFlightCount = 0
        delayedCount = 0
        return count
    }

    // MARK: Bookkeeping

    /// Adds a message in the state it carries (id assigned here); drops it if already expired.
    @discardableResult
    mutating func insert(_ message: consuming QueueMessage) -> UInt64 {
        let id = nextID
        nextID += 1
        message.id = id
        // What the bookkeeping below reads, so that the message itself is moved into the store.
        let state = message.state, nonce = message.receiptNonce, visibleAt = message.visibleAt
        let expiresAt = message.enqueuedAt + retention
        let group = isFifo ? (message.groupId ?? "") : nil
        messages.insert(consume message, id: id)
        journalChanges?.append(.touched(id))
        if nonce != 0 { handles[nonce] = id }
        switch state {
        case .visible: visibleCount += 1
        case .inFlight: inFlightCount += 1
        case .delayed: delayedCount += 1
        }
        if state == .visible {
            if !isFifo { ready.append(id) }
        } else {
            timers.push(visibleAt, id)
        }
        expiries.push(expiresAt, id)
        if let g = group {
            if groups[g] == nil { groupOrder.append(g) }
            groups[g, default: MessageGroup()].pending.append(id)
            if state == .inFlight { groups[g]?.inFlight += 1 }
        }
        return id
    }

    /// Removes a message from the queue (deleted, expired, purged or moved).
    mutating func remove(_ id: UInt64) {
        guard let m = messages.removeValue(forKey: id) else { return }
        journalChanges?.append(.removed(m.messageId))
        if m.receiptNonce != 0 { handles[m.receiptNonce] = nil }
        switch m.state {
        case .visible: visibleCount -= 1
        case .inFlight:
            inFlightCount -= 1
            if isFifo, let g = m.groupId { groups[g]?.inFlight -= 1 }
        case .delayed: delayedCount -= 1
        }
    }

    private mutating func makeVisible(_ id: UInt64) {
        guard var m = messages[id], m.state != .visible else { return }
        if m.state == .inFlight, isFifo, let g = m.groupId { groups[g]?.inFlight -= 1 }
        setState(&m, .visible)
        messages[id] = m
        if !isFifo { ready.append(id) }
    }

    private mutating func setState(_ m: inout QueueMessage, _ state: QueueMessage.State) {
        switch m.state {
        case .visible: visibleCount -= 1
        case .inFlight: inFlightCount -= 1
        case .delayed: delayedCount -= 1
        }
        m.state = state
        switch state {
        case .visible: visibleCount += 1
        case .inFlight: inFlightCount += 1
        case .delayed: delayedCount += 1
        }
    }
}

extension QueueStateMachine {
    /// Takes new attributes (`SetQueueAttributes`). A changed `MessageRetentionPeriod` re-times
    /// the expiry of every message held (retention counts from each message's enqueue time).
    mutating func reconfigure(_ new: QueueConfiguration, now: Timestamp) {
        let retimed = new.messageRetentionPeriod != configuration.messageRetentionPeriod
        configuration = new
        if retimed {
            expiries.removeAll()
            for m in messages.values { expiries.push(m.enqueuedAt + retention, m.id) }
        }
        tick(now)
    }
}
