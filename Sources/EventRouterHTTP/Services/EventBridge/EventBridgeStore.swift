import EventRouter
import Synchronization

/// What the EventBridge API keeps beside the router: tags, creation times, the descriptions and
/// pattern text of buses made through the API (held by the runtime's ``ResourceMetadata``, so a
/// data directory recovers them). Archives keep theirs in ``ArchiveRegistry``, replays live in
/// ``ReplayRegistry`` (both kept in the data directory too).
///
/// Buses, rules, targets, policies and archive events live in the runtime's ``Router`` itself,
/// so resources made through the API and those of the workspace's rule files are one set.
final class EventBridgeStore: Sendable {
    /// A bus made through the API (workspace ones have none).
    typealias ResourceInfo = ResourceMetadata.Info

    /// When the service started: the creation time reported for workspace resources.
    let started: Timestamp
    /// Serialises read-modify-write operations on rules and targets (PutTargets after PutRule).
    private let edits = Mutex(())

    /// Tags and info, kept in the runtime.
    let metadata: ResourceMetadata

    init(started: Timestamp, metadata: ResourceMetadata) {
        self.started = started
        self.metadata = metadata
    }

    /// Runs `body` with no other rule or target edit in between.
    func serialized<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        try edits.withLock { _ throws(E) -> T in try body() }
    }

    // MARK: - Tags

    func tags(of arn: String) -> [(key: String, value: String)] { metadata.tags(of: arn) }

    func tag(_ arn: String, with tags: [(key: String, value: String)]) { metadata.tag(arn, with: tags) }

    func untag(_ arn: String, keys: [String]) { metadata.untag(arn, keys: keys) }

    // MARK: - Buses

    func info(_ arn: String) -> ResourceInfo? { metadata.info(arn) }

    func setInfo(_ info: ResourceInfo?, for arn: String) { metadata.setInfo(info, for: arn) }

    /// Forgets a deleted resource's info and tags.
    func forget(_ arn: String) { metadata.forget(arn) }
}
