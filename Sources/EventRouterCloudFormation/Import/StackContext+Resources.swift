import EventRouter

/// EventBridge, SQS, SNS and Kinesis resources → rule-file entries.
extension StackContext {
    func add(_ section: String, _ object: JSONObject, to draft: inout WorkspaceDraft) {
        draft.entries.append(WorkspaceDraft.Entry(stack: stackName, account: account, region: region, section: section, object: object))
    }

    func ignore(_ r: Resource, _ p: Props, keeping kept: Set<String>, into draft: inout WorkspaceDraft) {
        let ignored = p.json.keys.filter { !kept.contains($0) && $0 != "Tags" }
        if !ignored.isEmpty {
            draft.note("Ignored properties", "\(stackName)/\(r.logicalId) (\(r.type)): \(ignored.joined(separator: ", "))")
        }
    }

    func busArn(_ nameOrArn: String) -> String {
        nameOrArn.hasPrefix("arn:") ? nameOrArn : "arn:aws:events:\(region):\(account):event-bus/\(nameOrArn)"
    }

    static let ruleTargetKeys: Set<String> = ["Id", "Arn", "Input", "InputPath", "InputTransformer", "RetryPolicy", "DeadLetterConfig", "SqsParameters", "KinesisParameters",
                                              "HttpParameters"]

    /// A rule entry from CloudFormation's rule properties (shared by `AWS::Events::Rule` and SAM events).
    func ruleTargets(_ targets: [JSONValue], ruleName: String, node: TemplateNode?, into draft: inout WorkspaceDraft) -> [JSONValue] {
        var out: [JSONValue] = []
        for (n, t) in targets.enumerated() {
            guard var o = t.objectValue else {
                problem("Targets[\(n)] must be a mapping, not a \(t.kindName)", at: node)
                continue
            }
            let dropped = o.keys.filter { !Self.ruleTargetKeys.contains($0) && $0 != "RoleArn" }
            if !dropped.isEmpty { draft.note("Ignored properties", "\(stackName)/\(current ?? "") rule \(ruleName) target \(o["Id"]?.stringValue ?? "?"): \(dropped.joined(separator: ", "))") }
            o.members.removeAll { !Self.ruleTargetKeys.contains($0.key) }
            if let input = o["Input"], input.stringValue == nil { o["Input"] = .string(input.jsonText) }
            if o["Id"]?.stringValue == nil { problem("Targets[\(n)].Id must be a string", at: node) }
            if o["Arn"]?.stringValue == nil { problem("Targets[\(n)].Arn must be a string", at: node) }
            out.append(.object(o))
        }
        return out
    }

    func importRule(_ r: Resource, into draft: inout WorkspaceDraft) {
        let p = props(r)
        var rule = JSONObject()
        let name = physicalName(r.logicalId)
        rule["Name"] = .string(name)
        if let bus = p.string("EventBusName") { rule["EventBusName"] = .string(bus) }
        if let state = p.string("State") { rule["State"] = .string(state) }
        if let pattern = p.value("EventPattern") {
            if pattern.objectValue != nil || pattern.stringValue != nil { rule["EventPattern"] = pattern }
            else { problem("property EventPattern must be a mapping or JSON text, not a \(pattern.kindName)", at: p.line("EventPattern")) }
        }
        if let schedule = p.string("ScheduleExpression") { rule["ScheduleExpression"] = .string(schedule) }
        if rule["EventPattern"] == nil && rule["ScheduleExpression"] == nil {
            problem("a rule needs EventPattern or ScheduleExpression", at: TemplateNode(.null, line: r.line))
        }
        if let d = p.string("Description") { rule["Description"] = .string(d) }
        rule["Targets"] = .array(ruleTargets(p.list("Targets") ?? [], ruleName: name, node: p.line("Targets"), into: &draft))
        ignore(r, p, keeping: ["Name", "EventBusName", "State", "EventPattern", "ScheduleExpression", "Description", "Targets", "RoleArn"], into: &draft)
        add("Rules", rule, to: &draft)
    }

