/// The logic of `eventrouter queue …`: one SQS-style operation on a queue of a state file
/// (the `replay --state-out` format), answered in SQS's JSON response shapes.
///
/// The command reads the file, rebuilds the queues with ``QueueRegistry/restore(stateJSON:)``
/// on a clock set to the state's `SnapshotTimestamp` (so a `--virtual-time` snapshot reads
/// as it was written), applies the action and returns the new state with `"queues"` replaced
/// (every other key is kept).
public enum QueueStateFileOperations {
    /// One operation.
    public enum Action: Sendable {
        /// `CreateQueue` from a `Queues` entry (CloudFormation names); the queue name comes from `--queue`.
        case create(attributes: JSONObject)
        /// `SendMessage`.
        case send(body: String, attributes: [String: MessageAttributeValue], delaySeconds: Int?, groupId: String?, deduplicationId: String?)
        /// `ReceiveMessage`; on a manual clock a wait jumps the clock to the next visibility change.
        case receive(maxNumberOfMessages: Int, visibilityTimeout: Int?, waitTimeSeconds: Int?)
        /// `DeleteMessage`.
        case delete(receiptHandle: String)
        /// `ChangeMessageVisibility`.
        case changeVisibility(receiptHandle: String, visibilityTimeout: Int)
        /// `PurgeQueue`.
        case purge
        /// `GetQueueAttributes` for the approximate counts and configuration.
        case stats
        /// `StartMessageMoveTask` from this (dead-letter) queue back to the sources, or to `destination`.
        case redrive(destination: String?, maxNumberOfMessages: Int?)

        /// Whether the action changes the state (receive does: visibility and receive counts).
        public var mutates: Bool {
            if case .stats = self { return false }
            return true
        }
    }

    /// The answer to print and the state to write back.
    public struct Outcome: Sendable {
        public var output: JSONValue
        public var state: JSONValue
    }

