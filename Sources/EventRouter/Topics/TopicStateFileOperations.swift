/// The logic of `eventrouter topic publish`: loads the workspace's topics and queues, restores
/// the queues' messages from a state file, publishes one message and returns the new state.
///
/// Only the `Topics` and `Queues` arrays of the rule files are read here (plus each file's
/// `Account`/`Region` defaults); the full workspace loader validates the rest.
public enum TopicStateFileOperations {
    /// One rule file: its path (for messages) and text.
    public struct RuleFile: Sendable {
        public var path: String
        public var text: String
        public init(path: String, text: String) {
            self.path = path
            self.text = text
        }
    }

    /// The topics and queues declared by rule files.
    public struct Declarations: Sendable {
        public var topics: [TopicConfiguration] = []
        public var queues: [QueueConfiguration] = []
        public init() {}
    }

    /// The answer to print and the state to write back.
    public struct Outcome: Sendable {
        public var output: JSONValue
        public var state: JSONValue
    }

    /// Reads the `Topics` and `Queues` of rule files.
    /// - Throws: ``TopicError`` `InvalidParameter` naming the file, the entry and the problem.
    public static func declarations(in files: [RuleFile], account: String = "123456789012", region: String = "us-east-1") throws(TopicError) -> Declarations {
        var result = Declarations()
        for file in files {
            let value: JSONValue
            do {
                value = try JSONParser.parse(file.text)
            } catch {
                throw TopicError.invalidParameter("\(file.path) is not valid JSON (\(error)): fix the rule file.")
            }
            guard let root = value.objectValue else {
                throw TopicError.invalidParameter("\(file.path) holds a JSON \(value.kindName): a rule file is one JSON object.")
            }
            let fileAccount = root["Account"]?.stringValue ?? account
            let fileRegion = root["Region"]?.stringValue ?? region
            for (i, entry) in try entries(root, "Queues", file).enumerated() {
                do {
                    result.queues.append(try QueueConfiguration(json: entry, account: fileAccount, region: fileRegion))
                } catch {
                    throw TopicError.invalidParameter("\(file.path): Queues[\(i)]: \(error)")
                }
            }
            for (i, entry) in try entries(root, "Topics", file).enumerated() {
                do {
                    result.topics.append(try TopicConfiguration(json: entry, account: fileAccount, region: fileRegion))
                } catch {
                    throw TopicError(error.code, "\(file.path): Topics[\(i)]: \(error.message)")
                }
            }
        }
        return result
    }

    private static func entries(_ root: JSONObject, _ key: String, _ file: RuleFile) throws(TopicError) -> [JSONObject] {
        guard let value = root[key] else { return [] }
        guard let list = value.arrayValue else {
            let article = value.kindName == "object" || value.kindName == "array" ? "an" : "a"
            throw TopicError.invalidParameter("\(file.path): \(key) is \(article) \(value.kindName): write a list of objects.")
        }
        var out: [JSONObject] = []
        for (i, item) in list.enumerated() {
            guard let o = item.objectValue else {
                throw TopicError.invalidParameter("\(file.path): \(key)[\(i)] is \(item.jsonText): write an object.")
            }
            out.append(o)
        }
        return out
    }

    /// Parses `--attributes`: `{"NAME": {"DataType": "String", "StringValue": "x"}}` (the AWS CLI
    /// shape; `BinaryValue` in base64), `{"NAME": {"Type": "Number", "Value": "3"}}` (the envelope
    /// shape), or the shorthand `{"NAME": "x"}` (String), `{"NAME": 3}` (Number), `{"NAME": ["a", 1]}` (String.Array).
    /// - Throws: ``TopicError`` `InvalidParameterValue` naming the attribute.
    public static func parseAttributes(_ text: String) throws(TopicError) -> [String: MessageAttributeValue] {
        guard let object = (try? JSONParser.parse(text))?.objectValue else {
            throw TopicError(.invalidParameterValue, "--attributes must be a JSON object such as {\"kind\": {\"DataType\": \"String\", \"StringValue\": \"order\"}} or {\"kind\": \"order\"}.")
        }
        var out: [String: MessageAttributeValue] = [:]
        for member in object.members {
            let name = member.key
            switch member.value {
            case .string(let s): out[name] = .string(s)
            case .number(let n): out[name] = .number(n.text)
            case .array: out[name] = MessageAttributeValue(dataType: "String.Array", stringValue: member.value.jsonText)
            case .object(let o):
                guard let type = o["DataType"]?.stringValue ?? o["Type"]?.stringValue else {
                    throw TopicError(.invalidParameterValue, "--attributes: attribute '\(name)' has no DataType: write {\"DataType\": \"String\", \"StringValue\": \"…\"}.")
                }
                if type.hasPrefix("Binary") {
                    guard let text = o["BinaryValue"]?.stringValue ?? o["Value"]?.stringValue, let bytes = Base64.decode(text) else {
                        throw TopicError(.invalidParameterValue, "--attributes: Binary attribute '\(name)' needs a base64 BinaryValue.")
                    }
                    out[name] = MessageAttributeValue(dataType: type, binaryValue: bytes)
                } else {
                    guard let value = o["StringValue"]?.stringValue ?? o["Value"]?.stringValue else {
                        throw TopicError(.invalidParameterValue, "--attributes: attribute '\(name)' has no StringValue string.")
                    }
                    out[name] = MessageAttributeValue(dataType: type, stringValue: value)
                }
            default:
                throw TopicError(.invalidParameterValue, "--attributes: attribute '\(name)' is \(member.value.jsonText): write a string, number, array or {\"DataType\", \"StringValue\"} object.")
            }
        }
        return out
    }

