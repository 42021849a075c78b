import EventRouter

/// Subscribe, ConfirmSubscription, Unsubscribe, ListSubscriptions(ByTopic),
/// Get/SetSubscriptionAttributes.
extension SNSService {
    /// Subscription attributes `Subscribe` and `SetSubscriptionAttributes` accept.
    static let subscriptionAttributes = ["DeliveryPolicy", "FilterPolicy", "FilterPolicyScope", "RawMessageDelivery", "RedrivePolicy",
                                         "SubscriptionRoleArn", "ReplayPolicy"]
    /// Attributes stored as given, with no local effect besides the retry policy read from `DeliveryPolicy`.
    static let storedSubscriptionAttributes: Set<String> = ["DeliveryPolicy", "SubscriptionRoleArn", "ReplayPolicy"]

    func subscribe(_ input: SNSInput, _ call: AWSCall) throws(AWSError) -> String {
        let topic = try topic(input)
        let proto = try input.string("Protocol", required: true) ?? ""
        guard SubscriptionConfiguration.EndpointProtocol(rawValue: proto) != nil else {
            throw SNSErrors.invalidParameter("Protocol Reason: EventRouter delivers to sqs, lambda, http and https endpoints, not '\(proto)'.")
        }
        let endpoint = try input.string("Endpoint", required: true) ?? ""
        var attributes: [String: String] = [:]
        for (key, value) in try input.map("Attributes") {
            guard Self.subscriptionAttributes.contains(key) else {
                throw SNSErrors.invalidParameter("Attributes Reason: Unknown attribute \(key): subscriptions accept \(Self.subscriptionAttributes.joined(separator: ", ")).")
            }
            attributes[key] = value
        }
        var entry: JSONObject = ["Protocol": .string(proto), "Endpoint": .string(endpoint)]
        var sub = try Self.subscription(entry: &entry, changes: attributes, topic: topic.configuration)
        sub.arn = topic.arn + ":" + random.uuid()
        if sub.endpointProtocol.isHTTP {
            sub.pendingConfirmation = true
            sub.confirmationToken = Hex.encode((0..<4).flatMap { _ in withUnsafeBytes(of: random.next()) { Array($0) } })
        }
        let (result, added) = try Self.mapping { () throws(TopicError) in try topic.subscribe(sub) }
        if added, result.pendingConfirmation {
            let host = call.request.headers["Host"] ?? "localhost"
            let url = "http://\(host)/?Action=ConfirmSubscription&Version=2010-03-31&TopicArn=\(PercentEncoding.encode(topic.arn))"
                + "&Token=\(result.confirmationToken ?? "")"
            topic.sendConfirmationInBackground(subscriptionArn: result.arn, subscribeURL: url)
        }
        let returnArn = try input.bool("ReturnSubscriptionArn") ?? false
        let shown = result.pendingConfirmation && !returnArn ? "pending confirmation" : result.arn
        return XMLText.element("SubscriptionArn", shown)
    }

    func confirmSubscription(_ input: SNSInput) throws(AWSError) -> String {
        let topic = try topic(input)
        let token = try input.string("Token", required: true) ?? ""
        guard let sub = topic.confirm(token: token) else {
            throw SNSErrors.invalidParameter("Token Reason: no subscription of \(topic.arn) was sent the token '\(token.prefix(80))': use the Token of its SubscriptionConfirmation message.")
        }
        return XMLText.element("SubscriptionArn", sub.arn)
    }

    func unsubscribe(_ input: SNSInput) throws(AWSError) -> String? {
        let (topic, sub) = try subscription(input)
        topic.unsubscribe(arn: sub.arn)
        return nil
    }

    func listSubscriptions(_ input: SNSInput, _ call: AWSCall) throws(AWSError) -> String {
        let topics = runtime.topics.topics.map(\.configuration).filter { $0.account == call.caller.account && $0.region == call.caller.region }
        return try Self.subscriptionList(topics.flatMap { c in c.subscriptions.map { (c, $0) } }, input)
    }

