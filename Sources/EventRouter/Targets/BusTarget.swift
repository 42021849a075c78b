/// Delivers a rule's event to an event bus, in the same or another account.
///
/// The event goes on unchanged (its `id`, `account` — the original sender — and `detail`
/// stay), and the receiving bus matches it against its own rules. The forwarding account (the
/// rule's) must be allowed by the receiving bus's policy; otherwise the delivery fails with the
/// non-retriable `NO_PERMISSIONS` and goes to the target's dead-letter queue. One hop only: the
/// receiving bus never forwards it on to a further bus (see ``BusPutOptions``), so no
/// configuration can make an event loop.
///
/// A Lambda destination on a bus (an invocation record or dead-letter message) is put as a new
/// event (`PutEvents` with source `lambda`, the Lambda detail-type and the function ARN as
/// resource). The router registers this kind for the `events` service itself.
public struct BusTarget: EventTarget {
    /// The router whose buses receive the events.
    public let router: Router

    public init(router: Router) { self.router = router }

    /// Why a rule on the bus `ruleBusArn` cannot target `targetArn`, or `nil` when it can: a rule
    /// may not target its own bus (the event is already there; forwarding it back would deliver
    /// it twice to every target of that bus). The one check behind `validate` and ``Router/forward(_:ruleArn:toBus:)``.
    public static func selfTargetProblem(ruleBusArn: String, targetArn: String) -> String? {
        guard let target = try? ARN(parsing: targetArn), target.kind == .eventBus,
              target.description == ((try? ARN(parsing: ruleBusArn))?.description ?? ruleBusArn) else { return nil }
        return "a rule cannot target its own event bus \(target): the event is already on it, so every target of the bus would receive it twice; remove this target or name another bus"
    }

    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        if let message = delivery.destination { return put(message) }
        guard let event = delivery.event, let ruleArn = delivery.ruleArn else {
            return .nonRetriable(code: DeliveryOutcome.Code.invalidInput, message: "only rules and Lambda destinations deliver to event bus \(delivery.targetArn)")
        }
        return router.forward(event, ruleArn: ruleArn, toBus: delivery.targetArn.description)
    }

    /// `PutEvents` of a Lambda destination message.
    private func put(_ message: DestinationMessage) -> DeliveryOutcome {
        let entry = PutEventsEntry(
            source: message.eventSource ?? "lambda",
            detailType: message.detailType ?? (message.kind == .deadLetter ? "Lambda Function Dead Letter" : InvocationRecord.successDetailType),
            detail: message.body.jsonText, eventBusName: message.destinationArn, resources: message.resources)
        do {
            let result = try router.putEvents([entry])
            if let e = result.entries.first, let code = e.errorCode {
                return .nonRetriable(code: code, message: "\(code): \(e.errorMessage ?? "")")
            }
            return .success
        } catch {
            return .nonRetriable(code: error.code.name, message: error.message)
        }
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
        let decision = access.decide(BusRequest(action: "events:PutEvents", account: rule.account, resource: busArn,
                                                sources: [event.source], detailTypes: [event.detailType]), busArn: busArn)
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