    func importBus(_ r: Resource, into draft: inout WorkspaceDraft) {
        let p = props(r)
        var bus = JSONObject()
        bus["Name"] = .string(physicalName(r.logicalId))
        if let policy = p.objectOrJSONText("Policy") { bus["Policy"] = policy }
        if let d = p.string("Description") { bus["Description"] = .string(d) }
        if p.value("EventSourceName") != nil { draft.note("Notes", "\(stackName)/\(r.logicalId): EventSourceName (a partner bus) is not run; the bus is a custom bus") }
        ignore(r, p, keeping: ["Name", "Policy", "Description", "EventSourceName"], into: &draft)
        add("EventBuses", bus, to: &draft)
    }

    func importBusPolicy(_ r: Resource, into draft: inout WorkspaceDraft) {
        let p = props(r)
        let busName = p.string("EventBusName") ?? "default"
        let arn = busArn(busName)
        let sid = p.string("StatementId") ?? r.logicalId
        var statement: JSONObject
        if let s = p.object("Statement") {
            statement = s
        } else {
            statement = JSONObject()
            statement["Effect"] = "Allow"
            if let principal = p.string("Principal") {
                statement["Principal"] = principal == "*" ? "*" : ["AWS": .string(principal.count == 12 ? "arn:aws:iam::\(principal):root" : principal)]
            } else {
                problem("an EventBusPolicy needs Statement, or Action and Principal", at: TemplateNode(.null, line: r.line))
            }
            statement["Action"] = .string(p.string("Action") ?? "events:PutEvents")
            if let c = p.object("Condition") {
                if let type = c["Type"]?.stringValue, let key = c["Key"]?.stringValue, let value = c["Value"] {
                    statement["Condition"] = .object(JSONObject([JSONObject.Member(key: type, value: .object(JSONObject([JSONObject.Member(key: key, value: value)])))]))
                } else {
                    problem("Condition of an EventBusPolicy has Type, Key and Value", at: p.line("Condition"))
                }
            }
        }
        if statement["Sid"] == nil { statement.members.insert(JSONObject.Member(key: "Sid", value: .string(sid)), at: 0) }
        if statement["Resource"] == nil { statement["Resource"] = .string(arn) }
        draft.busStatements.append((arn, .object(statement)))
    }

    func importArchive(_ r: Resource, into draft: inout WorkspaceDraft) {
        let p = props(r)
        var archive = JSONObject()
        archive["ArchiveName"] = .string(physicalName(r.logicalId))
        if let source = p.string("SourceArn") { archive["EventSourceArn"] = .string(source) }
        else { problem("an Archive needs SourceArn (the bus it archives)", at: TemplateNode(.null, line: r.line)) }
        if let pattern = p.value("EventPattern") { archive["EventPattern"] = pattern }
        if let days = p.int("RetentionDays") { archive["RetentionDays"] = .number(JSONNumber(days)) }
        if let d = p.string("Description") { archive["Description"] = .string(d) }
        ignore(r, p, keeping: ["ArchiveName", "SourceArn", "EventPattern", "RetentionDays", "Description"], into: &draft)
        add("Archives", archive, to: &draft)
    }

    static let queueKeys: Set<String> = [
        "FifoQueue", "ContentBasedDeduplication", "VisibilityTimeout", "DelaySeconds", "MessageRetentionPeriod", "MaximumMessageSize",
        "ReceiveMessageWaitTimeSeconds", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
        "SqsManagedSseEnabled", "DeduplicationScope", "FifoThroughputLimit",
    ]

