/// Topics and subscriptions as the journal's records hold them (docs/durability.md, "Topics
/// and subscriptions"): whole states, read back with a message naming the field that is wrong.
extension TopicConfiguration {
    /// `{"TopicName", "Account", "Region", "FifoTopic", "ContentBasedDeduplication", "Attributes"}`
    /// (subscriptions are journaled on their own).
    var journalJSON: JSONValue {
        var o = JSONObject()
        o["TopicName"] = .string(name)
        o["Account"] = .string(account)
        o["Region"] = .string(region)
        o["FifoTopic"] = .bool(fifo)
        o["ContentBasedDeduplication"] = .bool(contentBasedDeduplication)
        o["Attributes"] = .object(JSONObject(storedAttributes.sorted { $0.key < $1.key }.map { JSONObject.Member(key: $0.key, value: .string($0.value)) }))
        return .object(o)
    }

    /// Reads ``journalJSON`` back (no subscriptions).
    /// - Throws: ``StateJournalFailure`` naming the topic and the field.
    init(journalJSON json: JSONValue, arn: String) throws(StateJournalFailure) {
        guard let name = json["TopicName"]?.stringValue, let account = json["Account"]?.stringValue, let region = json["Region"]?.stringValue else {
            throw StateJournalFailure("the recovered topic \(arn) needs the strings TopicName, Account and Region")
        }
        self.init(name: name, account: account, region: region, fifo: json["FifoTopic"]?.boolValue ?? name.hasSuffix(".fifo"),
                  contentBasedDeduplication: json["ContentBasedDeduplication"]?.boolValue ?? false)
        guard self.arn == arn else { throw StateJournalFailure("the recovered topic \(arn) is named \(self.arn) by its TopicName, Account and Region") }
        for member in json["Attributes"]?.objectValue?.members ?? [] {
            guard let value = member.value.stringValue else {
                throw StateJournalFailure("the recovered topic \(arn) has Attributes.\(member.key) that is a \(member.value.kindName), not a string")
            }
            storedAttributes[member.key] = value
        }
    }
}

extension SubscriptionConfiguration {
    /// `{"Protocol", "Endpoint", "FilterPolicy", "FilterPolicyScope", "RawMessageDelivery",
    /// "RedrivePolicy", "PendingConfirmation", "Token", "Attributes"}`.
    var journalJSON: JSONValue {
        var o = JSONObject()
        o["Protocol"] = .string(endpointProtocol.rawValue)
        o["Endpoint"] = .string(endpoint)
        if let filterPolicy {
            o["FilterPolicy"] = filterPolicy.json
            o["FilterPolicyScope"] = .string(filterPolicy.scope.rawValue)
        }
        if rawMessageDelivery { o["RawMessageDelivery"] = true }
        if let deadLetterTargetArn { o["RedrivePolicy"] = ["deadLetterTargetArn": .string(deadLetterTargetArn)] }
        if pendingConfirmation { o["PendingConfirmation"] = true }
        if let confirmationToken { o["Token"] = .string(confirmationToken) }
        if !storedAttributes.isEmpty {
            o["Attributes"] = .object(JSONObject(storedAttributes.sorted { $0.key < $1.key }.map { JSONObject.Member(key: $0.key, value: .string($0.value)) }))
        }
        return .object(o)
    }

    /// Reads ``journalJSON`` back; the retry policy comes from `Attributes.DeliveryPolicy` (HTTP/S).
    /// - Throws: ``StateJournalFailure`` naming the subscription and the field.
    init(journalJSON json: JSONValue, arn: String) throws(StateJournalFailure) {
        let at = "the recovered subscription \(arn)"
        guard let text = json["Protocol"]?.stringValue, let p = EndpointProtocol(rawValue: text), let endpoint = json["Endpoint"]?.stringValue else {
            throw StateJournalFailure("\(at) needs a Protocol (sqs, lambda, http or https) and an Endpoint string")
        }
        var filter: FilterPolicy?
        if let policy = json["FilterPolicy"] {
            let scopeText = json["FilterPolicyScope"]?.stringValue ?? FilterPolicyScope.messageAttributes.rawValue
            guard let scope = FilterPolicyScope(rawValue: scopeText) else { throw StateJournalFailure("\(at) has FilterPolicyScope '\(scopeText)', not MessageAttributes or MessageBody") }
            do { filter = try FilterPolicy(json: policy, scope: scope) } catch { throw StateJournalFailure("\(at) has a FilterPolicy that does not read: \(error.message)") }
        }
        var stored: [String: String] = [:]
        for member in json["Attributes"]?.objectValue?.members ?? [] {
            guard let value = member.value.stringValue else { throw StateJournalFailure("\(at) has Attributes.\(member.key) that is a \(member.value.kindName), not a string") }
            stored[member.key] = value
        }
        var retry: DeliveryRetryPolicy?
        if p.isHTTP, let text = stored["DeliveryPolicy"] {
            do { retry = try DeliveryRetryPolicy(deliveryPolicy: text) } catch { throw StateJournalFailure("\(at) has a DeliveryPolicy that does not read: \(error.message)") }
        }
        self.init(endpointProtocol: p, endpoint: endpoint, filterPolicy: filter, rawMessageDelivery: json["RawMessageDelivery"]?.boolValue ?? false,
                  deadLetterTargetArn: json["RedrivePolicy"]?["deadLetterTargetArn"]?.stringValue, arn: arn,
                  pendingConfirmation: json["PendingConfirmation"]?.boolValue ?? false, confirmationToken: json["Token"]?.stringValue,
                  retryPolicy: retry, storedAttributes: stored)
    }
}
