/// Writes resources in the rule-file format of docs/rule-files.md, the inverse of the
/// workspace validator: what `eventrouter export rules` writes, read back by `run` into the
/// same resources. Values are written as `validate` reads them (queue attributes as SQS's
/// strings, policies as JSON text).
public enum RuleFileWriter {
    /// A `Rules` entry; `nil` for a rule with no event pattern (a schedule-only rule: rule
    /// files have no `ScheduleExpression`).
    public static func rule(_ rule: RuleDefinition) -> JSONValue? {
        guard let text = rule.patternText, let pattern = try? JSONParser.parse(text) else { return nil }
        var o = JSONObject()
        o["Name"] = .string(rule.name)
        if rule.busName != RouterDefaults.defaultBusName { o["EventBusName"] = .string(rule.busName) }
        if !rule.enabled { o["State"] = "DISABLED" }
        o["EventPattern"] = pattern
        if let description = rule.description { o["Description"] = .string(description) }
        if let creator = rule.createdBy { o["CreatedBy"] = .string(creator) }
        if !rule.targets.isEmpty { o["Targets"] = .array(rule.targets.map(target)) }
        return .object(o)
    }

    /// A rule's `Targets` entry (the members `PutTargets` takes).
    public static func target(_ target: TargetDefinition) -> JSONValue {
        var o = JSONObject()
        o["Id"] = .string(target.id)
        o["Arn"] = .string(target.arn)
        switch target.input {
        case .event: break
        case .constant(let text): o["Input"] = .string(text)
        case .path(let path): o["InputPath"] = .string(path.text)
        case .transformer(let t):
            let map = JSONObject(t.pathsMap.keys.sorted().map { .init(key: $0, value: .string(t.pathsMap[$0]?.text ?? "")) })
            o["InputTransformer"] = ["InputPathsMap": .object(map), "InputTemplate": .string(t.template)]
        }
        if target.retryPolicy != RetryPolicy() {
            o["RetryPolicy"] = ["MaximumRetryAttempts": .number(JSONNumber(target.retryPolicy.maximumRetryAttempts)),
                                "MaximumEventAgeInSeconds": .number(JSONNumber(target.retryPolicy.maximumEventAgeInSeconds))]
        }
        if let dlq = target.deadLetterArn { o["DeadLetterConfig"] = ["Arn": .string(dlq)] }
        if let group = target.messageGroupId { o["SqsParameters"] = ["MessageGroupId": .string(group)] }
        if let key = target.partitionKeyPath { o["KinesisParameters"] = ["PartitionKeyPath": .string(key)] }
        if let http = target.httpParameters { o["HttpParameters"] = http.json }
        return .object(o)
    }

    /// A `Queues` entry: `QueueName` and every settable attribute as SQS returns it.
    public static func queue(_ c: QueueConfiguration) -> JSONValue {
        var o = JSONObject()
        o["QueueName"] = .string(c.name)
        for (name, value) in c.sqsAttributes where QueueConfiguration.settableAttributeNames.contains(name) { o[name] = .string(value) }
        return .object(o)
    }

    /// A `Topics` entry with its confirmed `sqs` and `lambda` subscriptions (others cannot be declared in files).
    public static func topic(_ c: TopicConfiguration) -> JSONValue {
        var o = JSONObject()
        o["TopicName"] = .string(c.name)
        if c.fifo { o["FifoTopic"] = true }
        if c.contentBasedDeduplication { o["ContentBasedDeduplication"] = true }
        var subscriptions: [JSONValue] = []
        for s in c.subscriptions where (s.endpointProtocol == .sqs || s.endpointProtocol == .lambda) && !s.pendingConfirmation {
            var e = JSONObject()
            e["Protocol"] = .string(s.endpointProtocol.rawValue)
            e["Endpoint"] = .string(s.endpoint)
            if let policy = s.filterPolicy {
                e["FilterPolicy"] = policy.json
                if policy.scope != .messageAttributes { e["FilterPolicyScope"] = .string(policy.scope.rawValue) }
            }
            if s.rawMessageDelivery { e["RawMessageDelivery"] = true }
            if let dlq = s.deadLetterTargetArn { e["RedrivePolicy"] = ["deadLetterTargetArn": .string(dlq)] }
            subscriptions.append(.object(e))
        }
        if !subscriptions.isEmpty { o["Subscription"] = .array(subscriptions) }
        return .object(o)
    }

    /// A `Streams` entry.
    public static func stream(_ c: StreamConfiguration) -> JSONValue {
        ["Name": .string(c.name), "ShardCount": .number(JSONNumber(c.shardCount)), "RetentionPeriodHours": .number(JSONNumber(c.retentionPeriodHours))]
    }
}
