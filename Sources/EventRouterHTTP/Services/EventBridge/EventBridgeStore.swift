import EventRouter
import Synchronization

/// What the EventBridge API keeps beside the router: tags, creation times, the descriptions and
/// pattern text of buses made through the API (archives and replays: ``ArchiveRegistry``,
/// ``ReplayRegistry``).
///
/// Buses, rules, targets, policies and archive events live in the runtime's ``Router`` itself,
/// so resources made through the API and those of the workspace's rule files are one set.
final class EventBridgeStore: Sendable {
    /// A bus or archive made through the API (workspace ones have none).
    struct ResourceInfo: Sendable {
        var description: String?
        var patternText: String?
        var created: Timestamp
        var modified: Timestamp
    }

    private struct State {
        var tags: [String: [(key: String, value: String)]] = [:]
        var info: [String: ResourceInfo] = [:]
    }

    /// When the service started: the creation time reported for workspace resources.
    let started: Timestamp
    private let state = Mutex(State())
    /// Serialises read-modify-write operations on rules and targets (PutTargets after PutRule).
    private let edits = Mutex(())

    init(started: Timestamp) { self.started = started }

    /// Runs `body` with no other rule or target edit in between.
    func serialized<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        try edits.withLock { _ throws(E) -> T in try body() }
    }

    // MARK: - Tags

    func tags(of arn: String) -> [(key: String, value: String)] { state.withLock { $0.tags[arn] ?? [] } }

    func tag(_ arn: String, with tags: [(key: String, value: String)]) {
        state.withLock { s in
            var list = s.tags[arn] ?? []
            for tag in tags {
                if let i = list.firstIndex(where: { $0.key == tag.key }) { list[i] = tag } else { list.append(tag) }
            }
            s.tags[arn] = list
        }
    }

    func untag(_ arn: String, keys: [String]) {
        state.withLock { $0.tags[arn]?.removeAll { keys.contains($0.key) } }
    }

    // MARK: - Buses and archives

    func info(_ arn: String) -> ResourceInfo? { state.withLock { $0.info[arn] } }

    func setInfo(_ info: ResourceInfo?, for arn: String) { state.withLock { $0.info[arn] = info } }

    /// Forgets a deleted resource's info and tags.
    func forget(_ arn: String) {
        state.withLock { s in
            s.info[arn] = nil
            s.tags[arn] = nil
        }
    }
}
