/// Where a topic sends the first attempt of a delivery to one subscription endpoint, resolved
/// once (``TargetRegistry/bound(to:)``: an in-memory queue itself) instead of once per delivery.
struct SubscriptionRoute: Sendable {
    /// The endpoint text the route was resolved for.
    let endpoint: String
    /// The endpoint read as an ARN.
    let arn: ARN
    /// What the endpoint resolved to (or the topic's targets, when it resolves to nothing bindable).
    let target: any EventTarget
    /// The registry's ``TargetRegistry/generation`` read before resolving.
    let generation: UInt64
}

extension Topic {
    /// The second half of ``publish(_:)``: delivers an accepted message to every subscription whose
    /// filter policy matches (nothing for a duplicate); returns after every first attempt (and
    /// immediate retries), with each subscription's outcome.
    ///
    /// Subscriptions are served in order, each attempted as soon as its body is made. A first
    /// attempt that a target makes synchronously (an in-memory queue) and that succeeds is settled
    /// here without a ``PendingDelivery``; every other one goes through ``start(_:)``/``run(_:)``.
    public func fanOut(_ accepted: AcceptedPublish) async -> PublishResult {
        var result = accepted.result
        if result.deduplicated { return result }
        let m = accepted.message, configuration = accepted.configuration, now = accepted.timestamp, dedupId = accepted.dedupId
        let subscriptions = configuration.subscriptions
        let generation = targetRegistry?.generation ?? 0
        let messageId = result.messageId, sequenceNumber = result.sequenceNumber
        var leaves: [String: [JSONValue]]?
        var body: JSONValue??
        var template: TopicEnvelope.SQSTemplate?
        result.deliveries.reserveCapacity(subscriptions.count)
        for i in subscriptions.indices {
            let sub = subscriptions[i]
            if sub.pendingConfirmation { continue }
            if let policy = sub.filterPolicy {
                let ok: Bool
                switch policy.scope {
                case .messageAttributes:
                    let l = leaves ?? FilterPolicy.leaves(of: m.attributes)
                    leaves = l
                    ok = policy.matches(attributeLeaves: l)
                case .messageBody:
                    let b = body ?? (try? JSONParser.parse(m.message))
                    body = .some(b)
                    ok = policy.matches(bodyJSON: b)
                }
                if !ok {
                    counts.filtered += 1
                    result.deliveries.append(PublishResult.Delivery(subscriptionArn: sub.arn, endpoint: sub.endpoint, status: .filteredOut))
                    continue
                }
            }
            // MessageStructure json: the protocol's own message, else the default one.
            let own = m.protocolMessages.isEmpty ? nil : m.protocolMessages[sub.endpointProtocol.rawValue]
            let message = own ?? m.message
            func notification() -> TopicEnvelope.Notification {
                TopicEnvelope.Notification(
                    messageId: messageId, topicArn: arn, subject: m.subject, message: message, timestamp: now,
                    attributes: m.attributes, sequenceNumber: sequenceNumber, subscriptionArn: sub.arn)
            }
            let text: String
            var plain = false
            var attributes: [String: MessageAttributeValue] = [:]
            switch sub.endpointProtocol {
            case .sqs where sub.rawMessageDelivery:
                text = message
                attributes = m.attributes
            case .http where sub.rawMessageDelivery, .https where sub.rawMessageDelivery:
                text = message
            case .sqs, .http, .https:
                if own != nil {
                    text = TopicEnvelope.SQSTemplate(notification(), parts: envelopeParts).body(subscriptionArn: sub.arn)
                } else {
                    let t = template ?? TopicEnvelope.SQSTemplate(notification(), parts: envelopeParts)
                    template = t
                    (text, plain) = t.bodyCheckingPlainText(subscriptionArn: sub.arn)
                }
            case .lambda:
                text = TopicEnvelope.lambdaEvent(notification())
            }
            let status: PublishResult.Status
            if !configuration.fifo && !sub.endpointProtocol.isHTTP {
                status = await firstAttempt(sub, index: i, generation: generation, messageId: messageId, body: text,
                                            bodyKnownPlain: plain, attributes: attributes, groupId: m.groupId, dedupId: dedupId)
            } else {
                status = await start(PendingDelivery(
                    subscription: sub, messageId: messageId, body: text, attributes: attributes, groupId: m.groupId,
                    dedupId: dedupId, machine: DeliveryRetryStateMachine(policy: deliveryPolicy(sub)),
                    lane: configuration.fifo ? "\(sub.arn)\u{0}\(m.groupId ?? "")" : nil))
            }
            result.deliveries.append(PublishResult.Delivery(subscriptionArn: sub.arn, endpoint: sub.endpoint, status: status))
        }
        return result
    }

    /// The retry policy of `sub`'s deliveries.
    func deliveryPolicy(_ sub: SubscriptionConfiguration) -> DeliveryRetryPolicy {
        sub.retryPolicy ?? (sub.endpointProtocol.isHTTP ? .httpDefault : retryPolicy)
    }

    /// The first attempt of a standard topic's delivery to a target (not HTTP/S): made through
    /// the subscription's route, and settled here when the target answers at once with success
    /// (as ``run(_:)`` would: one jitter sample drawn, counted delivered, settled in the journal);
    /// any other outcome continues as ``run(_:)`` does.
    private func firstAttempt(_ sub: SubscriptionConfiguration, index: Int, generation: UInt64, messageId: String, body: String,
                              bodyKnownPlain: Bool, attributes: [String: MessageAttributeValue], groupId: String?,
                              dedupId: String?) async -> PublishResult.Status {
        let route = route(index, sub.endpoint, generation: generation)
        var delivery = TargetDelivery(subscriptionTo: route.arn, body: body, attributes: attributes, groupId: groupId, dedupId: dedupId)
        delivery.bodyKnownPlain = bodyKnownPlain
        let outcome = route.target.deliverNow(delivery)
        let sample = outcome == nil ? 0 : nextJitterSample()
        if case .success = outcome {
            counts.delivered += 1
            if journal.isAttached { journalSettled(key: messageId + "|" + sub.arn) }
            return .delivered
        }
        var d = PendingDelivery(subscription: sub, messageId: messageId, body: body, attributes: attributes, groupId: groupId,
                                dedupId: dedupId, machine: DeliveryRetryStateMachine(policy: deliveryPolicy(sub)), lane: nil)
        guard let outcome else { return await run(d) }
        if let status = await settle(&d, outcome, jitterSample: sample) { return status }
        return await run(d)
    }

    /// The route of the subscription at `index` (endpoint `endpoint`), resolved again when the
    /// endpoint or the registry's generation changed.
    private func route(_ index: Int, _ endpoint: String, generation: UInt64) -> SubscriptionRoute {
        if index < routes.count, let known = routes[index], known.generation == generation, known.endpoint == endpoint { return known }
        let arn = endpointARN(endpoint)
        let target = targetRegistry.map { $0.bound(to: arn) ?? targets } ?? targets
        let route = SubscriptionRoute(endpoint: endpoint, arn: arn, target: target, generation: generation)
        while routes.count <= index { routes.append(nil) }
        routes[index] = route
        return route
    }
}
