/// The decisions of an archive replay, with no I/O: it hands out the archived events of the
/// window in one-minute buckets by receipt time, each event with a top-level `replay-name`,
/// and moves through ``ReplayState``: STARTING → RUNNING → COMPLETED, or → CANCELLING →
/// CANCELLED, or FAILED with a reason.
///
/// ```swift
/// var machine = ReplayStateMachine(request: request, events: store.events(from: start, to: end))
/// while case .put(let events, _, _) = machine.next() { for e in events { try router.put(…) } }
/// ```
public struct ReplayStateMachine: Sendable {
    /// What to do next.
    public enum Action: Sendable, Hashable {
        /// Put these events (already carrying `replay-name`) on the destination bus, to the
        /// request's rules; `bucket` is the minute they were received in.
        case put([JSONValue], bucket: Timestamp, lastReplayedTime: Timestamp)
        /// The replay has ended in this state.
        case finished(ReplayState)
    }

    public let request: ArchiveReplayRequest
    public private(set) var state: ReplayState = .starting
    /// Why the replay failed or was cancelled.
    public private(set) var stateReason: String?
    /// The receipt time of the last event handed out (`EventLastReplayedTime`).
    public private(set) var eventLastReplayedTime: Timestamp?
    /// Events handed out so far.
    public private(set) var replayedEvents = 0
    /// Events in the window.
    public let totalEvents: Int

    private let buckets: [(minute: Timestamp, events: [ArchivedEvent])]
    private var nextBucket = 0

    /// A replay of `events` (any order; those outside the request's window are ignored).
    public init(request: ArchiveReplayRequest, events: [ArchivedEvent]) {
        self.request = request
        let inWindow = events.enumerated()
            .filter { $0.element.receivedAt >= request.eventStartTime && $0.element.receivedAt < request.eventEndTime }
            .sorted { ($0.element.receivedAt, $0.offset) < ($1.element.receivedAt, $1.offset) }
            .map(\.element)
        totalEvents = inWindow.count
        var buckets: [(minute: Timestamp, events: [ArchivedEvent])] = []
        let minute: Int64 = 60_000_000_000
        for e in inWindow {
            let ns = e.receivedAt.nanosecondsSinceEpoch
            let start = Timestamp(nanosecondsSinceEpoch: ns - ((ns % minute) + minute) % minute)
            if let last = buckets.last, last.minute == start {
                buckets[buckets.count - 1].events.append(e)
            } else {
                buckets.append((start, [e]))
            }
        }
        self.buckets = buckets
    }

    /// The next step: a bucket to put, or the end.
    public mutating func next() -> Action {
        switch state {
        case .starting:
            state = .running
            return next()
        case .running:
            guard nextBucket < buckets.count else {
                state = .completed
                return .finished(.completed)
            }
            let bucket = buckets[nextBucket]
            nextBucket += 1
            replayedEvents += bucket.events.count
            let last = bucket.events[bucket.events.count - 1].receivedAt
            eventLastReplayedTime = last
            return .put(bucket.events.map { $0.replayed(as: request.replayName) }, bucket: bucket.minute, lastReplayedTime: last)
        case .cancelling:
            state = .cancelled
            return .finished(.cancelled)
        case .completed, .cancelled, .failed:
            return .finished(state)
        }
    }

    /// Asks the replay to stop (`CancelReplay`); the next ``next()`` ends it as CANCELLED.
    /// - Returns: whether it could be cancelled (it had not ended).
    @discardableResult
    public mutating func cancel(reason: String = "Cancelled by request") -> Bool {
        guard state == .starting || state == .running else { return false }
        state = .cancelling
        stateReason = reason
        return true
    }

    /// Ends the replay as FAILED (e.g. the destination bus disappeared).
    public mutating func fail(_ reason: String) {
        guard !state.isTerminal else { return }
        state = .failed
        stateReason = reason
    }

    /// `{"ReplayName", "State", "StateReason"?, "EventStartTime", "EventEndTime", "EventLastReplayedTime"?,
    /// "ReplayedEvents", "TotalEvents"}`, as `DescribeReplay` reports it (plus the counts).
    public var statusJSON: JSONValue {
        var o = JSONObject()
        o["ReplayName"] = .string(request.replayName)
        o["EventSourceArn"] = .string(request.archiveArn)
        o["State"] = .string(state.rawValue)
        if let stateReason { o["StateReason"] = .string(stateReason) }
        o["EventStartTime"] = .string(request.eventStartTime.iso8601)
        o["EventEndTime"] = .string(request.eventEndTime.iso8601)
        if let eventLastReplayedTime { o["EventLastReplayedTime"] = .string(eventLastReplayedTime.iso8601Milliseconds) }
        o["ReplayedEvents"] = .number(JSONNumber(replayedEvents))
        o["TotalEvents"] = .number(JSONNumber(totalEvents))
        return .object(o)
    }
}
