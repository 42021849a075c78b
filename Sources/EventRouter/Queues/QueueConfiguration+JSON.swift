extension QueueConfiguration {
    /// Keys of a `Queues` entry that are accepted and ignored (CloudFormation properties with no local effect).
    static let ignoredKeys: Set<String> = ["Tags"]
    /// Attributes SQS keeps and returns without a local effect (``storedAttributes``).
    public static let storedKeys: Set<String> = [
        "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled", "DeduplicationScope", "FifoThroughputLimit",
    ]
    /// The attributes `CreateQueue` and `SetQueueAttributes` accept (SQS's settable names).
    public static let settableAttributeNames: Set<String> = storedKeys.union([
        "FifoQueue", "ContentBasedDeduplication", "VisibilityTimeout", "DelaySeconds", "MessageRetentionPeriod",
        "MaximumMessageSize", "ReceiveMessageWaitTimeSeconds", "RedrivePolicy", "RedriveAllowPolicy", "Policy",
    ])
    static let knownKeys: Set<String> = settableAttributeNames.union(["QueueName", "Account", "Region"])

    /// Builds a configuration from a rule file's `Queues` entry (CloudFormation property names).
    ///
    /// Numbers may be JSON numbers or numeric strings; `RedrivePolicy` and `RedriveAllowPolicy`
    /// may be objects or JSON strings (as SQS's attributes are). `Account`/`Region` in the entry
    /// override the file's defaults.
    /// - Parameters:
    ///   - json: the entry, e.g. `{"QueueName": "orders", "VisibilityTimeout": 60}`.
    ///   - account: the file's default account.
    ///   - region: the file's default region.
    ///   - maximumMessageSizeLimit: the largest `MaximumMessageSize` accepted (default 262144).
    /// - Throws: ``QueueError`` naming the key, its value and what is allowed.
    public init(json: JSONObject, account: String, region: String, maximumMessageSizeLimit: Int = QueueConfiguration.defaultMaximumMessageSizeLimit) throws(QueueError) {
        let label = json["QueueName"]?.stringValue.map { "queue '\($0)'" } ?? "a Queues entry"
        for key in json.keys where !Self.knownKeys.contains(key) && !Self.ignoredKeys.contains(key) {
            throw QueueError(.invalidAttributeName, "Unknown key '\(key)' in \(label): use one of \(Self.knownKeys.sorted().joined(separator: ", ")).")
        }
        guard let nameValue = json["QueueName"] else {
            throw QueueError(.missingParameter, "\(label.prefix(1).uppercased() + label.dropFirst()) has no QueueName: add \"QueueName\": \"NAME\".")
        }
        guard let name = nameValue.stringValue else {
            throw QueueError(.invalidAttributeValue, "QueueName of \(label) is a \(nameValue.kindName): write the name as a string.")
        }
        let owner = try Self.string(json, "Account", label) ?? account
        let where_ = try Self.string(json, "Region", label) ?? region
        let fifo = try Self.bool(json, "FifoQueue", label) ?? name.hasSuffix(".fifo")
        self.init(name: name, account: owner, region: where_, fifo: fifo)
        if fifo && !name.hasSuffix(".fifo") && json["FifoQueue"] != nil {
            throw QueueError(.invalidAttributeValue, "Queue '\(name)' sets FifoQueue true but its QueueName does not end in .fifo: rename it to '\(name).fifo'.")
        }
        contentBasedDeduplication = try Self.bool(json, "ContentBasedDeduplication", label) ?? false
        visibilityTimeout = try Self.int(json, "VisibilityTimeout", label) ?? visibilityTimeout
        delaySeconds = try Self.int(json, "DelaySeconds", label) ?? delaySeconds
        messageRetentionPeriod = try Self.int(json, "MessageRetentionPeriod", label) ?? messageRetentionPeriod
        maximumMessageSize = try Self.int(json, "MaximumMessageSize", label) ?? maximumMessageSize
        receiveMessageWaitTimeSeconds = try Self.int(json, "ReceiveMessageWaitTimeSeconds", label) ?? receiveMessageWaitTimeSeconds
        if let value = json["RedrivePolicy"] {
            redrivePolicy = try Self.redrivePolicy(value, label)
        }
        if let value = json["RedriveAllowPolicy"] {
            redriveAllowPolicy = try Self.redriveAllowPolicy(value, label)
        }
        if let value = json["Policy"] {
            if value.stringValue == "" {
                policy = nil
            } else {
                _ = try Self.objectOrString(value, "Policy", label)
                policy = value.stringValue ?? value.jsonText
            }
        }
        for key in Self.storedKeys.sorted() {
            guard let value = json[key] else { continue }
            guard let text = value.stringValue ?? (value.intValue.map { String($0) }) ?? (value.boolValue.map { String($0) }) else {
                throw QueueError(.invalidAttributeValue, "\(key) of \(label) is a \(value.kindName): write it as a string.")
            }
            storedAttributes[key] = text
        }
        try validate(maximumMessageSizeLimit: maximumMessageSizeLimit)
    }

    static func string(_ json: JSONObject, _ key: String, _ label: String) throws(QueueError) -> String? {
        guard let value = json[key] else { return nil }
        guard let s = value.stringValue else {
            throw QueueError(.invalidAttributeValue, "\(key) of \(label) is a \(value.kindName): write it as a string.")
        }
        return s
    }

    static func bool(_ json: JSONObject, _ key: String, _ label: String) throws(QueueError) -> Bool? {
        guard let value = json[key] else { return nil }
        if let b = value.boolValue { return b }
        if value.stringValue == "true" { return true }
        if value.stringValue == "false" { return false }
        throw QueueError(.invalidAttributeValue, "\(key) of \(label) is \(value.jsonText): use true or false.")
    }

    static func int(_ json: JSONObject, _ key: String, _ label: String) throws(QueueError) -> Int? {
        guard let value = json[key] else { return nil }
        if let i = value.intValue { return i }
        if let s = value.stringValue, let i = Int(s) { return i }
        throw QueueError(.invalidAttributeValue, "\(key) of \(label) is \(value.jsonText): use a whole number of \(key == "MaximumMessageSize" ? "bytes" : "seconds").")
    }

    /// An object, or a JSON string holding one (SQS's attribute form).
    static func objectOrString(_ value: JSONValue, _ key: String, _ label: String) throws(QueueError) -> JSONObject {
        if let object = value.objectValue { return object }
        if let text = value.stringValue {
            do {
                if let object = try JSONParser.parse(text).objectValue { return object }
            } catch {
                throw QueueError(.invalidAttributeValue, "\(key) of \(label) is a string that is not valid JSON (\(error)): write it as an object.")
            }
        }
        throw QueueError(.invalidAttributeValue, "\(key) of \(label) is a \(value.kindName): write it as an object.")
    }

    static func redrivePolicy(_ value: JSONValue, _ label: String) throws(QueueError) -> RedrivePolicy {
        let object = try objectOrString(value, "RedrivePolicy", label)
        for key in object.keys where key != "deadLetterTargetArn" && key != "maxReceiveCount" {
            throw QueueError(.invalidAttributeName, "Unknown key '\(key)' in RedrivePolicy of \(label): use deadLetterTargetArn and maxReceiveCount.")
        }
        guard let arn = object["deadLetterTargetArn"]?.stringValue else {
            throw QueueError(.missingParameter, "RedrivePolicy of \(label) has no deadLetterTargetArn string: add \"deadLetterTargetArn\": \"arn:aws:sqs:REGION:ACCOUNT:NAME\".")
        }
        guard let countValue = object["maxReceiveCount"] else {
            throw QueueError(.missingParameter, "RedrivePolicy of \(label) has no maxReceiveCount: add \"maxReceiveCount\" between 1 and 1000.")
        }
        guard let count = countValue.intValue ?? countValue.stringValue.flatMap({ Int($0) }) else {
            throw QueueError(.invalidAttributeValue, "RedrivePolicy.maxReceiveCount of \(label) is \(countValue.jsonText): use a whole number between 1 and 1000.")
        }
        return RedrivePolicy(deadLetterTargetArn: arn, maxReceiveCount: count)
    }

    static func redriveAllowPolicy(_ value: JSONValue, _ label: String) throws(QueueError) -> RedriveAllowPolicy {
        let object = try objectOrString(value, "RedriveAllowPolicy", label)
        for key in object.keys where key != "redrivePermission" && key != "sourceQueueArns" {
            throw QueueError(.invalidAttributeName, "Unknown key '\(key)' in RedriveAllowPolicy of \(label): use redrivePermission and sourceQueueArns.")
        }
        let permission = object["redrivePermission"]?.stringValue
        let arns = object["sourceQueueArns"]
        switch permission {
        case "allowAll", "denyAll":
            if arns != nil {
                throw QueueError(.invalidAttributeValue, "RedriveAllowPolicy of \(label) lists sourceQueueArns with redrivePermission \(permission ?? ""): use redrivePermission byQueue or remove sourceQueueArns.")
            }
            return permission == "allowAll" ? .allowAll : .denyAll
        case "byQueue":
            guard let list = arns?.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else {
                throw QueueError(.invalidAttributeValue, "RedriveAllowPolicy of \(label) has redrivePermission byQueue without a sourceQueueArns array of strings: add \"sourceQueueArns\": [\"arn:aws:sqs:…\"] (1 to 10).")
            }
            return .byQueue(list.compactMap(\.stringValue))
        default:
            throw QueueError(.invalidAttributeValue, "RedriveAllowPolicy.redrivePermission of \(label) is \(object["redrivePermission"]?.jsonText ?? "missing"): use \"allowAll\", \"denyAll\" or \"byQueue\".")
        }
    }
}
