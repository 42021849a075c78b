/// Changing a running topic: subscriptions added, confirmed, changed and removed, attributes
/// set. Each change is atomic; a publish fans out to the subscriptions of the moment it starts.
extension Topic {
    /// Adds `subscription`, or returns the existing one with the same protocol and endpoint
    /// (SNS's `Subscribe` is idempotent).
    /// - Returns: the subscription in the topic and whether it was added now.
    /// - Throws: ``TopicError`` `InvalidParameter` when that endpoint is subscribed with other
    ///   attributes (filter policy, raw delivery, redrive policy, delivery policy).
    public nonisolated func subscribe(_ subscription: SubscriptionConfiguration) throws(TopicError) -> (SubscriptionConfiguration, added: Bool) {
        try settings.withLock { (c: inout TopicConfiguration) throws(TopicError) -> (SubscriptionConfiguration, added: Bool) in
            if let existing = c.subscriptions.first(where: {
                $0.endpointProtocol == subscription.endpointProtocol && $0.endpoint == subscription.endpoint
            }) {
                guard existing.filterPolicy == subscription.filterPolicy, existing.rawMessageDelivery == subscription.rawMessageDelivery,
                      existing.deadLetterTargetArn == subscription.deadLetterTargetArn, existing.retryPolicy == subscription.retryPolicy else {
                    throw TopicError.invalidParameter("Attributes Reason: Subscription already exists with different attributes (\(existing.arn)): change it with SetSubscriptionAttributes, or Unsubscribe first.")
                }
                return (existing, false)
            }
            c.subscriptions.append(subscription)
            journalSubscription(subscription, onlyIfJournaled: false)
            return (subscription, true)
        }
    }

    /// Removes the subscription `arn`; its retries still scheduled are dropped when due.
    /// - Returns: the removed subscription, or `nil` when the topic has none with that ARN.
    @discardableResult
    public nonisolated func unsubscribe(arn: String) -> SubscriptionConfiguration? {
        settings.withLock { c in
            guard let i = c.subscriptions.firstIndex(where: { $0.arn == arn }) else { return nil }
            journal.submit(.subscriptionDelete, when: { $0.isAPISubscription(arn) }) { ["arn": .string(arn)] }
            return c.subscriptions.remove(at: i)
        }
    }

    /// The subscription `arn`, if the topic has it.
    public nonisolated func subscription(arn: String) -> SubscriptionConfiguration? {
        settings.withLock { c in c.subscriptions.first { $0.arn == arn } }
    }

    /// Changes the subscription `arn` with `change` (which may throw to refuse the change).
    /// - Returns: the changed subscription, or `nil` when the topic has none with that ARN.
    public nonisolated func updateSubscription(
        arn: String, _ change: (inout SubscriptionConfiguration) throws(TopicError) -> Void
    ) throws(TopicError) -> SubscriptionConfiguration? {
        try settings.withLock { (c: inout TopicConfiguration) throws(TopicError) -> SubscriptionConfiguration? in
            guard let i = c.subscriptions.firstIndex(where: { $0.arn == arn }) else { return nil }
            var s = c.subscriptions[i]
            try change(&s)
            c.subscriptions[i] = s
            journalSubscription(s, onlyIfJournaled: true)
            return s
        }
    }

    /// `ConfirmSubscription`: confirms the subscription whose confirmation token is `token`
    /// (again: a confirmed subscription's token still answers its ARN).
    /// - Returns: the confirmed subscription, or `nil` when no subscription has that token.
    public nonisolated func confirm(token: String) -> SubscriptionConfiguration? {
        settings.withLock { c in
            guard let i = c.subscriptions.firstIndex(where: { $0.confirmationToken == token }) else { return nil }
            c.subscriptions[i].pendingConfirmation = false
            journalSubscription(c.subscriptions[i], onlyIfJournaled: true)
            return c.subscriptions[i]
        }
    }

    /// Changes the topic's attributes with `change` (name, account, region, FIFO and the
    /// subscriptions are kept as they are).
    public nonisolated func updateAttributes(_ change: (inout TopicConfiguration) -> Void) {
        settings.withLock { c in
            var copy = c
            change(&copy)
            c.contentBasedDeduplication = copy.contentBasedDeduplication
            c.storedAttributes = copy.storedAttributes
            let arn = self.arn, entry = c.journalJSON
            journal.submit(.topicPut, when: { $0.isAPITopic(arn) }) { ["arn": .string(arn), "t": entry] }
        }
    }

    /// `subscription.put` for `sub` (under the settings lock); `onlyIfJournaled`: only a
    /// subscription added through the API (those of the rule files keep the files' settings).
    private nonisolated func journalSubscription(_ sub: SubscriptionConfiguration, onlyIfJournaled: Bool) {
        let arn = self.arn
        journal.submit(.subscriptionPut, when: { !onlyIfJournaled || $0.isAPISubscription(sub.arn) }) {
            ["arn": .string(sub.arn), "topic": .string(arn), "s": sub.journalJSON]
        }
    }

    /// Starts ``sendConfirmation(subscriptionArn:subscribeURL:)`` in the background (SNS answers
    /// `Subscribe` before the endpoint is asked to confirm).
    public nonisolated func sendConfirmationInBackground(subscriptionArn arn: String, subscribeURL: String) {
        http.inBackground { [weak self] in _ = await self?.sendConfirmation(subscriptionArn: arn, subscribeURL: subscribeURL) }
    }

    /// Posts SNS's `SubscriptionConfirmation` message for the pending HTTP/S subscription `arn`
    /// to its endpoint: `Token`, and a `SubscribeURL` that confirms it when fetched.
    /// - Parameter subscribeURL: the URL of this server's `ConfirmSubscription` for the token
    ///   (`http://HOST/?Action=ConfirmSubscription&TopicArn=…&Token=…`).
    /// - Returns: the endpoint's outcome (`nil`: no such pending subscription).
    public func sendConfirmation(subscriptionArn arn: String, subscribeURL: String) async -> DeliveryOutcome? {
        guard let sub = subscription(arn: arn), sub.endpointProtocol.isHTTP, let token = sub.confirmationToken else { return nil }
        let messageId = random.withLock { $0.uuid() }
        var o = JSONObject()
        o["Type"] = "SubscriptionConfirmation"
        o["MessageId"] = .string(messageId)
        o["Token"] = .string(token)
        o["TopicArn"] = .string(self.arn)
        o["Message"] = .string("You have chosen to subscribe to the topic \(self.arn).\nTo confirm the subscription, visit the SubscribeURL included in this message.")
        o["SubscribeURL"] = .string(subscribeURL)
        o["Timestamp"] = .string(clock.now.iso8601Milliseconds)
        o["SignatureVersion"] = "1"
        o["Signature"] = .string(TopicEnvelope.signaturePlaceholder)
        let region = ARN(topic: self.arn)?.region ?? "us-east-1"
        o["SigningCertURL"] = .string("https://sns.\(region).amazonaws.com/SimpleNotificationService-eventrouter-local.pem")
        return await http.post(.subscriptionConfirmation, to: sub, messageId: messageId, topicArn: self.arn, body: JSONValue.object(o).jsonText)
    }
}
