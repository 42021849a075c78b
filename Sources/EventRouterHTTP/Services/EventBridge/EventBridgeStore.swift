import EventRouter
import Synchronization

/// What the EventBridge API keeps beside the router: tags, creation times, the descriptions and
/// pattern text of buses and archives made through the API (held by the runtime's
/// ``ResourceMetadata``, so a data directory recovers them), and the replays.
///
/// Buses, rules, targets, policies and archive events live in the runtime's ``Router`` itself,
/// so resources made through the API and those of the workspace's rule files are one set.
final class EventBridgeStore: Sendable {
    /// A bus or archive made through the API (workspace ones have none).
    typealias ResourceInfo = ResourceMetadata.Info

    /// One `StartReplay`.
    struct Replay: Sendable {
        var request: ArchiveReplayRequest
        var arn: String
        var account: String
        var description: String?
        var state: ReplayState = .starting
        var stateReason: String? = "Replay started"
        var started: Timestamp
        var ended: Timestamp?
        var lastReplayed: Timestamp?
    }

    private struct State {
        var replays: [String: Replay] = [:]  // by replay ARN
        var tasks: [Task<Void, Never>] = []
    }

    /// When the service started: the creation time reported for workspace resources.
    let started: Timestamp
    private let state = Mutex(State())
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

    // MARK: - Buses and archives

    func info(_ arn: String) -> ResourceInfo? { metadata.info(arn) }

    func setInfo(_ info: ResourceInfo?, for arn: String) { metadata.setInfo(info, for: arn) }

    /// Forgets a deleted resource's info and tags.
    func forget(_ arn: String) { metadata.forget(arn) }

    // MARK: - Replays

    func replay(arn: String) -> Replay? { state.withLock { $0.replays[arn] } }

    var replays: [Replay] { state.withLock { $0.replays.values.sorted { $0.arn < $1.arn } } }

    /// Adds a replay unless one with its ARN exists; returns whether it was added.
    func addReplay(_ replay: Replay) -> Bool {
        state.withLock { s in
            guard s.replays[replay.arn] == nil else { return false }
            s.replays[replay.arn] = replay
            return true
        }
    }

    /// Changes a replay.
    func updateReplay(_ arn: String, _ change: (inout Replay) -> Void) {
        state.withLock { s in
            guard var r = s.replays[arn] else { return }
            change(&r)
            s.replays[arn] = r
        }
    }

    /// Keeps a replay's task so tests (and shutdown) can wait for it.
    func keep(_ task: Task<Void, Never>) { state.withLock { $0.tasks.append(task) } }

    /// Waits until every replay started so far has ended.
    func waitForReplays() async {
        let tasks = state.withLock { s in
            let t = s.tasks
            s.tasks = []
            return t
        }
        for task in tasks { await task.value }
    }
}
