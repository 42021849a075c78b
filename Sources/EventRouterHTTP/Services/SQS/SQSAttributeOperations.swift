import EventRouter

/// GetQueueAttributes, SetQueueAttributes, AddPermission and RemovePermission. Attribute values
/// are read by the same reader as a workspace's `Queues` entries
/// (``QueueConfiguration/applying(attributes:maximumMessageSizeLimit:)``), so the API and
/// `eventrouter validate` accept the same values with the same words.
extension SQSService {
    /// The names `GetQueueAttributes` knows (besides `All`).
    static let queueAttributeNames: [String] = [
        "Policy", "VisibilityTimeout", "MaximumMessageSize", "MessageRetentionPeriod", "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible", "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn",
        "ApproximateNumberOfMessagesDelayed", "DelaySeconds", "ReceiveMessageWaitTimeSeconds", "RedrivePolicy", "FifoQueue",
        "ContentBasedDeduplication", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "DeduplicationScope",
        "FifoThroughputLimit", "RedriveAllowPolicy", "SqsManagedSseEnabled",
    ]

    func getQueueAttributes(_ r: SQSRequest) async throws(AWSError) -> JSONObject? {
        let names = try r.input.strings("AttributeNames") ?? []
        for name in names where name != "All" && !Self.queueAttributeNames.contains(name) {
            throw Self.unknownAttribute(name, among: Self.queueAttributeNames + ["All"])
        }
        let queue = try r.queue()
        let configuration = queue.configuration
        let statistics = try await SQSErrors.mapping { () async throws(QueueError) in try await queue.statistics() }
        let metadata = queue.currentMetadata
        var all = configuration.sqsAttributes
        all += [
            ("ApproximateNumberOfMessages", String(statistics.visible)),
            ("ApproximateNumberOfMessagesNotVisible", String(statistics.notVisible)),
            ("ApproximateNumberOfMessagesDelayed", String(statistics.delayed)),
            ("CreatedTimestamp", String(metadata.created.millisecondsSinceEpoch / 1000)),
            ("LastModifiedTimestamp", String(metadata.lastModified.millisecondsSinceEpoch / 1000)),
        ]
        var defaults: [(String, String)] = [("SqsManagedSseEnabled", configuration.storedAttributes["KmsMasterKeyId"] == nil ? "true" : "false")]
        if configuration.fifo { defaults += [("DeduplicationScope", "queue"), ("FifoThroughputLimit", "perQueue")] }
        for (name, value) in defaults where configuration.storedAttributes[name] == nil { all.append((name, value)) }
        var map = JSONObject()
        for (name, value) in all where names.contains("All") || names.contains(name) { map[name] = .string(value) }
        return map.isEmpty ? [:] : ["Attributes": .object(map)]
    }

    func setQueueAttributes(_ r: SQSRequest) throws(AWSError) -> JSONObject? {
        let queue = try r.queue()
        let attributes = try r.input.stringMap("Attributes", required: true) ?? []
        try SQSErrors.mapping { () throws(QueueError) in
            let changed = try queue.configuration.applying(attributes: attributes, maximumMessageSizeLimit: r.queues.maximumMessageSizeLimit)
            try r.queues.setAttributes(of: queue, to: changed)
        }
        return nil
    }

    /// `AddPermission`: a statement `Label` allowing the accounts the actions, added to `Policy`.
    func addPermission(_ r: SQSRequest) throws(AWSError) -> JSONObject? {
        let queue = try r.queue()
        let label = try r.input.string("Label", required: true) ?? ""
        let accounts = try r.input.strings("AWSAccountIds", required: true) ?? []
        let actions = try r.input.strings("Actions", required: true) ?? []
        guard !accounts.isEmpty, !actions.isEmpty else { throw SQSErrors.missing(accounts.isEmpty ? "AWSAccountIds" : "Actions") }
        var statements = Self.statements(of: queue)
        if statements.contains(where: { $0.objectValue?["Sid"]?.stringValue == label }) {
            throw SQSErrors.invalid("Label", label, "Already exists: use another label, or RemovePermission first.")
        }
        let principals: [JSONValue] = accounts.map { .string("arn:aws:iam::\($0):root") }
        statements.append(["Sid": .string(label), "Effect": "Allow", "Principal": ["AWS": .array(principals)],
                           "Action": .array(actions.map { .string($0.hasPrefix("SQS:") ? $0 : "SQS:\($0)") }), "Resource": .string(queue.arn)])
        try setPolicy(statements, of: queue, r)
        return nil
    }

    /// `RemovePermission`: removes the statement `Label` from `Policy`.
    func removePermission(_ r: SQSRequest) throws(AWSError) -> JSONObject? {
        let queue = try r.queue()
        let label = try r.input.string("Label", required: true) ?? ""
        var statements = Self.statements(of: queue)
        guard let index = statements.firstIndex(where: { $0.objectValue?["Sid"]?.stringValue == label }) else {
            throw SQSErrors.invalid("Label", label, "can't find label on existing policy: use a Label that AddPermission added.")
        }
        statements.remove(at: index)
        try setPolicy(statements, of: queue, r)
        return nil
    }

    private static func statements(of queue: MessageQueue) -> [JSONValue] {
        guard let text = queue.configuration.policy, let policy = try? JSONValue(parsing: text) else { return [] }
        return policy["Statement"]?.arrayValue ?? []
    }

    private func setPolicy(_ statements: [JSONValue], of queue: MessageQueue, _ r: SQSRequest) throws(AWSError) {
        let policy: JSONValue = ["Version": "2012-10-17", "Id": .string("\(queue.arn)/SQSDefaultPolicy"), "Statement": .array(statements)]
        try SQSErrors.mapping { () throws(QueueError) in
            var changed = queue.configuration
            changed.policy = statements.isEmpty ? nil : policy.jsonText
            try r.queues.setAttributes(of: queue, to: changed)
        }
    }

    /// `InvalidAttributeName`: `Unknown Attribute NAME.`, with the likely intended name.
    static func unknownAttribute(_ name: String, among known: [String]) -> AWSError {
        let hint = DidYouMean.suggestion(for: name, among: known).map { " (did you mean '\($0)'?)" } ?? ""
        return SQSErrors.error("InvalidAttributeName", "Unknown Attribute \(name).\(hint) Known attributes: \(known.joined(separator: ", ")).")
    }
}
