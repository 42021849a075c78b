/// Collects every problem of one `Topics` entry, so that a rule file is fixed in one pass.
struct TopicProblems {
    let label: String
    private(set) var list: [String] = []

    init(label: String) { self.label = label }

    mutating func add(_ problem: String) { list.append(problem) }

    /// `Unknown key 'X' in WHERE: did you mean 'Y'?`, or the list of known keys (``DidYouMean``).
    static func unknownKey(_ key: String, in place: String, known: [String]) -> String {
        if let guess = DidYouMean.suggestion(for: key, among: known) {
            return "Unknown key '\(key)' in \(place): did you mean '\(guess)'?"
        }
        return "Unknown key '\(key)' in \(place): use one of \(known.joined(separator: ", "))."
    }

    /// Throws the collected problems, if any, as one `InvalidParameter` error.
    func check() throws(TopicError) {
        guard !list.isEmpty else { return }
        if list.count == 1 { throw TopicError.invalidParameter("\(label): \(list[0])") }
        let lines = list.enumerated().map { "\n  \($0.offset + 1). \($0.element)" }.joined()
        throw TopicError.invalidParameter("\(label) has \(list.count) problems:\(lines)")
    }

    mutating func string(_ json: JSONObject, _ key: String, prefix: String = "") -> String? {
        guard let value = json[key] else { return nil }
        guard let s = value.stringValue else {
            add("\(prefix)\(key) is \(value.jsonText): write it as a string.")
            return nil
        }
        return s
    }

    /// A boolean, also written as the string `"true"`/`"false"` (as SNS attributes are).
    mutating func bool(_ json: JSONObject, _ key: String, prefix: String = "") -> Bool? {
        guard let value = json[key] else { return nil }
        if let b = value.boolValue { return b }
        if let s = value.stringValue?.lowercased(), s == "true" || s == "false" { return s == "true" }
        add("\(prefix)\(key) is \(value.jsonText): write true or false.")
        return nil
    }

    /// Parses and checks one `Subscription` entry of `topic`; `nil` when it has problems.
    mutating func subscription(_ value: JSONValue, index i: Int, topic: TopicConfiguration) -> SubscriptionConfiguration? {
        let at = "Subscription[\(i)]."
        guard let json = value.objectValue else {
            add("Subscription[\(i)] is \(value.jsonText): write an object with Protocol and Endpoint.")
            return nil
        }
        let before = list.count
        for key in json.keys where !SubscriptionConfiguration.knownKeys.contains(key) && !SubscriptionConfiguration.ignoredKeys.contains(key) {
            add(TopicProblems.unknownKey(key, in: "Subscription[\(i)]", known: SubscriptionConfiguration.knownKeys))
        }
        var proto: SubscriptionConfiguration.EndpointProtocol?
        if let text = string(json, "Protocol", prefix: at) {
            proto = SubscriptionConfiguration.EndpointProtocol(rawValue: text)
            if proto == nil {
                if let p = SubscriptionConfiguration.EndpointProtocol(rawValue: text.lowercased()) {
                    add("\(at)Protocol '\(text)' is case-sensitive: write \"\(p.rawValue)\".")
                } else {
                    add("\(at)Protocol '\(text)' is not supported: use \"sqs\" (a queue ARN) or \"lambda\" (a function ARN).")
                }
            }
        } else if json["Protocol"] == nil {
            add("\(at)Protocol is missing: add \"Protocol\": \"sqs\" or \"lambda\".")
        }
        let endpoint = string(json, "Endpoint", prefix: at)
        if json["Endpoint"] == nil { add("\(at)Endpoint is missing: add the queue or function ARN.") }
        if let endpoint, let proto {
            switch proto {
            case .sqs:
                if let q = ARN(queue: endpoint) {
                    if topic.fifo && !q.name.hasSuffix(".fifo") {
                        add("\(at)Endpoint \(endpoint) is a standard queue, but FIFO topic \(topic.name) delivers only to FIFO queues: subscribe a queue whose name ends with .fifo.")
                    } else if !topic.fifo && q.name.hasSuffix(".fifo") {
                        add("\(at)Endpoint \(endpoint): FIFO SQS Queues can not be subscribed to standard SNS topics: subscribe a standard queue, or make the topic FIFO.")
                    }
                } else {
                    add("\(at)Endpoint '\(endpoint)' is not an SQS queue ARN: write arn:aws:sqs:REGION:ACCOUNT:QUEUE.")
                }
            case .lambda:
                if !SubscriptionConfiguration.isFunctionArn(endpoint) {
                    add("\(at)Endpoint '\(endpoint)' is not a Lambda function ARN: write arn:aws:lambda:REGION:ACCOUNT:function:NAME.")
                }
                if topic.fifo {
                    add("\(at)Endpoint \(endpoint): FIFO topic \(topic.name) cannot deliver to a lambda endpoint (FIFO topics deliver only to SQS FIFO queues): subscribe a FIFO queue, or use a standard topic.")
                }
            }
        }
        var scope = FilterPolicyScope.messageAttributes
        if let text = string(json, "FilterPolicyScope", prefix: at) {
            if let s = FilterPolicyScope(rawValue: text) {
                scope = s
            } else {
                add("\(at)FilterPolicyScope '\(text)' is invalid: use \"MessageAttributes\" (the default) or \"MessageBody\".")
            }
        }
        var policy: FilterPolicy?
        if let value = json["FilterPolicy"] {
            do {
                switch value {
                case .string(let text): policy = try FilterPolicy(text: text, scope: scope)
                case .object: policy = try FilterPolicy(json: value, scope: scope)
                default: add("\(at)FilterPolicy is \(value.jsonText): write a JSON object (or a string holding one).")
                }
            } catch {
                add("\(at)FilterPolicy: \(error.message)")
            }
        }
        let raw = bool(json, "RawMessageDelivery", prefix: at) ?? false
        if raw && proto == .lambda {
            add("\(at)RawMessageDelivery applies to sqs subscriptions only: remove it from the lambda subscription.")
        }
        var dlq: String?
        if let value = json["RedrivePolicy"] {
            dlq = redrive(value, at: at, topic: topic)
        }
        guard list.count == before, let proto, let endpoint else { return nil }
        let arn = SubscriptionConfiguration.arn(topicArn: topic.arn, index: i, protocol: proto.rawValue, endpoint: endpoint)
        return SubscriptionConfiguration(endpointProtocol: proto, endpoint: endpoint, filterPolicy: policy, rawMessageDelivery: raw, deadLetterTargetArn: dlq, arn: arn)
    }

