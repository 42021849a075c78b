/// A target whose deliveries first ask a ``FaultPlan`` (scenarios only; see ``TargetRegistry``).
struct FaultingTarget: EventTarget {
    let inner: any EventTarget
    let plan: FaultPlan

    func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        if let outcome = plan.deliveryFault(delivery) { return outcome }
        return await inner.deliver(delivery)
    }

    func deliverNow(_ delivery: TargetDelivery) -> DeliveryOutcome? {
        if let outcome = plan.deliveryFault(delivery) { return outcome }
        return inner.deliverNow(delivery)
    }
}
