import EventRouter

/// CreateTopic, DeleteTopic, ListTopics, GetTopicAttributes, SetTopicAttributes.
extension SNSService {
    /// Topic attributes stored and returned as given (no local effect).
    static let storedTopicAttributes: Set<String> = [
        "DeliveryPolicy", "DisplayName", "Policy", "SignatureVersion", "TracingConfig", "KmsMasterKeyId", "ArchivePolicy",
        "FifoThroughputScope", "DataProtectionPolicy",
    ]

    /// Whether `name` is a settable topic attribute (the stored ones, the delivery-status
    /// logging attributes, FifoTopic and ContentBasedDeduplication).
    static func isTopicAttribute(_ name: String) -> Bool {
        storedTopicAttributes.contains(name) || name == "FifoTopic" || name == "ContentBasedDeduplication"
            || ["SuccessFeedbackRoleArn", "SuccessFeedbackSampleRate", "FailureFeedbackRoleArn"].contains { name.hasSuffix($0) && name.count > $0.count }
    }

    func createTopic(_ input: SNSInput, _ call: AWSCall) throws(AWSError) -> String {
        let name = try input.string("Name", required: true) ?? ""
        var attributes: [String: String] = [:]
        for (key, value) in try input.map("Attributes") {
            guard Self.isTopicAttribute(key) else {
                throw SNSErrors.invalidParameter("Attributes Reason: Unknown attribute \(key): settable topic attributes are \(Self.storedTopicAttributes.union(["FifoTopic", "ContentBasedDeduplication"]).sorted().joined(separator: ", ")).")
            }
            attributes[key] = value
        }
        if let policy = try input.string("DataProtectionPolicy") { attributes["DataProtectionPolicy"] = policy }
        let tags = try input.tags()
        var entry = JSONObject()
        entry["TopicName"] = .string(name)
        for key in ["FifoTopic", "ContentBasedDeduplication"] {
            guard let text = attributes.removeValue(forKey: key) else { continue }
            guard text == "true" || text == "false" else {
                throw SNSErrors.invalidParameter("Attributes Reason: \(key) must be true or false, got '\(text)'.")
            }
            entry[key] = .bool(text == "true")
        }
        // As in SNS, a name ending in .fifo needs FifoTopic=true (rule files infer it from the name).
        if entry["FifoTopic"] == nil { entry["FifoTopic"] = false }
        let (read, problems) = TopicConfiguration.read(json: entry, account: call.caller.account, region: call.caller.region)
        guard var configuration = read, problems.isEmpty else {
            let first = problems.first
            throw SNSErrors.invalidParameter("\(first?.path.split(separator: ".").last.map(String.init) ?? "Name") Reason: \(first?.message ?? "the topic is not valid").")
        }
        configuration.storedAttributes = attributes
        if let existing = runtime.topics.topic(arn: configuration.arn) {
            let c = existing.configuration
            let same = c.fifo == configuration.fifo && (entry["ContentBasedDeduplication"] == nil || c.contentBasedDeduplication == configuration.contentBasedDeduplication)
                && attributes.allSatisfy { c.storedAttributes[$0.key] == $0.value }
            guard same else {
                throw SNSErrors.invalidParameter("Attributes Reason: Topic already exists with different attributes: \(c.arn) (change them with SetTopicAttributes, or use another name).")
            }
            let current = self.tags.tags(of: c.arn)
            guard tags.allSatisfy({ current[$0.key] == $0.value }) else {
                throw SNSErrors.invalidParameter("Tags Reason: Topic already exists with different tags: \(c.arn) (change them with TagResource).")
            }
            return XMLText.element("TopicArn", c.arn)
        }
        try Self.checkTags(tags, adding: [:])
        do { try runtime.topics.createTopic(configuration, journaled: true) } catch { throw SNSErrors.error(error) }
        if !tags.isEmpty { self.tags.tag(configuration.arn, with: tags) }
        return XMLText.element("TopicArn", configuration.arn)
    }

