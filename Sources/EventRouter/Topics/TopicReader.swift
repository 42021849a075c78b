/// Reads one `Topics` entry with the one ``FieldReader``: its wording for unknown keys, types,
/// required keys, enumerations, booleans and ARNs; the topic's own rules (FIFO names, FIFO
/// endpoints and dead-letter queues, filter policies) word their problems the same way
/// (`'KEY' …`). Every problem has its JSON path below the entry (`$.Subscription[0].Endpoint`).
struct TopicReader {
    var fields = FieldReader()
    /// Accept `http`/`https` subscriptions (the wire's `Subscribe`; rule files declare `sqs` and `lambda` only).
    var allowsHTTP = false

    /// Reads `Subscription[i]` of `topic`; `nil` when it has problems.
    mutating func subscription(_ value: JSONValue, index i: Int, topic: TopicConfiguration) -> SubscriptionConfiguration? {
        let at = "$.Subscription[\(i)]"
        guard let json = value.objectValue else {
            fields.error(at, "'Subscription[\(i)]' must be an object with Protocol and Endpoint, not \(value.kindName)")
            return nil
        }
        let before = fields.errorCount
        for key in json.keys where !SubscriptionConfiguration.knownKeys.contains(key) && !SubscriptionConfiguration.ignoredKeys.contains(key) {
            fields.error("\(at).\(key)", FieldReader.unknownKeyReason(key, in: "a subscription", allowed: SubscriptionConfiguration.knownKeys))
        }
        let proto = fields.enumeration(json, "Protocol", at: at, allowed: allowsHTTP ? ["sqs", "lambda", "http", "https"] : ["sqs", "lambda"], required: true)
            .flatMap(SubscriptionConfiguration.EndpointProtocol.init(rawValue:))
        let endpoint = fields.string(json, "Endpoint", at: at, required: true)
        if let endpoint, let proto { checkEndpoint(endpoint, proto, at: at, topic: topic) }
        var scope = FilterPolicyScope.messageAttributes
        if let text = fields.enumeration(json, "FilterPolicyScope", at: at, allowed: ["MessageAttributes", "MessageBody"]) {
            scope = FilterPolicyScope(rawValue: text) ?? .messageAttributes
        }
        var policy: FilterPolicy?
        if let value = json["FilterPolicy"] {
            do {
                switch value {
                case .string(let text): policy = try FilterPolicy(text: text, scope: scope)
                case .object: policy = try FilterPolicy(json: value, scope: scope)
                default: fields.wrongType("FilterPolicy", value, expected: "a JSON object (or a string holding one)", at: at)
                }
            } catch {
                fields.error("\(at).FilterPolicy", "'FilterPolicy' is not valid: \(error.message)")
            }
        }
        let raw = fields.bool(json, "RawMessageDelivery", at: at) ?? false
        if raw && proto == .lambda {
            fields.error("\(at).RawMessageDelivery", "'RawMessageDelivery' applies to sqs subscriptions only: remove it from the lambda subscription")
        }
        var dlq: String?
        if let value = json["RedrivePolicy"] { dlq = redrive(value, at: "\(at).RedrivePolicy", topic: topic) }
        guard fields.errorCount == before, let proto, let endpoint else { return nil }
        let arn = SubscriptionConfiguration.arn(topicArn: topic.arn, index: i, protocol: proto.rawValue, endpoint: endpoint)
        return SubscriptionConfiguration(endpointProtocol: proto, endpoint: endpoint, filterPolicy: policy, rawMessageDelivery: raw, deadLetterTargetArn: dlq, arn: arn)
    }