    /// `RedrivePolicy` (an object or a JSON string) with its `deadLetterTargetArn`.
    private mutating func redrive(_ value: JSONValue, at: String, topic: TopicConfiguration) -> String? {
        var object = value.objectValue
        if let text = value.stringValue { object = (try? JSONParser.parse(text))?.objectValue }
        guard let object else {
            add("\(at)RedrivePolicy is \(value.jsonText): write {\"deadLetterTargetArn\": \"arn:aws:sqs:REGION:ACCOUNT:QUEUE\"}.")
            return nil
        }
        for key in object.keys where key != "deadLetterTargetArn" {
            add(TopicProblems.unknownKey(key, in: "\(at)RedrivePolicy", known: ["deadLetterTargetArn"]))
        }
        guard let arn = object["deadLetterTargetArn"]?.stringValue else {
            add("\(at)RedrivePolicy has no deadLetterTargetArn string: add \"deadLetterTargetArn\": \"arn:aws:sqs:REGION:ACCOUNT:QUEUE\".")
            return nil
        }
        guard let q = ARN(queue: arn) else {
            add("\(at)RedrivePolicy.deadLetterTargetArn '\(arn)' is not an SQS queue ARN: write arn:aws:sqs:REGION:ACCOUNT:QUEUE.")
            return nil
        }
        if q.account != topic.account || q.region != topic.region {
            add("\(at)RedrivePolicy.deadLetterTargetArn \(arn) must be in the subscription's account and region (\(topic.account), \(topic.region)): use a queue there.")
        }
        if topic.fifo && !q.name.hasSuffix(".fifo") {
            add("\(at)RedrivePolicy.deadLetterTargetArn \(arn) is a standard queue, but a FIFO topic's dead-letter queue must be a FIFO queue: use a queue whose name ends with .fifo.")
        } else if !topic.fifo && q.name.hasSuffix(".fifo") {
            add("\(at)RedrivePolicy.deadLetterTargetArn \(arn) is a FIFO queue, but a standard topic's dead-letter queue must be a standard queue: use a queue without .fifo.")
        }
        return arn
    }
}