    func importQueue(_ r: Resource, into draft: inout WorkspaceDraft) {
        let p = props(r)
        var queue = JSONObject()
        queue["QueueName"] = .string(physicalName(r.logicalId))
        for key in ["FifoQueue", "ContentBasedDeduplication", "SqsManagedSseEnabled"] { if let b = p.bool(key) { queue[key] = .bool(b) } }
        for key in ["VisibilityTimeout", "DelaySeconds", "MessageRetentionPeriod", "MaximumMessageSize", "ReceiveMessageWaitTimeSeconds", "KmsDataKeyReusePeriodSeconds"] {
            if let i = p.int(key) { queue[key] = .number(JSONNumber(i)) }
        }
        for key in ["KmsMasterKeyId", "DeduplicationScope", "FifoThroughputLimit"] { if let s = p.string(key) { queue[key] = .string(s) } }
        for key in ["RedrivePolicy", "RedriveAllowPolicy"] {
            if let v = p.objectOrJSONText(key), var o = v.objectValue {
                if let n = o["maxReceiveCount"]?.stringValue, let i = Int(n) { o["maxReceiveCount"] = .number(JSONNumber(i)) }
                queue[key] = .object(o)
            }
        }
        ignore(r, p, keeping: Self.queueKeys.union(["QueueName"]), into: &draft)
        add("Queues", queue, to: &draft)
    }

    static let subscriptionKeys = ["Protocol", "Endpoint", "FilterPolicy", "FilterPolicyScope", "RawMessageDelivery", "RedrivePolicy"]

    func subscription(_ o: JSONObject, origin: String, node: TemplateNode?, into draft: inout WorkspaceDraft) -> JSONObject? {
        let protocolName = o["Protocol"]?.stringValue ?? ""
        guard protocolName == "sqs" || protocolName == "lambda" else {
            draft.note("Skipped resources", "\(origin): subscription with Protocol '\(protocolName)' (EventRouter delivers to sqs and lambda subscriptions)")
            return nil
        }
        var s = JSONObject()
        for key in Self.subscriptionKeys {
            guard var v = o[key] else { continue }
            if key == "FilterPolicy" || key == "RedrivePolicy", let text = v.stringValue, let parsed = try? JSONParser.parse(text) { v = parsed }
            if key == "RawMessageDelivery", let text = v.stringValue { v = .bool(text == "true") }
            s[key] = v
        }
        if s["Endpoint"]?.stringValue == nil { problem("a subscription needs an Endpoint string", at: node) }
        return s
    }

    func importTopic(_ r: Resource, into draft: inout WorkspaceDraft) {
        let p = props(r)
        var topic = JSONObject()
        topic["TopicName"] = .string(physicalName(r.logicalId))
        for key in ["FifoTopic", "ContentBasedDeduplication"] { if let b = p.bool(key) { topic[key] = .bool(b) } }
        var subs: [JSONValue] = []
        for (n, s) in (p.list("Subscription") ?? []).enumerated() {
            guard let o = s.objectValue else { problem("Subscription[\(n)] must be a mapping", at: p.line("Subscription")); continue }
            if let sub = subscription(o, origin: "\(stackName)/\(r.logicalId)", node: p.line("Subscription"), into: &draft) { subs.append(.object(sub)) }
        }
        if !subs.isEmpty { topic["Subscription"] = .array(subs) }
        ignore(r, p, keeping: ["TopicName", "FifoTopic", "ContentBasedDeduplication", "Subscription", "DisplayName"], into: &draft)
        add("Topics", topic, to: &draft)
    }

    func importSubscription(_ r: Resource, into draft: inout WorkspaceDraft) {
        let p = props(r)
        guard let topicArn = p.string("TopicArn") else {
            problem("a Subscription needs TopicArn", at: TemplateNode(.null, line: r.line))
            return
        }
        guard topicArn.hasPrefix("arn:") && topicArn.split(separator: ":").dropFirst(2).first == "sns" else {
            problem("TopicArn '\(topicArn)' is not a topic ARN", at: p.line("TopicArn"))
            return
        }
        if let sub = subscription(p.json, origin: "\(stackName)/\(r.logicalId)", node: r.properties, into: &draft) {
            draft.subscriptions.append((topicArn, sub, "\(stackName)/\(r.logicalId)"))
        }
    }