    /// A queue endpoint of the topic's FIFO-ness, or a function endpoint of a standard topic.
    private mutating func checkEndpoint(_ endpoint: String, _ proto: SubscriptionConfiguration.EndpointProtocol, at: String, topic: TopicConfiguration) {
        switch proto {
        case .sqs:
            guard let q = fields.arn(endpoint, key: "Endpoint", at: at, kinds: [.queue]) else { return }
            if topic.fifo && !q.name.hasSuffix(".fifo") {
                fields.error("\(at).Endpoint", "'Endpoint' \(endpoint) is a standard queue, but FIFO topic \(topic.name) delivers only to FIFO queues: subscribe a queue whose name ends with .fifo")
            } else if !topic.fifo && q.name.hasSuffix(".fifo") {
                fields.error("\(at).Endpoint", "'Endpoint' \(endpoint) is a FIFO queue, but FIFO SQS Queues can not be subscribed to standard SNS topics: subscribe a standard queue, or make the topic FIFO")
            }
        case .lambda:
            if !SubscriptionConfiguration.isFunctionArn(endpoint) {
                fields.error("\(at).Endpoint", "'Endpoint' must be a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME), got '\(endpoint)'")
            }
            if topic.fifo {
                fields.error("\(at).Endpoint", "'Endpoint' \(endpoint): FIFO topic \(topic.name) cannot deliver to a lambda endpoint (FIFO topics deliver only to SQS FIFO queues): subscribe a FIFO queue, or use a standard topic")
            }
        case .http, .https:
            let scheme = proto.rawValue + "://"
            let rest = endpoint.hasPrefix(scheme) ? endpoint.dropFirst(scheme.count) : ""
            let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            if host.isEmpty || host.contains(" ") || endpoint.contains(where: { $0.isWhitespace }) {
                fields.error("\(at).Endpoint", "'Endpoint' must be an URL beginning with \(scheme) for protocol \(proto.rawValue), e.g. \(scheme)127.0.0.1:8080/sns, got '\(endpoint)'")
            }
            if topic.fifo {
                fields.error("\(at).Endpoint", "'Endpoint' \(endpoint): FIFO topic \(topic.name) cannot deliver to an \(proto.rawValue) endpoint (FIFO topics deliver only to SQS FIFO queues): subscribe a FIFO queue, or use a standard topic")
            }
        }
    }

    /// `RedrivePolicy` (an object or a JSON string holding one) with its `deadLetterTargetArn`.
    private mutating func redrive(_ value: JSONValue, at: String, topic: TopicConfiguration) -> String? {
        var object = value.objectValue
        if let text = value.stringValue { object = (try? JSONParser.parse(text))?.objectValue }
        guard let object else {
            fields.error(at, "'RedrivePolicy' must be {\"deadLetterTargetArn\": \"arn:aws:sqs:REGION:ACCOUNT:QUEUE\"} (an object or a string holding one), not \(value.jsonText)")
            return nil
        }
        fields.checkKeys(object, allowed: ["deadLetterTargetArn"], what: "RedrivePolicy", at: at)
        guard let q = fields.arn(object, "deadLetterTargetArn", at: at, kinds: [.queue], required: true) else { return nil }
        let arn = q.description
        let key = "\(at).deadLetterTargetArn"
        if q.account != topic.account || q.region != topic.region {
            fields.error(key, "'deadLetterTargetArn' \(arn) must be in the subscription's account and region (\(topic.account), \(topic.region)): use a queue there")
        }
        if topic.fifo && !q.name.hasSuffix(".fifo") {
            fields.error(key, "'deadLetterTargetArn' \(arn) is a standard queue, but a FIFO topic's dead-letter queue must be a FIFO queue: use a queue whose name ends with .fifo")
        } else if !topic.fifo && q.name.hasSuffix(".fifo") {
            fields.error(key, "'deadLetterTargetArn' \(arn) is a FIFO queue, but a standard topic's dead-letter queue must be a standard queue: use a queue without .fifo")
        }
        return arn
    }
}

extension SubscriptionConfiguration {
    /// Reads a subscription of the wire's `Subscribe` with the same rules as a rule file's entry
    /// (`http`/`https` allowed too): `entry` holds `Protocol`, `Endpoint` and the attributes
    /// (`FilterPolicy`, `FilterPolicyScope`, `RawMessageDelivery`, `RedrivePolicy`, as strings).
    /// - Returns: the subscription (its ``arn`` still to be set; `nil` when it has errors) and
    ///   every problem, with its key as the path's last component.
    package static func read(_ entry: JSONObject, topic: TopicConfiguration) -> (SubscriptionConfiguration?, [ValidationProblem]) {
        var r = TopicReader()
        r.allowsHTTP = true
        let s = r.subscription(.object(entry), index: 0, topic: topic)
        return (r.fields.hasErrors ? nil : s, r.fields.problems)
    }
}
