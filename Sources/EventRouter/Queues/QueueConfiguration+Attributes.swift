extension QueueConfiguration {
    /// The configuration as SQS's queue attributes (string values, as `GetQueueAttributes`
    /// returns them and ``init(json:account:region:maximumMessageSizeLimit:)`` reads them back):
    /// `QueueArn`, the settable attributes, and `FifoQueue`/`ContentBasedDeduplication` on FIFO
    /// queues. Counts and timestamps are the caller's to add.
    public var sqsAttributes: [(name: String, value: String)] {
        var a: [(name: String, value: String)] = [("QueueArn", arn)]
        if fifo {
            a.append(("FifoQueue", "true"))
            a.append(("ContentBasedDeduplication", String(contentBasedDeduplication)))
        }
        a.append(("VisibilityTimeout", String(visibilityTimeout)))
        a.append(("DelaySeconds", String(delaySeconds)))
        a.append(("MessageRetentionPeriod", String(messageRetentionPeriod)))
        a.append(("MaximumMessageSize", String(maximumMessageSize)))
        a.append(("ReceiveMessageWaitTimeSeconds", String(receiveMessageWaitTimeSeconds)))
        if let r = redrivePolicy {
            let policy: JSONValue = ["deadLetterTargetArn": .string(r.deadLetterTargetArn), "maxReceiveCount": .number(JSONNumber(r.maxReceiveCount))]
            a.append(("RedrivePolicy", policy.jsonText))
        }
        switch redriveAllowPolicy {
        case .allowAll: break
        case .denyAll: a.append(("RedriveAllowPolicy", (["redrivePermission": "denyAll"] as JSONValue).jsonText))
        case .byQueue(let arns):
            let policy: JSONValue = ["redrivePermission": "byQueue", "sourceQueueArns": .array(arns.map { .string($0) })]
            a.append(("RedriveAllowPolicy", policy.jsonText))
        }
        if let policy { a.append(("Policy", policy)) }
        for key in storedAttributes.keys.sorted() { a.append((key, storedAttributes[key] ?? "")) }
        return a
    }

    /// This configuration with `attributes` (SQS names, string values) applied, checked exactly
    /// as a workspace's `Queues` entry is (``init(json:account:region:maximumMessageSizeLimit:)``).
    /// - Throws: ``QueueError`` `InvalidAttributeName` for a name that is not settable,
    ///   `InvalidAttributeValue` / `InvalidParameterValue` for a bad value.
    public func applying(attributes: [(name: String, value: String)], maximumMessageSizeLimit: Int = QueueConfiguration.defaultMaximumMessageSizeLimit) throws(QueueError) -> QueueConfiguration {
        var json = JSONObject()
        json["QueueName"] = .string(name)
        for (key, value) in sqsAttributes where Self.settableAttributeNames.contains(key) { json[key] = .string(value) }
        if !fifo { json["FifoQueue"] = "false" }
        for (key, value) in attributes {
            guard Self.settableAttributeNames.contains(key) else {
                let hint = DidYouMean.suggestion(for: key, among: Self.settableAttributeNames.sorted()).map { " (did you mean '\($0)'?)" } ?? ""
                throw QueueError(.invalidAttributeName, "Unknown Attribute \(key)\(hint): settable attributes are \(Self.settableAttributeNames.sorted().joined(separator: ", ")).")
            }
            json[key] = .string(value)
        }
        if json["RedrivePolicy"] == "" { json["RedrivePolicy"] = nil }
        if json["RedriveAllowPolicy"] == "" { json["RedriveAllowPolicy"] = nil }
        var result = try QueueConfiguration(json: json, account: account, region: region, maximumMessageSizeLimit: maximumMessageSizeLimit)
        result.maximumInFlightMessages = maximumInFlightMessages
        return result
    }
}
