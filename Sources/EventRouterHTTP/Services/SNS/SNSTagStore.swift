import Synchronization

/// The tags of SNS topics, by topic ARN (shared by the copies of one ``SNSService``).
final class SNSTagStore: Sendable {
    private let tags = Mutex<[String: [String: String]]>([:])

    /// The tags of `arn`.
    func tags(of arn: String) -> [String: String] { tags.withLock { $0[arn] ?? [:] } }

    /// Adds or replaces tags of `arn`.
    func tag(_ arn: String, with new: [(key: String, value: String)]) {
        tags.withLock { t in for (k, v) in new { t[arn, default: [:]][k] = v } }
    }

    /// Removes the tags `keys` of `arn`.
    func untag(_ arn: String, keys: [String]) {
        tags.withLock { t in for k in keys { t[arn]?[k] = nil } }
    }

    /// Forgets every tag of `arn` (its topic was deleted).
    func remove(_ arn: String) { _ = tags.withLock { $0.removeValue(forKey: arn) } }
}
