import Synchronization

/// What the EventBridge API keeps beside the router for the resources it creates: tags,
/// descriptions, pattern text and creation/modification times, by ARN; and, with a data
/// directory, the journal their changes are recorded in (``StateRecordType`` 30–39,
/// docs/durability.md "Buses, rules, targets, permissions, connections and API destinations").
///
/// It lives in the runtime (not in the HTTP service) so that recovery can restore it before
/// the service answers.
public final class ResourceMetadata: Sendable {
    /// A bus, connection, API destination or archive made through the API (workspace ones have none).
    public struct Info: Sendable, Equatable {
        public var description: String?
        public var patternText: String?
        public var created: Timestamp
        public var modified: Timestamp

        public init(description: String? = nil, patternText: String? = nil, created: Timestamp, modified: Timestamp) {
            self.description = description
            self.patternText = patternText
            self.created = created
            self.modified = modified
        }
    }

    private struct State {
        var tags: [String: [(key: String, value: String)]] = [:]
        var info: [String: Info] = [:]
    }

    private let state = Mutex(State())
    private let journalHolder = Mutex<(any StateJournal)?>(nil)
    private let originsHolder = Mutex<ResourceOrigins?>(nil)

    public init() {}

    // MARK: - Tags

    /// The tags of `arn`, in the order they were first set.
    public func tags(of arn: String) -> [(key: String, value: String)] { state.withLock { $0.tags[arn] ?? [] } }

    /// Adds or replaces tags of `arn`.
    public func tag(_ arn: String, with tags: [(key: String, value: String)]) {
        state.withLock { s in
            var list = s.tags[arn] ?? []
            for tag in tags {
                if let i = list.firstIndex(where: { $0.key == tag.key }) { list[i] = tag } else { list.append(tag) }
            }
            s.tags[arn] = list
        }
    }

    /// Removes the tags `keys` of `arn`.
    public func untag(_ arn: String, keys: [String]) {
        state.withLock { $0.tags[arn]?.removeAll { keys.contains($0.key) } }
    }

    /// Every tagged ARN with its tags (the snapshot).
    public var allTags: [(arn: String, tags: [(key: String, value: String)])] {
        state.withLock { s in s.tags.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
    }

    // MARK: - Info

    /// The info of a resource made through the API.
    public func info(_ arn: String) -> Info? { state.withLock { $0.info[arn] } }

    /// Sets (or with nil removes) a resource's info.
    public func setInfo(_ info: Info?, for arn: String) { state.withLock { $0.info[arn] = info } }

    /// Forgets a deleted resource's info and tags.
    public func forget(_ arn: String) {
        state.withLock { s in
            s.info[arn] = nil
            s.tags[arn] = nil
        }
    }

    // MARK: - Journal and origins

    /// The journal API-created resources are recorded in (nil: in memory, nothing is encoded).
    public var journal: (any StateJournal)? { journalHolder.withLock { $0 } }

    /// Whether a journal is attached (the service then awaits each change's records).
    public var isJournaled: Bool { journal != nil }

    /// From now on resource changes are recorded in `journal`.
    public func attachJournal(_ journal: any StateJournal) { journalHolder.withLock { $0 = journal } }

    /// Which resources come from the files (`run` sets the server's ``ResourceOrigins``):
    /// snapshots and recovery keep only the others.
    public func useOrigins(_ origins: ResourceOrigins) { originsHolder.withLock { $0 = origins } }

    /// Whether `arn` comes from the workspace's files (false when no origins were given).
    public func isFromFiles(_ arn: String) -> Bool { originsHolder.withLock { $0 }?.isFromFiles(arn) ?? false }
}
