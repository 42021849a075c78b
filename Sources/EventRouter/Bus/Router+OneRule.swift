extension Router {
    /// Delivers `event` to the targets of one rule only, as a scheduled rule's firing does: the
    /// event is not matched against the bus's rules (the rule's pattern included) nor archived,
    /// and goes through the normal delivery — each target's input shaping, retries and
    /// dead-letter queue.
    /// - Returns: the deliveries scheduled: 0 when the bus or rule does not exist, or the rule
    ///   is disabled or has no targets.
    @discardableResult
    public func deliver(_ event: Event, toRuleNamed name: String, onBus busArn: String) -> Int {
        guard let entry = bus(arn: busArn)?.entry(named: name), entry.rule.enabled else { return 0 }
        let now = clock.now
        var requests: [DeliveryRequest] = []
        requests.reserveCapacity(entry.routes.count)
        for route in entry.routes {
            let body: Result<String, EventRouterError>
            if case .event = route.input {
                body = .success(event.jsonText)
            } else {
                let context = InputContext(event: event, ruleArn: entry.arn, ruleName: entry.rule.name, ingestionTime: now)
                do { body = .success(try route.input.render(context)) } catch { body = .failure(error) }
            }
            requests.append(DeliveryRequest(event: event, route: route, body: body, acceptedAt: now))
        }
        scheduler.enqueue(requests)
        return requests.count
    }
}
