import EventRouter

/// Amazon SNS over the query protocol (form in, XML out; docs/sns-on-the-wire.md): topics,
/// subscriptions (`sqs`, `lambda`, and `http`/`https` with SNS's confirmation handshake),
/// publishing and tags, served from the runtime's ``TopicRegistry``, so that topics declared in
/// rule files, rule targets and wire calls share one set of topics and one delivery engine.
public struct SNSService: AWSService {
    public let name = "sns"
    public let xmlNamespace = "http://sns.amazonaws.com/doc/2010-03-31/"
    let runtime: RouterRuntime
    /// Tags by topic ARN (the engine's, journaled with a data directory).
    var tags: TopicTags { runtime.topics.tags }
    /// Subscription ARNs and confirmation tokens.
    let random: SharedRandom

    /// Serves the topics of `runtime`, posting to HTTP/S subscriptions through `httpClient`
    /// (installed on the runtime's topics; `nil` keeps the client installed before).
    public init(runtime: RouterRuntime, httpClient: (any HTTPSubscriptionClient)? = URLSessionSubscriptionClient(), seed: UInt64 = 0) {
        self.runtime = runtime
        self.random = SharedRandom(seed: seed == 0 ? UInt64.random(in: 1...UInt64.max) : seed)
        if let httpClient {
            let realTime = runtime.driver.clock.manual == nil
            runtime.topics.http.use(httpClient, retriesWake: realTime ? runtime.driver.wake : nil)
        }
    }

    public func handle(_ call: AWSCall) async throws(AWSError) -> AWSReply {
        let input = SNSInput(call.parameters)
        let xml: String?
        // Changes are answered once their records are stored (docs/durability.md, "Topics and subscriptions").
        let journaled = runtime.topics.journal.isAttached
        switch call.operation {
        case "CreateTopic": xml = try await AWSError.storing(journaled: journaled) { () throws(AWSError) -> String? in try createTopic(input, call) }
        case "DeleteTopic": xml = try await AWSError.storing(journaled: journaled) { () throws(AWSError) -> String? in try deleteTopic(input) }
        case "ListTopics": xml = try listTopics(input, call)
        case "GetTopicAttributes": xml = try getTopicAttributes(input)
        case "SetTopicAttributes": xml = try await AWSError.storing(journaled: journaled) { () throws(AWSError) -> String? in try setTopicAttributes(input) }
        case "Subscribe": xml = try await AWSError.storing(journaled: journaled) { () throws(AWSError) -> String? in try subscribe(input, call) }
        case "ConfirmSubscription":
            xml = try await AWSError.storing(journaled: journaled) { () throws(AWSError) -> String? in try confirmSubscription(input) }
        case "Unsubscribe": xml = try await AWSError.storing(journaled: journaled) { () throws(AWSError) -> String? in try unsubscribe(input) }
        case "ListSubscriptions": xml = try listSubscriptions(input, call)
        case "ListSubscriptionsByTopic": xml = try listSubscriptionsByTopic(input)
        case "GetSubscriptionAttributes": xml = try getSubscriptionAttributes(input)
        case "SetSubscriptionAttributes":
            xml = try await AWSError.storing(journaled: journaled) { () throws(AWSError) -> String? in try setSubscriptionAttributes(input) }
        case "Publish":
            let (published, deliveries) = try await publish(input)
            guard let deliveries else { return .query(resultXML: published) }
            return .then(.query(resultXML: published), work: deliveries)
        case "PublishBatch": xml = try await publishBatch(input)
        case "TagResource": xml = try await AWSError.storing(journaled: journaled) { () throws(AWSError) -> String? in try tagResource(input) }
        case "UntagResource": xml = try await AWSError.storing(journaled: journaled) { () throws(AWSError) -> String? in try untagResource(input) }
        case "ListTagsForResource": xml = try listTagsForResource(input)
        default:
            throw .unknownOperation(call.operation, service: name, protocol: call.protocol)
        }
        return .query(resultXML: xml)
    }

    /// `Publish` without a data directory: a standard topic is answered on the server's socket thread.
    public func answersAtOnce(_ operation: String) -> Bool { operation == "Publish" && !runtime.queues.isJournaled }

    public func answerAtOnce(_ call: AWSCall) throws(AWSError) -> AWSReply? {
        guard call.operation == "Publish", let (xml, deliveries) = try publishAtOnce(SNSInput(call.parameters)) else { return nil }
        guard let deliveries else { return .query(resultXML: xml) }
        return .then(.query(resultXML: xml), work: deliveries)
    }

    /// The existing topic named by the ARN parameter `parameter`.
    /// - Throws: `InvalidParameter` when it is absent or not a topic ARN, `NotFound` when there is no such topic.
    func topic(_ input: SNSInput, _ parameter: String = "TopicArn") throws(AWSError) -> Topic {
        let text = try input.string(parameter, required: true) ?? ""
        // Fast path: the registry is keyed by canonical topic ARNs, so an exact hit needs no parsing.
        if let topic = runtime.topics.topic(arn: text) { return topic }
        guard let arn = try? ARN(parsing: text), arn.service == "sns", arn.kind == .topic else {
            throw SNSErrors.invalidParameter("\(parameter) Reason: '\(text)' is not a topic ARN: write arn:aws:sns:REGION:ACCOUNT:TOPIC_NAME.")
        }
        guard let topic = runtime.topics.topic(arn: arn.description) else {
            throw SNSErrors.notFound("Topic does not exist: \(arn) (create it with CreateTopic, or declare it in a rule file's Topics).")
        }
        return topic
    }

    /// A page of `items` (100 at most) from the offset in `NextToken`, and the token of the next page.
    static func page<T>(_ items: [T], _ input: SNSInput, size: Int = 100) throws(AWSError) -> (ArraySlice<T>, next: String?) {
        var start = 0
        if let token = try input.string("NextToken"), !token.isEmpty {
            guard let offset = Int(token), offset >= 0, offset <= items.count else {
                throw SNSErrors.invalidParameter("NextToken Reason: '\(token)' is not a token this server handed out: start again without NextToken.")
            }
            start = offset
        }
        let end = min(items.count, start + size)
        return (items[start..<end], end < items.count ? String(end) : nil)
    }
}
