import Synchronization

/// The tags of SNS topics, by topic ARN (`TagResource`, `UntagResource`); journaled as
/// `topic.tags` (the whole set) with a data directory, for any topic, the rule files' too.
public final class TopicTags: Sendable {
    private let tags = Mutex<[String: [String: String]]>([:])
    private let journal: TopicJournal

    init(journal: TopicJournal) { self.journal = journal }

    /// The tags of `arn`.
    public func tags(of arn: String) -> [String: String] { tags.withLock { $0[arn] ?? [:] } }

    /// Adds or replaces tags of `arn`.
    public func tag(_ arn: String, with new: [(key: String, value: String)]) {
        tags.withLock { t in
            for (k, v) in new { t[arn, default: [:]][k] = v }
            journaled(arn, t[arn] ?? [:])
        }
    }

    /// Removes the tags `keys` of `arn`.
    public func untag(_ arn: String, keys: [String]) {
        tags.withLock { t in
            for k in keys { t[arn]?[k] = nil }
            journaled(arn, t[arn] ?? [:])
        }
    }

    /// Forgets every tag of `arn` (its topic was deleted; `topic.delete` covers the journal).
    public func remove(_ arn: String) { _ = tags.withLock { $0.removeValue(forKey: arn) } }

    /// Sets the tags of `arn` as recovered (before a journal is attached).
    func restore(_ arn: String, _ value: [String: String]) { tags.withLock { $0[arn] = value } }

    private func journaled(_ arn: String, _ value: [String: String]) {
        journal.submit(.topicTags) {
            ["arn": .string(arn), "tags": .object(JSONObject(value.sorted { $0.key < $1.key }.map { JSONObject.Member(key: $0.key, value: .string($0.value)) }))]
        }
    }
}