    func listSubscriptionsByTopic(_ input: SNSInput) throws(AWSError) -> String {
        let c = try topic(input).configuration
        return try Self.subscriptionList(c.subscriptions.map { (c, $0) }, input)
    }

    func getSubscriptionAttributes(_ input: SNSInput) throws(AWSError) -> String {
        let (topic, sub) = try subscription(input)
        let c = topic.configuration
        var a: [String: String] = [
            "SubscriptionArn": sub.arn, "TopicArn": c.arn, "Owner": c.account, "Protocol": sub.endpointProtocol.rawValue,
            "Endpoint": sub.endpoint, "PendingConfirmation": String(sub.pendingConfirmation),
            "ConfirmationWasAuthenticated": String(!sub.endpointProtocol.isHTTP), "RawMessageDelivery": String(sub.rawMessageDelivery),
            "EffectiveDeliveryPolicy": sub.storedAttributes["DeliveryPolicy"] ?? Self.defaultDeliveryPolicy,
        ]
        if let policy = sub.filterPolicy {
            a["FilterPolicy"] = policy.json.jsonText
            a["FilterPolicyScope"] = policy.scope.rawValue
        }
        if let dlq = sub.deadLetterTargetArn { a["RedrivePolicy"] = JSONValue.object(["deadLetterTargetArn": .string(dlq)]).jsonText }
        for (k, v) in sub.storedAttributes { a[k] = v }
        return SNSXML.map("Attributes", a)
    }

    func setSubscriptionAttributes(_ input: SNSInput) throws(AWSError) -> String? {
        let (topic, sub) = try subscription(input)
        let name = try input.string("AttributeName", required: true) ?? ""
        guard Self.subscriptionAttributes.contains(name) else {
            throw SNSErrors.invalidParameter("AttributeName Reason: Unknown attribute \(name): subscriptions accept \(Self.subscriptionAttributes.joined(separator: ", ")).")
        }
        let value = try input.string("AttributeValue") ?? ""
        var entry = Self.entry(of: sub)
        var changed = try Self.subscription(entry: &entry, changes: [name: value], topic: topic.configuration, keeping: sub)
        changed.arn = sub.arn
        let result = try Self.mapping { () throws(TopicError) in
            try topic.updateSubscription(arn: sub.arn) { current in
                changed.pendingConfirmation = current.pendingConfirmation
                current = changed
            }
        }
        guard result != nil else { throw SNSErrors.notFound("Subscription does not exist: \(sub.arn) (it was removed meanwhile).") }
        return nil
    }

    /// The subscription named by `SubscriptionArn`, with its topic.
    private func subscription(_ input: SNSInput) throws(AWSError) -> (Topic, SubscriptionConfiguration) {
        let text = try input.string("SubscriptionArn", required: true) ?? ""
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 7, parts[0] == "arn", parts[2] == "sns", parts[1].hasPrefix("aws"), parts.dropFirst(3).allSatisfy({ !$0.isEmpty }) else {
            throw SNSErrors.invalidParameter("SubscriptionArn Reason: '\(text)' is not a subscription ARN: write arn:aws:sns:REGION:ACCOUNT:TOPIC_NAME:ID, as Subscribe answered it.")
        }
        guard let found = runtime.topics.subscription(arn: text) else {
            throw SNSErrors.notFound("Subscription does not exist: \(text) (ListSubscriptions shows the subscriptions there are).")
        }
        return (found.topic, found.subscription)
    }

    /// The `<Subscriptions>` list of `pairs` (paged) with `NextToken`.
    private static func subscriptionList(_ pairs: [(TopicConfiguration, SubscriptionConfiguration)], _ input: SNSInput) throws(AWSError) -> String {
        let (page, next) = try page(pairs, input)
        let members = page.map { c, s in
            XMLText.element("SubscriptionArn", s.pendingConfirmation ? "PendingConfirmation" : s.arn) + XMLText.element("Owner", c.account)
                + XMLText.element("Protocol", s.endpointProtocol.rawValue) + XMLText.element("Endpoint", s.endpoint) + XMLText.element("TopicArn", c.arn)
        }
        return SNSXML.list("Subscriptions", members) + (next.map { XMLText.element("NextToken", $0) } ?? "")
    }

