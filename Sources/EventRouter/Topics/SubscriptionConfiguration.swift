/// One subscription of a topic: an entry of a topic's `Subscription` list in a rule file.
public struct SubscriptionConfiguration: Sendable, Hashable {
    /// Where the subscription delivers.
    public enum DeliveryProtocol: String, Sendable, Hashable {
        /// An SQS queue (`Endpoint` is the queue ARN).
        case sqs
        /// A handler function (`Endpoint` is the function ARN), invoked asynchronously.
        case lambda
    }

    /// `sqs` or `lambda`.
    public var deliveryProtocol: DeliveryProtocol
    /// The queue or function ARN.
    public var endpoint: String
    /// The filter policy, if any (see ``SubscriptionFilterPolicy``).
    public var filterPolicy: SubscriptionFilterPolicy?
    /// Deliver the bare message instead of the SNS envelope (`sqs` only).
    public var rawMessageDelivery: Bool
    /// The subscription's dead-letter queue: an SQS queue ARN (FIFO for FIFO topics).
    public var deadLetterTargetArn: String?
    /// `TOPIC_ARN:ID`, assigned by ``TopicConfiguration``.
    public internal(set) var subscriptionArn: String = ""

    public init(deliveryProtocol: DeliveryProtocol, endpoint: String, filterPolicy: SubscriptionFilterPolicy? = nil,
                rawMessageDelivery: Bool = false, deadLetterTargetArn: String? = nil) {
        self.deliveryProtocol = deliveryProtocol
        self.endpoint = endpoint
        self.filterPolicy = filterPolicy
        self.rawMessageDelivery = rawMessageDelivery
        self.deadLetterTargetArn = deadLetterTargetArn
    }

    /// Keys of `AWS::SNS::Subscription` accepted and ignored locally.
    static let ignoredKeys: Set<String> = ["DeliveryPolicy", "Region", "SubscriptionRoleArn", "ReplayPolicy", "TopicArn"]
    static let knownKeys = ["Protocol", "Endpoint", "FilterPolicy", "FilterPolicyScope", "RawMessageDelivery", "RedrivePolicy"]

    /// Reads one `Subscription` entry. `FilterPolicy` and `RedrivePolicy` may be objects or JSON
    /// strings; `RawMessageDelivery` a boolean or `"true"`/`"false"`.
    /// - Parameter at: where the entry is, for messages (e.g. `Topics entry 'orders' Subscription[0]`).
    /// - Throws: `InvalidParameterException` naming the key to change.
    public init(json: JSONObject, at: String) throws(TopicError) {
        for key in json.keys where !Self.knownKeys.contains(key) && !Self.ignoredKeys.contains(key) {
            throw .invalid("\(at): unknown key '\(key)'; known keys are \(Self.knownKeys.joined(separator: ", "))")
        }
        guard let p = json["Protocol"]?.stringValue else {
            throw .invalid("\(at): 'Protocol' is required: \"sqs\" or \"lambda\"")
        }
        guard let proto = DeliveryProtocol(rawValue: p.lowercased()) else {
            throw .invalid("\(at): 'Protocol' must be \"sqs\" or \"lambda\", got \"\(p)\"")
        }
        guard let endpoint = json["Endpoint"]?.stringValue else {
            throw .invalid("\(at): 'Endpoint' is required: the \(proto == .sqs ? "queue" : "function") ARN")
        }
        switch proto {
        case .sqs:
            guard Self.isARN(endpoint, service: "sqs") else {
                throw .invalid("\(at): 'Endpoint' must be a queue ARN like arn:aws:sqs:us-east-1:123456789012:NAME, got \"\(endpoint)\"")
            }
        case .lambda:
            guard Self.isARN(endpoint, service: "lambda"), endpoint.contains(":function:") else {
                throw .invalid("\(at): 'Endpoint' must be a function ARN like arn:aws:lambda:us-east-1:123456789012:function:NAME, got \"\(endpoint)\"")
            }
        }
        var raw = false
        if let r = json["RawMessageDelivery"] {
            switch r {
            case .bool(let b): raw = b
            case .string("true"): raw = true
            case .string("false"): raw = false
            default: throw .invalid("\(at): 'RawMessageDelivery' must be true or false, got \(r.jsonText)")
            }
        }
        if raw && proto != .sqs {
            throw .invalid("\(at): 'RawMessageDelivery' applies to sqs subscriptions only; remove it from the \(proto.rawValue) subscription")
        }
        var scope = SubscriptionFilterPolicy.Scope.messageAttributes
        if let s = json["FilterPolicyScope"] {
            guard let text = s.stringValue, let parsed = SubscriptionFilterPolicy.Scope(rawValue: text) else {
                throw .invalid("\(at): 'FilterPolicyScope' must be \"MessageAttributes\" or \"MessageBody\", got \(s.jsonText)")
            }
            scope = parsed
        }
        var policy: SubscriptionFilterPolicy?
        if let f = json["FilterPolicy"] {
            policy = try SubscriptionFilterPolicy(json: try Self.objectOrString(f, key: "FilterPolicy", at: at), scope: scope, at: "\(at) FilterPolicy")
        } else if json["FilterPolicyScope"] != nil {
            throw .invalid("\(at): 'FilterPolicyScope' needs a 'FilterPolicy'")
        }
        var dlq: String?
        if let r = json["RedrivePolicy"] {
            let redrive = try Self.objectOrString(r, key: "RedrivePolicy", at: at)
            guard let arn = redrive["deadLetterTargetArn"]?.stringValue, Self.isARN(arn, service: "sqs") else {
                throw .invalid("\(at): 'RedrivePolicy' needs \"deadLetterTargetArn\": an SQS queue ARN")
            }
            dlq = arn
        }
        self.init(deliveryProtocol: proto, endpoint: endpoint, filterPolicy: policy, rawMessageDelivery: raw, deadLetterTargetArn: dlq)
    }

    static func isARN(_ arn: String, service: String) -> Bool {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count >= 6 && parts[0] == "arn" && parts[2] == service[...] && !parts[5].isEmpty
    }

    static func objectOrString(_ value: JSONValue, key: String, at: String) throws(TopicError) -> JSONValue {
        switch value {
        case .object: return value
        case .string(let text):
            guard let parsed = try? JSONParser.parse(text), parsed.objectValue != nil else {
                throw .invalid("\(at): '\(key)' is a string but not a JSON object; give an object or its JSON text")
            }
            return parsed
        default:
            throw .invalid("\(at): '\(key)' must be an object (or its JSON text), got \(value.kindName)")
        }
    }
}
