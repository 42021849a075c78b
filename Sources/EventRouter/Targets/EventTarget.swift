/// The one way to deliver to an ARN: a target kind delivers one ``TargetDelivery`` to the
/// resource its ARN names and reports a ``DeliveryOutcome``.
///
/// Every delivery path uses it: rule targets and their dead-letter queues (``DeliveryScheduler``),
/// topic subscriptions and their dead-letter queues (``Topic``), function destinations
/// (``AsyncInvocationEngine``) and bus forwarding (``BusTarget``). Queue, topic, stream, function
/// and bus targets ship (``QueueTarget``, ``TopicTarget``, ``StreamTarget``, ``FunctionTarget``,
/// ``BusTarget``); a new kind is one type plus one ``TargetRegistry/registerProvider(forService:_:)``
/// line. A target never throws: the caller retries, dead-letters or drops by the outcome.
public protocol EventTarget: Sendable {
    /// Delivers once; called again for each retry.
    func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome

    /// The same delivery made synchronously, for targets that never suspend (in-memory queues),
    /// so that an actor (a topic) does not leave its executor for every delivery; `nil` (the
    /// default) means "call ``deliver(_:)``".
    func deliverNow(_ delivery: TargetDelivery) -> DeliveryOutcome?
}

extension EventTarget {
    /// No synchronous path.
    public func deliverNow(_ delivery: TargetDelivery) -> DeliveryOutcome? { nil }

    /// ``deliverNow(_:)`` when the target has it, otherwise ``deliver(_:)``.
    public func deliverSoon(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        if let now = deliverNow(delivery) { return now }
        return await deliver(delivery)
    }
}

/// A target made from a closure (tests, quick sinks).
public struct ClosureTarget: EventTarget {
    private let body: @Sendable (TargetDelivery) async -> DeliveryOutcome

    public init(_ body: @escaping @Sendable (TargetDelivery) async -> DeliveryOutcome) { self.body = body }

    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome { await body(delivery) }
}

/// A target that accepts and discards every delivery.
public struct DiscardingTarget: EventTarget {
    public init() {}
    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome { .success }
    public func deliverNow(_ delivery: TargetDelivery) -> DeliveryOutcome? { .success }
}
