import EventRouter

/// TagResource, UntagResource, ListTagsForResource on topics.
extension SNSService {
    /// SNS's limit on tags per topic.
    static let maximumTags = 50

    /// Answers an empty `<TagResourceResult/>` (the model's output has a result wrapper).
    func tagResource(_ input: SNSInput) throws(AWSError) -> String? {
        let arn = try taggable(input)
        let new = try input.tags()
        guard !new.isEmpty else { throw SNSErrors.invalidParameter("Tags Reason: give at least one tag (Tags.member.1.Key=NAME&Tags.member.1.Value=VALUE).") }
        try Self.checkTags(new, adding: tags.tags(of: arn))
        tags.tag(arn, with: new)
        return ""
    }

    func untagResource(_ input: SNSInput) throws(AWSError) -> String? {
        let arn = try taggable(input)
        let keys = try input.strings("TagKeys")
        tags.untag(arn, keys: keys)
        return ""
    }

    func listTagsForResource(_ input: SNSInput) throws(AWSError) -> String {
        let arn = try taggable(input)
        return SNSXML.tags(tags.tags(of: arn))
    }

    /// Checks tags to add to `current`: keys 1–128 characters, values up to 256, at most 50 in all.
    /// - Throws: `InvalidParameter` or `TagLimitExceeded` saying which tag and what to change.
    static func checkTags(_ new: [(key: String, value: String)], adding current: [String: String]) throws(AWSError) {
        for (key, value) in new {
            guard key.count <= 128, !key.lowercased().hasPrefix("aws:") else {
                throw SNSErrors.invalidParameter("Tags Reason: the tag key '\(key.prefix(40))' must be 1 to 128 characters and must not start with aws:.")
            }
            guard value.count <= 256 else {
                throw SNSErrors.invalidParameter("Tags Reason: the value of tag '\(key)' is \(value.count) characters, at most 256.")
            }
        }
        let total = Set(current.keys).union(new.map(\.key)).count
        guard total <= maximumTags else {
            throw AWSError(code: "TagLimitExceeded", message: "Could not complete request: tag quota of per resource exceeded: the topic would have \(total) tags, at most \(maximumTags).")
        }
    }

    /// The `ResourceArn` of an existing topic (`ResourceNotFound` otherwise).
    private func taggable(_ input: SNSInput) throws(AWSError) -> String {
        let text = try input.string("ResourceArn", required: true) ?? ""
        guard let arn = try? ARN(parsing: text), arn.service == "sns", arn.kind == .topic else {
            throw SNSErrors.invalidParameter("ResourceArn Reason: '\(text)' is not a topic ARN: EventRouter tags topics (arn:aws:sns:REGION:ACCOUNT:TOPIC_NAME).")
        }
        guard runtime.topics.topic(arn: arn.description) != nil else {
            throw AWSError(code: "ResourceNotFound", message: "Resource does not exist: \(arn) (no such topic).", status: 404)
        }
        return arn.description
    }
}