    /// Parses a state file's text; a missing file (`nil`) is an empty state.
    /// - Throws: ``QueueError`` naming the file and the problem.
    public static func parseState(_ text: String?, file: String) throws(QueueError) -> JSONValue {
        guard let text else { return ["queues": [:]] }
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw QueueError(.invalidParameterValue, "State file \(file) is not valid JSON (\(error)): pass a file written by 'eventrouter replay --state-out'.")
        }
        guard value.objectValue != nil else {
            throw QueueError(.invalidParameterValue, "State file \(file) holds a JSON \(value.kindName): it must be a JSON object with a \"queues\" key.")
        }
        return value
    }

    /// The time the state was written (its latest `SnapshotTimestamp`), if recorded.
    /// - Throws: ``QueueError`` when a recorded time is outside ``Timestamp/supportedRange``.
    public static func snapshotTime(in state: JSONValue) throws(QueueError) -> Timestamp? {
        guard let queues = state["queues"] else { return nil }
        return try QueueRegistry.snapshotTime(in: queues)
    }

    /// Applies `action` to the queue `queue` (name or ARN) of `state`.
    /// - Parameters:
    ///   - account, region: used to build the ARN when `create` gets a bare name.
    /// - Throws: ``QueueError`` with SQS's code and what to change.
    ///   - seed: fixes message ids and receipt handles; `nil` (the command line) draws a fresh
    ///     random seed, so ids are unique across commands and processes.
    public static func run(
        _ action: Action, queue name: String, state: JSONValue, clock: any EventClock,
        account: String = "123456789012", region: String = "us-east-1", seed: UInt64? = nil
    ) async throws(QueueError) -> Outcome {
        let registry = QueueRegistry(clock: clock, seed: seed ?? UInt64.random(in: .min ... .max))
        try registry.restore(stateJSON: state["queues"] ?? [:])
        let output: JSONValue
        switch action {
        case .create(let attributes):
            var json = attributes
            let parts = ARN(queue: name)
            json["QueueName"] = .string(parts?.name ?? name)
            let configuration = try QueueConfiguration(json: json, account: parts?.account ?? account, region: parts?.region ?? region)
            let queue = try registry.createQueue(configuration)
            try registry.validateRedrivePolicies()
            output = ["QueueArn": .string(queue.arn)]
        case .send(let body, let attributes, let delay, let group, let dedup):
            let r = try await registry.queue(named: name).sendMessage(body: body, attributes: attributes, delaySeconds: delay, groupId: group, deduplicationId: dedup)
            var o = JSONObject()
            o["MessageId"] = .string(r.messageId)
            if let s = r.sequenceNumber { o["SequenceNumber"] = .string(s) }
            output = .object(o)
        case .receive(let max, let visibility, let wait):
            let queue = try registry.queue(named: name)
            let messages = try await receive(queue, max, visibility, wait)
            output = ["Messages": .array(messages.map(encode))]
        case .delete(let handle):
            let deleted = try await registry.queue(named: name).deleteMessage(receiptHandle: handle)
            output = ["Deleted": .bool(deleted)]
        case .changeVisibility(let handle, let timeout):
            try await registry.queue(named: name).changeMessageVisibility(receiptHandle: handle, visibilityTimeout: timeout)
            output = ["VisibilityTimeout": .number(JSONNumber(timeout))]
        case .purge:
            let count = try await registry.queue(named: name).purge()
            output = ["Purged": .number(JSONNumber(count))]
        case .stats:
            let queue = try registry.queue(named: name)
            _ = try await queue.statistics()
            output = ["Attributes": queue.stateJSON()["Attributes"] ?? [:]]
        case .redrive(let destination, let max):
            let r = try await registry.startMessageMoveTask(sourceArn: name, destinationArn: destination, maxNumberOfMessages: max)
            var moved = JSONObject()
            for (arn, n) in r.byDestination.sorted(by: { $0.key < $1.key }) { moved[arn] = .number(JSONNumber(n)) }
            output = ["ApproximateNumberOfMessagesMoved": .number(JSONNumber(r.moved)), "Failed": .number(JSONNumber(r.failed)), "Destinations": .object(moved)]
        }
        var newState = state.objectValue ?? JSONObject()
        newState["queues"] = registry.stateJSON()
        return Outcome(output: output, state: .object(newState))
    }

    /// On a manual clock, long polling jumps the clock to the next visibility change within the wait
    /// (a ``TimeDriver`` does it).
    static func receive(_ queue: MessageQueue, _ max: Int, _ visibility: Int?, _ wait: Int?) async throws(QueueError) -> [ReceivedMessage] {
        guard let manual = queue.clock as? ManualClock else {
            return try await queue.receiveMessages(maxNumberOfMessages: max, visibilityTimeout: visibility, waitTimeSeconds: wait)
        }
        let waitSeconds = wait ?? queue.configuration.receiveMessageWaitTimeSeconds
        guard (0...20).contains(waitSeconds) else {
            throw QueueError.invalidValue("WaitTimeSeconds", String(waitSeconds), "must be between 0 and 20 seconds, if provided.")
        }
        return try await LongPollOnVirtualTime.receive(queue, on: manual, maximumMessages: max, visibilityTimeout: visibility,
                                                       waitSeconds: waitSeconds)
    }

    /// A received message in SQS's `ReceiveMessage` response shape.
    public static func encode(_ m: ReceivedMessage) -> JSONValue {
        var attrs = JSONObject()
        for (k, v) in m.attributes.sorted(by: { $0.key < $1.key }) { attrs[k] = .string(v) }
        var messageAttributes = JSONObject()
        for (k, v) in m.messageAttributes.sorted(by: { $0.key < $1.key }) {
            var a = JSONObject()
            a["DataType"] = .string(v.dataType)
            if let s = v.stringValue { a["StringValue"] = .string(s) }
            if let b = v.binaryValue { a["BinaryValue"] = .string(Base64.encode(b)) }
            messageAttributes[k] = .object(a)
        }
        var o = JSONObject()
        o["MessageId"] = .string(m.messageId)
        o["ReceiptHandle"] = .string(m.receiptHandle)
        o["Body"] = .string(m.body)
        o["Attributes"] = .object(attrs)
        o["MessageAttributes"] = .object(messageAttributes)
        return .object(o)
    }

    /// Parses `--attribute NAME=VALUE` (String), `NAME:Number=VALUE`, `NAME:Binary=BASE64`.
    /// - Throws: ``QueueError`` `InvalidParameterValue` saying the accepted forms.
    public static func parseAttribute(_ text: String) throws(QueueError) -> (String, MessageAttributeValue) {
        guard let eq = text.firstIndex(of: "=") else {
            throw QueueError(.invalidParameterValue, "--attribute '\(text)' has no '=': write NAME=VALUE, NAME:Number=VALUE or NAME:Binary=BASE64.")
        }
        let left = text[..<eq], value = String(text[text.index(after: eq)...])
        let parts = left.split(separator: ":", maxSplits: 1)
        let name = String(parts.first ?? "")
        let type = parts.count > 1 ? String(parts[1]) : "String"
        if type.hasPrefix("Binary") {
            guard let bytes = Base64.decode(value) else {
                throw QueueError(.invalidParameterValue, "--attribute \(name): the Binary value is not base64: encode the bytes as base64.")
            }
            return (name, MessageAttributeValue(dataType: type, binaryValue: bytes))
        }
        return (name, MessageAttributeValue(dataType: type, stringValue: value))
    }
}
