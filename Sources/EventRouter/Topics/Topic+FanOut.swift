/// Where a topic sends the first attempt of a delivery to one subscription, resolved once
/// (``TargetRegistry/bound(to:)``: an in-memory queue itself) instead of once per delivery, with
/// the subscription ARN as the SQS envelope writes it.
final class SubscriptionRoute: Sendable {
    /// The endpoint text the route was resolved for.
    let endpoint: String
    /// The subscription ARN the route was made for.
    let subscriptionArn: String
    /// The endpoint read as an ARN.
    let arn: ARN
    /// What the endpoint resolved to (or the topic's targets, when it resolves to nothing bindable).
    let target: any EventTarget
    /// `target` when it is a queue: sent to without a ``TargetDelivery``.
    let queue: QueueTargetBinding?
    /// The registry's ``TargetRegistry/generation`` read before resolving.
    let generation: UInt64
    /// `subscriptionArn` escaped for the envelope, and whether it is plain text (``TopicEnvelope/SQSTemplate/body(quotedSubscriptionArn:plain:)``); the messages of its queue hold this String as their body's middle part.
    let quotedSubscriptionArn: (text: String, plain: Bool)

    init(endpoint: String, subscriptionArn: String, arn: ARN, target: any EventTarget, generation: UInt64) {
        self.endpoint = endpoint
        self.subscriptionArn = subscriptionArn
        self.arn = arn
        self.target = target
        self.queue = target as? QueueTargetBinding
        self.generation = generation
        self.quotedSubscriptionArn = TopicEnvelope.SQSTemplate.quoted(subscriptionArn: subscriptionArn)
    }
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
            let route = configuration.fifo || sub.endpointProtocol.isHTTP ? nil : route(i, sub, generation: generation)
            // An envelope from the shared template is the template's parts around the
            // subscription's ARN: a bound queue stores the parts, anything else joins them.
            let body: QueueMessageBody
            var plain = false
            var attributes: [String: MessageAttributeValue] = [:]
            switch sub.endpointProtocol {
            case .sqs where sub.rawMessageDelivery:
                body = QueueMessageBody(message)
                attributes = m.attributes
            case .http where sub.rawMessageDelivery, .https where sub.rawMessageDelivery:
                body = QueueMessageBody(message)
            case .sqs, .http, .https:
                if own != nil {
                    body = QueueMessageBody(TopicEnvelope.SQSTemplate(notification(), parts: envelopeParts).body(subscriptionArn: sub.arn))
                } else {
                    let t = template ?? TopicEnvelope.SQSTemplate(notification(), parts: envelopeParts)
                    template = t
                    let quoted = route?.quotedSubscriptionArn ?? TopicEnvelope.SQSTemplate.quoted(subscriptionArn: sub.arn)
                    (body, plain) = t.body(quotedSubscriptionArn: quoted.text, plain: quoted.plain)
                }
            case .lambda:
                body = QueueMessageBody(TopicEnvelope.lambdaEvent(notification()))
            }
            let status: PublishResult.Status
            if let route {
                let outcome = attemptNow(route, body: body, bodyKnownPlain: plain, attributes: attributes, groupId: m.groupId, dedupId: dedupId)
                if case .success = outcome {
                    // As run(_:) settles a success: one jitter sample drawn, counted, settled in the journal.
                    _ = nextJitterSample()
                    counts.delivered += 1
                    if journal.isAttached { journalSettled(key: messageId + "|" + sub.arn) }
                    status = .delivered
                } else {
                    status = await continueFirstAttempt(sub, route, outcome, messageId: messageId, body: body.string, bodyKnownPlain: plain,
                                                        attributes: attributes, groupId: m.groupId, dedupId: dedupId)
                }
            } else {
                status = await start(PendingDelivery(
                    subscription: sub, messageId: messageId, body: body.string, attributes: attributes, groupId: m.groupId,
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

    /// The first attempt of a standard topic's delivery to a target (not HTTP/S) through its
    /// route: `nil` when the target cannot answer at once (``EventTarget/deliverNow(_:)``). A
    /// bound queue stores `body` as it is (shared parts included); other targets get it joined.
    private func attemptNow(_ route: SubscriptionRoute, body: QueueMessageBody, bodyKnownPlain: Bool, attributes: [String: MessageAttributeValue],
                            groupId: String?, dedupId: String?) -> DeliveryOutcome? {
        if let queue = route.queue,
           let outcome = queue.send(body: body, attributes: attributes, groupId: groupId, dedupId: dedupId, bodyKnownPlain: bodyKnownPlain) {
            return outcome
        }
        var delivery = TargetDelivery(subscriptionTo: route.arn, body: body.string, attributes: attributes, groupId: groupId, dedupId: dedupId)
        delivery.bodyKnownPlain = bodyKnownPlain
        return route.target.deliverNow(delivery)
    }

    /// A first attempt that did not succeed at once continues as ``run(_:)`` does: without an
    /// outcome (the target cannot answer at once) the same attempt is made with
    /// ``EventTarget/deliver(_:)``; the outcome is applied after drawing its jitter sample, and
    /// further attempts are ``run(_:)``'s.
    private func continueFirstAttempt(_ sub: SubscriptionConfiguration, _ route: SubscriptionRoute, _ outcome: DeliveryOutcome?,
                                      messageId: String, body: String, bodyKnownPlain: Bool, attributes: [String: MessageAttributeValue],
                                      groupId: String?, dedupId: String?) async -> PublishResult.Status {
        var d = PendingDelivery(subscription: sub, messageId: messageId, body: body, attributes: attributes, groupId: groupId,
                                dedupId: dedupId, machine: DeliveryRetryStateMachine(policy: deliveryPolicy(sub)), lane: nil)
        let result: DeliveryOutcome
        if let outcome {
            result = outcome
        } else {
            var delivery = TargetDelivery(subscriptionTo: route.arn, body: body, attributes: attributes, groupId: groupId, dedupId: dedupId)
            delivery.bodyKnownPlain = bodyKnownPlain
            result = await route.target.deliver(delivery)
        }
        if let status = await settle(&d, result, jitterSample: nextJitterSample()) { return status }
        return await run(d)
    }

    /// The route of the subscription `sub` at `index`, resolved again when its endpoint or ARN, or
    /// the registry's generation, changed.
    private func route(_ index: Int, _ sub: SubscriptionConfiguration, generation: UInt64) -> SubscriptionRoute {
        if index < routes.count, let known = routes[index], known.generation == generation, known.endpoint == sub.endpoint,
           known.subscriptionArn == sub.arn {
            return known
        }
        let arn = endpointARN(sub.endpoint)
        let target = targetRegistry.map { $0.bound(to: arn) ?? targets } ?? targets
        let route = SubscriptionRoute(endpoint: sub.endpoint, subscriptionArn: sub.arn, arn: arn, target: target, generation: generation)
        while routes.count <= index { routes.append(nil) }
        routes[index] = route
        return route
    }
}