    func deleteTopic(_ input: SNSInput) throws(AWSError) -> String? {
        let text = try input.string("TopicArn", required: true) ?? ""
        guard let arn = try? ARN(parsing: text), arn.service == "sns", arn.kind == .topic else {
            throw SNSErrors.invalidParameter("TopicArn Reason: '\(text)' is not a topic ARN: write arn:aws:sns:REGION:ACCOUNT:TOPIC_NAME.")
        }
        // SNS answers success for a topic that does not exist (DeleteTopic is idempotent).
        runtime.topics.deleteTopic(arn: arn.description)
        tags.remove(arn.description)
        return nil
    }

    func listTopics(_ input: SNSInput, _ call: AWSCall) throws(AWSError) -> String {
        let arns = runtime.topics.topics.map(\.configuration).filter { $0.account == call.caller.account && $0.region == call.caller.region }.map(\.arn)
        let (page, next) = try Self.page(arns, input)
        return SNSXML.list("Topics", page.map { XMLText.element("TopicArn", $0) }) + (next.map { XMLText.element("NextToken", $0) } ?? "")
    }

    func getTopicAttributes(_ input: SNSInput) throws(AWSError) -> String {
        let c = try topic(input).configuration
        var a: [String: String] = [
            "TopicArn": c.arn, "Owner": c.account, "DisplayName": "", "Policy": Self.defaultPolicy(c),
            "SubscriptionsConfirmed": String(c.subscriptions.count { !$0.pendingConfirmation }),
            "SubscriptionsPending": String(c.subscriptions.count { $0.pendingConfirmation }), "SubscriptionsDeleted": "0",
            "EffectiveDeliveryPolicy": Self.defaultDeliveryPolicy,
        ]
        if c.fifo {
            a["FifoTopic"] = "true"
            a["ContentBasedDeduplication"] = String(c.contentBasedDeduplication)
        }
        for (k, v) in c.storedAttributes { a[k] = v }
        return SNSXML.map("Attributes", a)
    }

    func setTopicAttributes(_ input: SNSInput) throws(AWSError) -> String? {
        let topic = try topic(input)
        let name = try input.string("AttributeName", required: true) ?? ""
        let value = try input.string("AttributeValue") ?? ""
        switch name {
        case "FifoTopic":
            throw SNSErrors.invalidParameter("AttributeName Reason: FifoTopic is set when the topic is created and cannot be changed: create a new topic.")
        case "ContentBasedDeduplication":
            guard topic.configuration.fifo else {
                throw SNSErrors.invalidParameter("AttributeName Reason: ContentBasedDeduplication applies to FIFO topics only.")
            }
            guard value == "true" || value == "false" else {
                throw SNSErrors.invalidParameter("AttributeValue Reason: ContentBasedDeduplication must be true or false, got '\(value)'.")
            }
            topic.updateAttributes { $0.contentBasedDeduplication = value == "true" }
        case _ where Self.isTopicAttribute(name):
            if name == "DeliveryPolicy", !value.isEmpty {
                do { _ = try DeliveryRetryPolicy(deliveryPolicy: value) } catch { throw SNSErrors.error(error) }
            }
            topic.updateAttributes { $0.storedAttributes[name] = value }
        default:
            throw SNSErrors.invalidParameter("AttributeName Reason: Unknown attribute \(name): settable topic attributes are \(Self.storedTopicAttributes.union(["ContentBasedDeduplication"]).sorted().joined(separator: ", ")).")
        }
        return nil
    }

    /// SNS's default access policy of a topic: its owner may do everything.
    static func defaultPolicy(_ c: TopicConfiguration) -> String {
        let actions = ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission", "SNS:DeleteTopic",
                       "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"]
        let statement: JSONValue = [
            "Sid": "__default_statement_ID", "Effect": "Allow", "Principal": ["AWS": "*"], "Action": .array(actions.map { .string($0) }),
            "Resource": .string(c.arn), "Condition": ["StringEquals": ["AWS:SourceOwner": .string(c.account)]],
        ]
        let policy: JSONValue = ["Version": "2008-10-17", "Id": "__default_policy_ID", "Statement": [statement]]
        return policy.jsonText
    }

    /// SNS's default `EffectiveDeliveryPolicy` (the HTTP/S retry policy: 3 retries 20 s apart).
    static let defaultDeliveryPolicy = #"{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}"#
}
