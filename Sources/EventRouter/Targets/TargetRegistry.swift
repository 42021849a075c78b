import Synchronization

/// The one registry that resolves an ARN to the target delivering to its resource: every
/// delivery path (rule targets, dead-letter queues, topic subscriptions, function destinations,
/// bus forwarding) goes through it, so resources that deliver to each other (functions →
/// destinations → buses → functions) name each other by ARN here instead of holding references.
///
/// Besides exact ARNs, a provider per ARN service (`sqs`, `sns`, `kinesis`, `lambda`, `events`,
/// or a service of your own) resolves ARNs on demand, so a target kind plugs in with one
/// ``registerProvider(forService:_:)`` line. The registry is itself an ``EventTarget``: it
/// delivers to whatever the delivery's ARN resolves to, and an ARN that resolves to nothing is a
/// non-retriable failure worded for the delivery's origin.
public final class TargetRegistry: EventTarget {
    /// Resolves an ARN of one service to its target, or `nil` when no such resource exists.
    public typealias Provider = @Sendable (ARN) -> (any EventTarget)?

    private struct State {
        var targets: [String: any EventTarget] = [:]
        var providers: [String: Provider] = [:]
        /// Targets found through providers.
        var resolved: [String: any EventTarget] = [:]
    }

    private let state = Mutex(State())
    /// Bumped after every change of the registrations or providers (``generation``).
    private let changes = Atomic<UInt64>(0)

    /// Failures a scenario injects (`eventrouter test`); `nil` in production.
    package let faults: FaultPlan?

    public init() { faults = nil }

    /// A registry whose resolved targets first ask `faults` (scenarios).
    package init(faults: FaultPlan?) { self.faults = faults }

    /// A number that changes whenever a registration or provider does: a caller that resolved
    /// a target after reading it may reuse that target while it reads the same number.
    package var generation: UInt64 { changes.load(ordering: .acquiring) }

    private func changed() { changes.add(1, ordering: .releasing) }

    /// Registers (or replaces) the target for `arn`.
    public func register(_ target: any EventTarget, for arn: ARN) { register(target, forText: arn.description) }

    /// Registers (or replaces) the target for the ARN text `arn` (fixtures, files).
    public func register(_ target: any EventTarget, for arn: String) { register(target, forText: arn) }

    private func register(_ target: any EventTarget, forText arn: String) {
        state.withLock {
            $0.targets[arn] = target
            $0.resolved[arn] = nil
        }
        changed()
    }

    /// Removes the target for `arn`.
    public func unregister(_ arn: ARN) { unregister(arn.description) }

    /// Removes the target for the ARN text `arn`.
    public func unregister(_ arn: String) {
        state.withLock {
            $0.targets[arn] = nil
            $0.resolved[arn] = nil
        }
        changed()
    }

    /// Registers a resolver for every ARN of `service` that has no exact registration.
    public func registerProvider(forService service: String, _ provider: @escaping Provider) {
        state.withLock {
            $0.providers[service] = provider
            $0.resolved.removeAll()
        }
        changed()
    }

    /// The target for `arn`, if any (looked up by its text; see ``target(for:)-(String)``).
    public func target(for arn: ARN) -> (any EventTarget)? { target(forText: arn.description) }

    /// The target for the ARN text `arn`, if any. A provider's answer is remembered for the ARN,
    /// so the text is parsed once per ARN, not once per delivery.
    public func target(for arn: String) -> (any EventTarget)? { target(forText: arn) }

    private func target(forText arn: String) -> (any EventTarget)? {
        guard let faults else { return resolve(arn) }
        guard let target = resolve(arn) else { return nil }
        return faults.coversTarget(arn) ? FaultingTarget(inner: target, plan: faults) : target
    }

    private func resolve(_ arn: String) -> (any EventTarget)? {
        let (found, providers) = state.withLock { s -> ((any EventTarget)?, [String: Provider]?) in
            if let t = s.targets[arn] ?? s.resolved[arn] { return (t, nil) }
            return (nil, s.providers)
        }
        if let found { return found }
        // Providers see well-formed ARNs only (an ARN kept as written may not be one).
        guard let parsed = try? ARN(parsing: arn), let provider = providers?[parsed.service], let target = provider(parsed) else {
            return nil
        }
        state.withLock { $0.resolved[arn] = target }
        return target
    }

    /// What `arn` resolves to now, for a caller that delivers to it many times: a queue's target
    /// bound to the queue (``QueueTargetBinding``), or the resolved target itself. Deliveries to
    /// it have the outcomes ``deliverNow(_:)`` and ``deliver(_:)`` give, while ``generation``
    /// reads what it read before this call. `nil` when the ARN resolves to nothing or faults are
    /// injected: deliver through the registry then.
    package func bound(to arn: ARN) -> (any EventTarget)? {
        guard faults == nil, let target = resolve(arn.description) else { return nil }
        if let queues = target as? QueueTarget { return queues.bound(to: arn) }
        return target
    }

    /// Forgets every target and provider. Resources deliver to each other through the registry
    /// and the registry holds them, so a runtime calls this when it shuts down to release them all.
    public func removeAll() {
        state.withLock { $0 = State() }
        changed()
    }

    /// The ARNs registered exactly, sorted.
    public var registeredARNs: [String] { state.withLock { $0.targets.keys.sorted() } }

    /// Delivers to the target `delivery.targetArn` resolves to.
    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        guard let target = target(forText: delivery.targetArn.description) else { return Self.unresolved(delivery) }
        return await target.deliver(delivery)
    }

    /// Delivers synchronously when the resolved target can.
    public func deliverNow(_ delivery: TargetDelivery) -> DeliveryOutcome? {
        guard let target = target(forText: delivery.targetArn.description) else { return Self.unresolved(delivery) }
        return target.deliverNow(delivery)
    }

    /// The failure for an ARN no target is registered for, in the words of the delivery's service.
    static func unresolved(_ delivery: TargetDelivery) -> DeliveryOutcome {
        let arn = delivery.targetArn
        switch delivery.origin {
        case .rule:
            return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: "no resource with ARN \(arn)")
        case .ruleDeadLetter:
            return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: "dead-letter queue \(arn) does not exist")
        case .subscription:
            return .nonRetriable(code: "EndpointUnavailable", message: "Cannot deliver to \(arn): no target is registered for this endpoint's service; register one in the TargetRegistry the topics deliver through.")
        case .destination:
            return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: "'\(arn)' is not a queue, topic, event bus or function ARN")
        }
    }
}
