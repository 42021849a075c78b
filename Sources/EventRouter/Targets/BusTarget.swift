/// Delivers a rule's event to an event bus, in the same or another account.
///
/// The event goes on unchanged (its `id`, `account` — the original sender — and `detail`
/// stay), and the receiving bus matches it against its own rules. The forwarding account (the
/// rule's) must be allowed by the receiving bus's policy; otherwise the delivery fails with the
/// non-retriable `NO_PERMISSIONS` and goes to the target's dead-letter queue. One hop only: the
/// receiving bus never forwards it on to a further bus (see ``BusPutOptions``), so no
/// configuration can make an event loop.
public final class BusTarget: EventTarget {
    private weak let router: Router?

    public init(router: Router) { self.router = router }

    /// Whether `arn` names an event bus (`arn:aws:events:…:event-bus/NAME`).
    public static func isBusArn(_ arn: String) -> Bool {
        arn.hasPrefix("arn:") && arn.contains(":events:") && arn.contains(":event-bus/")
    }

    /// Why a rule on the bus `ruleBusArn` cannot target `targetArn`, or `nil` when it can: a rule
    /// may not target its own bus (the event is already there; forwarding it back would deliver
    /// it twice to every target of that bus). The one check behind `validate` and ``Router/forward(_:ruleArn:toBus:)``.
    public static func selfTargetProblem(ruleBusArn: String, targetArn: String) -> String? {
        guard let target = try? ARN(parsing: targetArn), target.kind == .eventBus,
              target.description == ((try? ARN(parsing: ruleBusArn))?.description ?? ruleBusArn) else { return nil }
        return "a rule cannot target its own event bus \(target): the event is already on it, so every target of the bus would receive it twice; remove this target or name another bus"
    }

    /// Makes every event-bus ARN of `router` a target.
    public static func install(on router: Router) {
        router.targets.registerProvider(forService: "events") { [weak router] arn in
            guard arn.kind == .eventBus, let router else { return nil }
            return BusTarget(router: router)
        }
    }

    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        guard let router else {
            return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: "the router of \(delivery.targetArn) is gone")
        }
        return router.forward(delivery.event, ruleArn: delivery.ruleArn, toBus: delivery.targetArn)
    }
}

extension Router {
    /// Puts `event`, matched by the rule `ruleArn`, on the bus `busArn`, as the rule's account.
    /// - Returns: `success`, or a non-retriable `NO_RESOURCE` / `NO_PERMISSIONS` failure.
    public func forward(_ event: Event, ruleArn: String, toBus busArn: String) -> DeliveryOutcome {
        guard let rule = try? ARN(parsing: ruleArn) else {
            return .nonRetriable(code: DeliveryOutcome.Code.invalidInput, message: "\(ruleArn) is not a rule ARN")
        }
        let parts = rule.resource.split(separator: "/")
        let sourceBus = ARN.eventBus(parts.count >= 3 ? String(parts[1]) : RouterDefaults.defaultBusName, account: rule.account, region: rule.region).description
        if let problem = BusTarget.selfTargetProblem(ruleBusArn: sourceBus, targetArn: busArn) {
            return .nonRetriable(code: DeliveryOutcome.Code.invalidInput, message: problem)
        }
        guard self.busArn(for: busArn) != nil else {
            return .nonRetriable(code: DeliveryOutcome.Code.noResource, message: "event bus \(busArn) does not exist")
        }
        let decision = access.decide(account: rule.account, busArn: busArn)
        guard decision.allowed else {
            return .nonRetriable(code: DeliveryOutcome.Code.noPermissions, message: decision.reason)
        }
        do {
            try put(event, onBus: busArn, options: BusPutOptions(forwardedFrom: sourceBus))
        } catch {
            return .nonRetriable(code: error.code == .notFound ? DeliveryOutcome.Code.noResource : DeliveryOutcome.Code.invalidInput, message: error.message)
        }
        return .success
    }
}
