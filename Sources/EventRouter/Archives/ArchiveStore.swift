import Synchronization

/// The events of one archive: fed by its bus, filtered by its pattern, kept in receipt order,
/// and dropped once older than the retention period (lazily, on the injected clock, whenever
/// the store is read or written).
public final class ArchiveStore: Sendable {
    /// What ``archive(_:text:receivedAt:)`` did with an event.
    public enum Outcome: String, Sendable, Hashable {
        case archived
        /// It carries `replay-name`: replayed events are never archived again.
        case skippedReplay
        /// The archive's pattern does not match it.
        case notMatched
        /// It is already older than the retention period.
        case expired
    }

    private struct State {
        var events: [ArchivedEvent] = []
        var sizeBytes = 0
        /// The sequence number of the last event archived (``ArchivedEvent/sequence``).
        var lastSequence: UInt64 = 0
    }

    public let definition: ArchiveDefinition
    private let clock: any EventClock
    private let state = Mutex(State())

    public init(definition: ArchiveDefinition, clock: any EventClock) {
        self.definition = definition
        self.clock = clock
    }

    /// The archive's ARN.
    public var arn: String { definition.arn }

    /// Offers an event the archive's bus received at `receivedAt`.
    /// - Parameters:
    ///   - event: the envelope (patterns match against it).
    ///   - text: its JSON text, if already made.
    @discardableResult
    public func archive(_ event: JSONValue, text: String? = nil, receivedAt: Timestamp) -> Outcome {
        archived(event, text: text, receivedAt: receivedAt).outcome
    }

    /// ``archive(_:text:receivedAt:)``, also handing back the event as kept (with its sequence
    /// number) for the journal.
    func archived(_ event: JSONValue, text: String?, receivedAt: Timestamp) -> (outcome: Outcome, item: ArchivedEvent?) {
        if ArchivedEvent.isReplayed(event) { return (.skippedReplay, nil) }
        if let pattern = definition.pattern, !pattern.matches(event) { return (.notMatched, nil) }
        let now = clock.now
        if let retention = definition.retention, receivedAt + retention <= now { return (.expired, nil) }
        var item = ArchivedEvent(json: event, text: text, receivedAt: receivedAt)
        state.withLock { s in
            purge(&s, now: now)
            s.lastSequence += 1
            item.sequence = s.lastSequence
            if let last = s.events.last, last.receivedAt > receivedAt {
                // Keep receipt order even if events arrive out of order.
                var lo = 0, hi = s.events.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if s.events[mid].receivedAt <= receivedAt { lo = mid + 1 } else { hi = mid }
                }
                s.events.insert(item, at: lo)
            } else {
                s.events.append(item)
            }
            s.sizeBytes += item.sizeBytes
        }
        return (.archived, item)
    }

    /// Takes over events another store of the same archive held (in receipt order), as they
    /// are, and continues its sequence numbers after `lastSequence`.
    func adopt(_ events: [ArchivedEvent], lastSequence: UInt64 = 0) {
        state.withLock { s in
            s.events = events + s.events
            s.sizeBytes += events.reduce(0) { $0 + $1.sizeBytes }
            s.lastSequence = max(s.lastSequence, lastSequence, events.last?.sequence ?? 0)
        }
    }

    /// The events kept and the last sequence number handed out (a snapshot's view).
    var held: (events: [ArchivedEvent], lastSequence: UInt64) {
        let now = clock.now
        return state.withLock { s in
            purge(&s, now: now)
            return (s.events, s.lastSequence)
        }
    }

    /// The events received in `[start, end)`, in receipt order.
    public func events(from start: Timestamp, to end: Timestamp) -> [ArchivedEvent] {
        let now = clock.now
        return state.withLock { s in
            purge(&s, now: now)
            return s.events.filter { $0.receivedAt >= start && $0.receivedAt < end }
        }
    }

    /// Every event still kept, in receipt order.
    public var allEvents: [ArchivedEvent] {
        let now = clock.now
        return state.withLock { s in
            purge(&s, now: now)
            return s.events
        }
    }

    /// The number of events kept.
    public var eventCount: Int { statistics.events }

    /// The number of events kept and their total size in bytes.
    public var statistics: (events: Int, sizeBytes: Int) {
        let now = clock.now
        return state.withLock { s in
            purge(&s, now: now)
            return (s.events.count, s.sizeBytes)
        }
    }

    /// `{"events": N, "sizeBytes": B}` for the state JSON.
    public func stateJSON() -> JSONValue {
        let (events, size) = statistics
        return .object(JSONObject([
            .init(key: "events", value: .number(JSONNumber(events))),
            .init(key: "sizeBytes", value: .number(JSONNumber(size))),
        ]))
    }

    /// Drops events received at or before `now - retention`.
    private func purge(_ s: inout State, now: Timestamp) {
        guard let retention = definition.retention else { return }
        let cutoff = now - retention
        var n = 0
        while n < s.events.count, s.events[n].receivedAt <= cutoff {
            s.sizeBytes -= s.events[n].sizeBytes
            n += 1
        }
        if n > 0 { s.events.removeFirst(n) }
    }
}
