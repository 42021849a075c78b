/// The one reader of queue attributes: a rule file's `Queues` entry, a state file's queue
/// `Attributes`, and `CreateQueue` / `SetQueueAttributes` on the wire all go through
/// ``read(_:at:account:region:maximumMessageSizeLimit:fields:)``, so the same mistake gets the
/// same ``FieldReader`` wording everywhere.
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
    /// Every key a `Queues` entry may have, sorted.
    static let allowedKeys: [String] = knownKeys.union(ignoredKeys).sorted()

    /// A queue name: 1–80 letters, digits, `-` and `_`, plus `.fifo` for a FIFO queue.
    public static let namePattern = FieldReader.Pattern("1 to 80 letters, digits, '-' or '_' (a FIFO queue adds the suffix .fifo)") { name in
        let base = name.hasSuffix(".fifo") ? name.dropLast(5) : Substring(name)
        return !base.isEmpty && name.utf8.count <= 80
            && base.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_" }
    }

    /// Reads a queue entry (CloudFormation / SQS attribute names) at JSON path `path`, adding
    /// every problem to `fields`.
    ///
    /// Numbers may be JSON numbers or numeric strings and booleans `true`/`false` or their
    /// strings; `RedrivePolicy`, `RedriveAllowPolicy` and `Policy` may be objects or JSON
    /// strings holding one (as SQS's attributes are). `Account`/`Region` override the defaults.
    /// - Returns: the configuration, or `nil` when the entry has errors.
    public static func read(_ json: JSONObject, at path: String, account: String, region: String,
                            maximumMessageSizeLimit: Int = QueueConfiguration.defaultMaximumMessageSizeLimit,
                            fields: inout FieldReader) -> QueueConfiguration? {
        let before = fields.errorCount
        fields.checkKeys(json, allowed: allowedKeys, what: "a queue", at: path)
        let name = fields.string(json, "QueueName", at: path, required: true, pattern: namePattern)
        let owner = fields.string(json, "Account", at: path, pattern: .accountID) ?? account
        let home = fields.string(json, "Region", at: path, pattern: .region) ?? region
        let fifo = fields.bool(json, "FifoQueue", at: path) ?? (name?.hasSuffix(".fifo") ?? false)
        var c = QueueConfiguration(name: name ?? "", account: owner, region: home, fifo: fifo)
        if let name, fifo != name.hasSuffix(".fifo") {
            fields.error("\(path).FifoQueue", fifo ? "a FIFO queue's name must end in .fifo: rename '\(name)' to '\(name).fifo'"
                                                   : "'\(name)' ends in .fifo, so 'FifoQueue' must be true: set it or drop the suffix")
        }
        c.contentBasedDeduplication = fields.bool(json, "ContentBasedDeduplication", at: path) ?? false
        if c.contentBasedDeduplication && !fifo {
            fields.error("\(path).ContentBasedDeduplication", "'ContentBasedDeduplication' is for FIFO queues only: remove it or make the queue FIFO (FifoQueue true, name ending in .fifo)")
        }
        c.visibilityTimeout = fields.int(json, "VisibilityTimeout", at: path, range: 0...43_200, acceptingStrings: true) ?? c.visibilityTimeout
        c.delaySeconds = fields.int(json, "DelaySeconds", at: path, range: 0...900, acceptingStrings: true) ?? c.delaySeconds
        c.messageRetentionPeriod = fields.int(json, "MessageRetentionPeriod", at: path, range: 60...1_209_600, acceptingStrings: true) ?? c.messageRetentionPeriod
        c.maximumMessageSize = fields.int(json, "MaximumMessageSize", at: path, range: 1024...max(1024, maximumMessageSizeLimit), acceptingStrings: true) ?? c.maximumMessageSize
        c.receiveMessageWaitTimeSeconds = fields.int(json, "ReceiveMessageWaitTimeSeconds", at: path, range: 0...20, acceptingStrings: true) ?? c.receiveMessageWaitTimeSeconds
        if let o = objectOrString(json, "RedrivePolicy", at: path, &fields) {
            c.redrivePolicy = readRedrivePolicy(o, at: "\(path).RedrivePolicy", &fields)
        }
        if let o = objectOrString(json, "RedriveAllowPolicy", at: path, &fields) {
            c.redriveAllowPolicy = readRedriveAllowPolicy(o, at: "\(path).RedriveAllowPolicy", &fields) ?? .allowAll
        }
        if json["Policy"] != nil, objectOrString(json, "Policy", at: path, &fields) != nil, let value = json["Policy"] {
            c.policy = value.stringValue ?? value.jsonText
        }
        for key in storedKeys.sorted() {
            guard let value = json[key] else { continue }
            guard let text = value.stringValue ?? value.intValue.map({ String($0) }) ?? value.boolValue.map({ String($0) }) else {
                fields.wrongType(key, value, expected: "a string", at: path)
                continue
            }
            c.storedAttributes[key] = text
        }
        return fields.errorCount == before ? c : nil
    }

    /// Builds a configuration from one queue entry, e.g. `{"QueueName": "orders", "VisibilityTimeout": 60}`.
    /// - Throws: ``QueueError`` for the first problem ``read(_:at:account:region:maximumMessageSizeLimit:fields:)``
    ///   finds: `InvalidAttributeName` for an unknown key, `MissingParameter` without `QueueName`,
    ///   `InvalidParameterValue` for a bad name, `InvalidAttributeValue` otherwise; the message is
    ///   `KEY: REASON` with the reader's reason.
    public init(json: JSONObject, account: String, region: String, maximumMessageSizeLimit: Int = QueueConfiguration.defaultMaximumMessageSizeLimit) throws(QueueError) {
        var fields = FieldReader()
        guard let c = Self.read(json, at: "$", account: account, region: region, maximumMessageSizeLimit: maximumMessageSizeLimit, fields: &fields) else {
            throw Self.error(for: fields.problems.first { $0.severity == .error } ?? ValidationProblem(path: "$", "invalid queue"))
        }
        self = c
    }

    /// The ``QueueError`` (SQS's code) for a problem the reader found.
    static func error(for problem: ValidationProblem) -> QueueError {
        let key = problem.path.hasPrefix("$.") ? String(problem.path.dropFirst(2)) : ""
        let top = String(key.prefix { $0 != "." })
        let code: QueueError.Code
        if problem.message.hasPrefix("unknown key") {
            code = key.contains(".") ? .invalidAttributeValue : .invalidAttributeName
        } else if problem.message.hasPrefix("missing required key") {
            code = .missingParameter
        } else if top == "QueueName" || top == "Account" || top == "Region" {
            code = .invalidParameterValue
        } else {
            code = .invalidAttributeValue
        }
        return QueueError(code, key.isEmpty ? problem.message : "\(key): \(problem.message)")
    }

    /// An object, or a JSON string holding one (SQS's attribute form); `nil` (with a problem) otherwise.
    static func objectOrString(_ json: JSONObject, _ key: String, at path: String, _ fields: inout FieldReader) -> JSONObject? {
        guard let value = json[key] else { return nil }
        if let object = value.objectValue { return object }
        if let text = value.stringValue {
            do {
                if let object = try JSONParser.parse(text).objectValue { return object }
            } catch {
                fields.error("\(path).\(key)", "'\(key)' must be a JSON object or a string holding one; this string is not valid JSON (\(error))")
                return nil
            }
        }
        fields.wrongType(key, value, expected: "an object (or a string holding one)", at: path)
        return nil
    }

    static func readRedrivePolicy(_ o: JSONObject, at path: String, _ fields: inout FieldReader) -> RedrivePolicy? {
        fields.checkKeys(o, allowed: ["deadLetterTargetArn", "maxReceiveCount"], what: "RedrivePolicy", at: path)
        let arn = fields.arn(o, "deadLetterTargetArn", at: path, kinds: [.queue], required: true)
        let count = fields.int(o, "maxReceiveCount", at: path, range: 1...1000, required: true, acceptingStrings: true)
        guard let arn, let count else { return nil }
        return RedrivePolicy(deadLetterTargetArn: arn.description, maxReceiveCount: count)
    }

    static func readRedriveAllowPolicy(_ o: JSONObject, at path: String, _ fields: inout FieldReader) -> RedriveAllowPolicy? {
        fields.checkKeys(o, allowed: ["redrivePermission", "sourceQueueArns"], what: "RedriveAllowPolicy", at: path)
        let permission = fields.enumeration(o, "redrivePermission", at: path, allowed: ["allowAll", "denyAll", "byQueue"], required: true)
        let arns = fields.array(o, "sourceQueueArns", at: path, of: "queue ARNs")
        switch permission {
        case "allowAll", "denyAll":
            if arns != nil {
                fields.error("\(path).sourceQueueArns", "'sourceQueueArns' goes only with redrivePermission byQueue: remove it or use byQueue")
                return nil
            }
            return permission == "allowAll" ? .allowAll : .denyAll
        case "byQueue":
            guard let arns, (1...10).contains(arns.count) else {
                fields.error("\(path).sourceQueueArns", "redrivePermission byQueue needs 'sourceQueueArns' with 1 to 10 queue ARNs, got \(arns?.count ?? 0)")
                return nil
            }
            var list: [String] = []
            for (i, item) in arns.enumerated() {
                guard let s = item.stringValue, let arn = fields.arn(s, key: "sourceQueueArns[\(i)]", at: path, kinds: [.queue]) else {
                    if item.stringValue == nil { fields.error("\(path).sourceQueueArns[\(i)]", "'sourceQueueArns[\(i)]' must be a string, not \(item.kindName)") }
                    return nil
                }
                list.append(arn.description)
            }
            return .byQueue(list)
        default:
            return nil
        }
    }
}
