import Synchronization

/// The target functions and event source mappings send their invocation records and
/// dead-letter messages to: it delivers through the router's ``TargetRegistry`` (queues, topics,
/// buses and functions resolve there by ARN), counts every message no destination accepted and
/// logs it as a warning (``LogRecord/Category/destinationFailure``; the engine counts it as a
/// destination failure too); nothing crashes.
public final class DestinationFailureLog: EventTarget {
    /// Where the messages go.
    public let targets: TargetRegistry
    private let failures = Atomic<Int>(0)
    private let log: any LogSink

    /// - Parameters:
    ///   - targets: the registry that resolves destination ARNs.
    ///   - log: where failures are logged.
    public init(targets: TargetRegistry, log: any LogSink = DiscardingLogSink()) {
        self.targets = targets
        self.log = log
    }

    /// Messages no destination accepted.
    public var failureCount: Int { failures.load(ordering: .relaxed) }

    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        let outcome = await targets.deliver(delivery)
        if outcome != .success {
            let what = delivery.destination?.kind == .deadLetter ? "dead-letter message" : "invocation record"
            let line = "\(what) to \(delivery.targetArn) not delivered: \(outcome.errorMessage ?? "")"
            failures.add(1, ordering: .relaxed)
            log.log(LogRecord(level: .warning, message: line, metadata: LogMetadata(target: delivery.targetArn.description), category: .destinationFailure))
        }
        return outcome
    }
}