    /// Publishes `message` to `topic` (name or ARN) of the workspace, on a manual clock that
    /// also settles every retry; the state's `"queues"` are restored first and replaced after
    /// (other keys are kept).
    /// - Throws: ``TopicError`` or ``QueueError`` saying what to change.
    /// - Parameter seed: fixes message ids; `nil` (the command line) draws a fresh random seed,
    ///   so ids are unique across commands and processes.
    public static func publish(
        _ message: TopicMessage, topic: String, declarations: Declarations, state: JSONValue, clock: ManualClock, seed: UInt64? = nil
    ) async throws -> Outcome {
        let seed = seed ?? UInt64.random(in: .min ... .max)
        let queues = QueueRegistry(clock: clock, seed: seed)
        try queues.restore(stateJSON: state["queues"] ?? [:])
        for q in declarations.queues where queues.queue(arn: q.arn) == nil { try queues.createQueue(q) }
        let topics = TopicRegistry(clock: clock, queues: queues, retryTimer: false, seed: seed)
        for t in declarations.topics {
            let created = try topics.createTopic(t)
            if let entry = state["topics"]?[t.arn]?.objectValue { try await created.restoreDeduplicationState(entry) }
        }
        let target = try topics.topic(named: topic)
        try topics.validateSubscriptions()
        var result = try await target.publish(message)
        await topics.settle(advancing: clock)
        // Statuses after settling: retries have ended one way or the other.
        let undelivered = await target.undelivered
        for (i, d) in result.deliveries.enumerated() where d.status == .retrying || d.status == .waiting {
            let gaveUp = undelivered.last { $0.messageId == result.messageId && $0.subscriptionArn == d.subscriptionArn }
            result.deliveries[i].status = gaveUp.map { $0.deadLetterQueue != nil && $0.deadLetterError == nil ? .deadLettered : .dropped } ?? .delivered
        }
        var output = result.json.objectValue ?? JSONObject()
        output["TopicArn"] = .string(target.arn)
        output["Statistics"] = await target.statistics.json
        output["Undelivered"] = .array(undelivered.map { u in
            var o = JSONObject()
            o["SubscriptionArn"] = .string(u.subscriptionArn)
            o["Endpoint"] = .string(u.endpoint)
            o["ErrorCode"] = .string(u.errorCode)
            o["ErrorMessage"] = .string(u.errorMessage)
            o["Attempts"] = .number(JSONNumber(u.attempts))
            o["DeadLetterQueue"] = u.deadLetterQueue.map { .string($0) } ?? .null
            if let e = u.deadLetterError { o["DeadLetterError"] = .string(e) }
            return .object(o)
        })
        var newState = state.objectValue ?? JSONObject()
        newState["queues"] = queues.stateJSON()
        var topicsState = newState["topics"]?.objectValue ?? JSONObject()
        var entry = topicsState[target.arn]?.objectValue ?? JSONObject()
        for key in Topic.deduplicationStateKeys { entry[key] = nil }
        for member in await target.deduplicationState().members { entry[member.key] = member.value }
        if !entry.members.isEmpty || topicsState[target.arn] != nil { topicsState[target.arn] = .object(entry) }
        if !topicsState.members.isEmpty { newState["topics"] = .object(topicsState) }
        return Outcome(output: .object(output), state: .object(newState))
    }
}
