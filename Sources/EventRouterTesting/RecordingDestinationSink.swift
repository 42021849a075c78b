import Synchronization

/// A target that records every Lambda destination message delivered to it (and accepts it
/// unless told to refuse), so tests can assert record shapes and dead-letter attributes. Pass it
/// where functions send their records, or register it in a ``TargetRegistry``.
public final class RecordingDestinationSink: EventTarget {
    private struct State {
        var messages: [DestinationMessage] = []
        var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())
    private let refused: Set<String>

    /// - Parameter refusing: destination ARNs whose sends return false (still recorded).
    public init(refusing: Set<String> = []) { refused = refusing }

    /// Every message sent so far, in order.
    public var messages: [DestinationMessage] { state.withLock { $0.messages } }

    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        guard let message = delivery.destination else {
            return .nonRetriable(code: DeliveryOutcome.Code.invalidInput, message: "RecordingDestinationSink records Lambda destination messages only")
        }
        let ready: [CheckedContinuation<Void, Never>] = state.withLock { s in
            s.messages.append(message)
            var ready: [CheckedContinuation<Void, Never>] = []
            s.waiters.removeAll { w in
                guard s.messages.count >= w.count else { return false }
                ready.append(w.continuation)
                return true
            }
            return ready
        }
        for r in ready { r.resume() }
        return refused.contains(message.destinationArn) ? .nonRetriable(code: "Refused", message: "refused by the test") : .success
    }

    /// Suspends until at least `count` messages have been sent.
    public func waitForMessages(_ count: Int) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now: Bool = state.withLock { s in
                if s.messages.count >= count { return true }
                s.waiters.append((count, c))
                return false
            }
            if now { c.resume() }
        }
    }
}