    /// `sub` as a `Subscription` entry (what ``subscription(entry:changes:topic:keeping:)`` reads back).
    private static func entry(of sub: SubscriptionConfiguration) -> JSONObject {
        var e: JSONObject = ["Protocol": .string(sub.endpointProtocol.rawValue), "Endpoint": .string(sub.endpoint)]
        if let p = sub.filterPolicy {
            e["FilterPolicy"] = .string(p.json.jsonText)
            e["FilterPolicyScope"] = .string(p.scope.rawValue)
        }
        if sub.rawMessageDelivery { e["RawMessageDelivery"] = true }
        if let dlq = sub.deadLetterTargetArn { e["RedrivePolicy"] = .object(["deadLetterTargetArn": .string(dlq)]) }
        return e
    }

    /// Applies attribute `changes` (wire strings; an empty FilterPolicy or RedrivePolicy removes
    /// it) to `entry` and reads the subscription with the rule-file reader's checks.
    /// - Throws: `InvalidParameter` naming the attribute and what to change.
    private static func subscription(entry: inout JSONObject, changes: [String: String], topic: TopicConfiguration,
                                     keeping old: SubscriptionConfiguration? = nil) throws(AWSError) -> SubscriptionConfiguration {
        var stored = old?.storedAttributes ?? [:]
        var retryPolicy = old?.retryPolicy
        for (key, value) in changes {
            switch key {
            case "FilterPolicy", "RedrivePolicy":
                entry[key] = value.isEmpty ? nil : .string(value)
            case "RawMessageDelivery":
                guard value == "true" || value == "false" else {
                    throw SNSErrors.invalidParameter("Attributes Reason: RawMessageDelivery must be true or false, got '\(value)'.")
                }
                entry[key] = .bool(value == "true")
            case "DeliveryPolicy":
                stored[key] = value
                retryPolicy = nil
                guard !value.isEmpty else { stored[key] = nil; continue }
                do { retryPolicy = try DeliveryRetryPolicy(deliveryPolicy: value) } catch { throw SNSErrors.error(error) }
            case _ where storedSubscriptionAttributes.contains(key):
                stored[key] = value.isEmpty ? nil : value
            default:
                entry[key] = .string(value)
            }
        }
        // The filter policy first, on its own, so its error reads as SNS's.
        if case .string(let text)? = entry["FilterPolicy"] {
            let scopeText = entry["FilterPolicyScope"]?.stringValue ?? "MessageAttributes"
            guard let scope = FilterPolicyScope(rawValue: scopeText) else {
                throw SNSErrors.invalidParameter("FilterPolicyScope: must be MessageAttributes or MessageBody, got '\(scopeText)'.")
            }
            do { _ = try FilterPolicy(text: text, scope: scope) } catch { throw SNSErrors.error(error) }
        }
        let (read, problems) = SubscriptionConfiguration.read(entry, topic: topic)
        guard var sub = read, problems.isEmpty else {
            let first = problems.first
            let key = first?.path.split(separator: ".").last.map(String.init) ?? "Attributes"
            throw SNSErrors.invalidParameter("\(key): \(first?.message ?? "the subscription is not valid").")
        }
        sub.storedAttributes = stored
        sub.retryPolicy = sub.endpointProtocol.isHTTP ? retryPolicy : nil
        if let old {
            sub.confirmationToken = old.confirmationToken
            sub.pendingConfirmation = old.pendingConfirmation
        }
        return sub
    }

    /// Runs `body`, answering a ``TopicError`` as its wire error.
    static func mapping<R>(_ body: () throws(TopicError) -> R) throws(AWSError) -> R {
        do { return try body() } catch { throw SNSErrors.error(error) }
    }
}
