/// A target kind: delivers one shaped event to the resource a ``TargetDelivery`` names.
///
/// Queue, topic, stream and function targets ship (``QueueTarget``, ``TopicTarget``,
/// ``StreamTarget``, ``FunctionTarget``); a user may add e.g. a file or webhook sink. Register instances in a ``TargetRegistry`` under
/// their ARN. A target never throws: it reports a ``DeliveryOutcome``, and the scheduler
/// retries, dead-letters or drops accordingly.
public protocol EventTarget: Sendable {
    /// Delivers once; called again for each retry.
    func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome
}

/// A target made from a closure (tests, quick sinks).
public struct ClosureTarget: EventTarget {
    private let body: @Sendable (TargetDelivery) async -> DeliveryOutcome

    public init(_ body: @escaping @Sendable (TargetDelivery) async -> DeliveryOutcome) { self.body = body }

    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome { await body(delivery) }
}
