import Synchronization

/// Every topic of the router, by ARN, with lookup by name in the default account and region.
public final class TopicRegistry: Sendable {
    /// The clock topics use.
    public let clock: any EventClock
    /// Account used to resolve a bare topic name.
    public let defaultAccount: String
    /// Region used to resolve a bare topic name.
    public let defaultRegion: String
    private let contentHash: @Sendable (String) -> String
    private let topics: Mutex<[String: Topic]> = Mutex([:])

    /// - Parameter contentHash: content-based deduplication id of a body (SNS: SHA-256 hex; see ``TopicState``).
    public init(clock: any EventClock, defaultAccount: String = "123456789012", defaultRegion: String = "us-east-1",
                contentHash: @escaping @Sendable (String) -> String) {
        self.clock = clock
        self.defaultAccount = defaultAccount
        self.defaultRegion = defaultRegion
        self.contentHash = contentHash
    }

    /// Creates a topic; its message ids are seeded by `seed`.
    /// - Throws: `ResourceInUseException` when a topic with that ARN exists.
    @discardableResult
    public func create(_ configuration: TopicConfiguration, seed: UInt64 = 0) throws(TopicError) -> Topic {
        let topic = Topic(configuration: configuration, clock: clock, seed: seed, contentHash: contentHash)
        let added = topics.withLock { t in
            guard t[topic.arn] == nil else { return false }
            t[topic.arn] = topic
            return true
        }
        guard added else {
            throw TopicError(.alreadyExists, "Topic \(configuration.name) already exists (\(configuration.arn)); declare each topic once")
        }
        return topic
    }

    /// The topic with this name or ARN.
    /// - Throws: `NotFoundException` listing the topics that exist.
    public func topic(_ nameOrARN: String) throws(TopicError) -> Topic {
        let arn = nameOrARN.hasPrefix("arn:") ? nameOrARN : "arn:aws:sns:\(defaultRegion):\(defaultAccount):\(nameOrARN)"
        let (found, names): (Topic?, [String]) = topics.withLock { t in (t[arn], t.keys.sorted()) }
        guard let found else {
            let known = names.isEmpty ? "there are no topics; declare one under \"Topics\" in a rule file" : "known topics: \(names.joined(separator: ", "))"
            throw TopicError(.notFound, "Topic \(nameOrARN) does not exist (\(arn)); \(known)")
        }
        return found
    }

    /// Every topic, by ARN.
    public var all: [Topic] { topics.withLock { t in t.keys.sorted().compactMap { t[$0] } } }
}
