/// What SQS keeps about a queue besides its attributes and messages: its tags and when it was
/// created and last changed (`CreatedTimestamp`, `LastModifiedTimestamp`).
public struct QueueMetadata: Sendable, Hashable {
    /// Cost-allocation tags (`TagQueue`), at most 50.
    public var tags: [String: String] = [:]
    /// When the queue was created.
    public var created: Timestamp
    /// When its attributes last changed (creation counts).
    public var lastModified: Timestamp

    public init(created: Timestamp) {
        self.created = created
        self.lastModified = created
    }

    /// The most tags a queue may carry.
    public static let maximumTags = 50
}
