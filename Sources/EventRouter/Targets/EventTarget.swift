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

    /// Whether ``deliverNow(batch:)`` takes batches (default `false`): the scheduler then hands
    /// a run of consecutive attempts on one rule target over at once.
    var deliversBatchesNow: Bool { get }

    /// Several deliveries to this target (one rule target), made synchronously in order: one
    /// outcome per delivery, in order, each the outcome ``deliverNow(_:)`` would give when
    /// called for each in turn; `nil` (the default) means "deliver one by one".
    func deliverNow(batch deliveries: [TargetDelivery]) -> [DeliveryOutcome]?
}

extension EventTarget {
    /// No synchronous path.
    public func deliverNow(_ delivery: TargetDelivery) -> DeliveryOutcome? { nil }

    /// No batches.
    public var deliversBatchesNow: Bool { false }

    /// No batch path.
    public func deliverNow(batch deliveries: [TargetDelivery]) -> [DeliveryOutcome]? { nil }

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