    /// `AWS::Events::Connection` → a `Connections` entry (the property names are the rule file's).
    func importConnection(_ r: Resource, into draft: inout WorkspaceDraft) {
        let p = props(r)
        var c = JSONObject()
        c["Name"] = .string(physicalName(r.logicalId))
        for key in ["Description", "AuthorizationType", "AuthParameters"] { if let v = p.value(key) { c[key] = v } }
        ignore(r, p, keeping: ["Name", "Description", "AuthorizationType", "AuthParameters"], into: &draft)
        add("Connections", c, to: &draft)
    }

    /// `AWS::Events::ApiDestination` → an `ApiDestinations` entry.
    func importApiDestination(_ r: Resource, into draft: inout WorkspaceDraft) {
        let p = props(r)
        var d = JSONObject()
        d["Name"] = .string(physicalName(r.logicalId))
        for key in ["Description", "ConnectionArn", "InvocationEndpoint", "HttpMethod", "InvocationRateLimitPerSecond"] { if let v = p.value(key) { d[key] = v } }
        ignore(r, p, keeping: ["Name", "Description", "ConnectionArn", "InvocationEndpoint", "HttpMethod", "InvocationRateLimitPerSecond"], into: &draft)
        add("ApiDestinations", d, to: &draft)
    }

    func importStream(_ r: Resource, into draft: inout WorkspaceDraft) {
        let p = props(r)
        var stream = JSONObject()
        stream["Name"] = .string(physicalName(r.logicalId))
        if let n = p.int("ShardCount") { stream["ShardCount"] = .number(JSONNumber(n)) }
        if let n = p.int("RetentionPeriodHours") { stream["RetentionPeriodHours"] = .number(JSONNumber(n)) }
        for key in ["StreamEncryption", "StreamModeDetails", "DesiredShardLevelMetrics"] { if let v = p.value(key) { stream[key] = v } }
        ignore(r, p, keeping: ["Name", "ShardCount", "RetentionPeriodHours", "StreamEncryption", "StreamModeDetails", "DesiredShardLevelMetrics"], into: &draft)
        add("Streams", stream, to: &draft)
    }

    static let mappingKeys = ["BatchSize", "MaximumBatchingWindowInSeconds", "StartingPosition", "StartingPositionTimestamp", "FunctionResponseTypes",
                              "BisectBatchOnFunctionError", "MaximumRetryAttempts", "MaximumRecordAgeInSeconds", "DestinationConfig", "Enabled"]

    /// An event source mapping entry from Lambda's (or SAM's) property names.
    func mapping(source: String, function: String, _ p: Props, origin: String, into draft: inout WorkspaceDraft) {
        var m = JSONObject()
        m["EventSourceArn"] = .string(source)
        m["FunctionName"] = .string(function)
        for key in Self.mappingKeys {
            guard let v = p.value(key) else { continue }
            switch key {
            case "BatchSize", "MaximumBatchingWindowInSeconds", "MaximumRetryAttempts", "MaximumRecordAgeInSeconds":
                if let i = p.int(key) { m[key] = .number(JSONNumber(i)) }
            case "BisectBatchOnFunctionError", "Enabled":
                if let b = p.bool(key) { m[key] = .bool(b) }
            default: m[key] = v
            }
        }
        let ignored = p.json.keys.filter { !Self.mappingKeys.contains($0) && !["EventSourceArn", "FunctionName", "Queue", "Stream", "Type"].contains($0) }
        if !ignored.isEmpty { draft.note("Ignored properties", "\(origin): \(ignored.joined(separator: ", "))") }
        add("EventSourceMappings", m, to: &draft)
    }

    func importEventSourceMapping(_ r: Resource, into draft: inout WorkspaceDraft) {
        let p = props(r)
        guard let source = p.string("EventSourceArn"), let function = p.string("FunctionName") else {
            problem("an EventSourceMapping needs EventSourceArn and FunctionName", at: TemplateNode(.null, line: r.line))
            return
        }
        mapping(source: source, function: function, p, origin: "\(stackName)/\(r.logicalId)", into: &draft)
    }
}
