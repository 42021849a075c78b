import Synchronization

/// The target functions and event source mappings send their invocation records and
/// dead-letter messages to: it delivers through the router's ``TargetRegistry`` (queues, topics,
/// buses and functions resolve there by ARN) and counts and logs every message no destination
/// accepted (the engine counts it as a destination failure too); nothing crashes.
public final class DestinationFailureLog: EventTarget {
    private struct State {
        var failures = 0
        var log: [String] = []
    }

    /// Where the messages go.
    public let targets: TargetRegistry
    private let state = Mutex(State())

    public init(targets: TargetRegistry) { self.targets = targets }

    /// Messages no destination accepted.
    public var failureCount: Int { state.withLock { $0.failures } }

    /// The latest 100 failures, one line each.
    public var failureLog: [String] { state.withLock { $0.log } }

    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        let outcome = await targets.deliver(delivery)
        if outcome != .success {
            let what = delivery.destination?.kind == .deadLetter ? "dead-letter message" : "invocation record"
            let line = "\(what) to \(delivery.targetArn) not delivered: \(outcome.errorMessage ?? "")"
            state.withLock { s in
                s.failures += 1
                s.log.append(line)
                if s.log.count > 100 { s.log.removeFirst() }
            }
        }
        return outcome
    }
}
