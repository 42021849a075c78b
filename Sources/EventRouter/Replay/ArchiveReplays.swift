import Synchronization

/// The archive replays of a runtime, as a ``TimedComponent`` its one ``TimeDriver`` runs:
/// ``start(_:)`` checks a `StartReplay` request and queues it; the driver's next round puts its
/// events back on the bus, bucket by bucket (``ArchiveReplayRunner/put(_:on:into:)``), and the
/// deliveries they make settle with everything else the driver runs. A finished replay's report
/// is taken with ``finished(_:)``.
public final class ArchiveReplays: TimedComponent {
    /// A replay started and not yet taken.
    public struct Handle: Sendable, Hashable {
        let id: UInt64
    }

    private struct State {
        var nextID: UInt64 = 0
        var queued: [(id: UInt64, report: ArchiveReplayRunner.Report)] = []
        var done: [UInt64: ArchiveReplayRunner.Report] = [:]
    }

    /// The router replays put their events on.
    public let router: Router
    /// The replays started through the API (`StartReplay`), kept in the data directory.
    public let started: ReplayRegistry
    private let state = Mutex(State())

    public init(router: Router) {
        self.router = router
        self.started = ReplayRegistry(router: router)
    }

    /// Checks `request` as StartReplay does and queues it for the driver's next round.
    /// - Throws: ``EventRouterError`` when the archive does not exist or the request is invalid.
    public func start(_ request: ArchiveReplayRequest) throws(EventRouterError) -> Handle {
        let report = try ArchiveReplayRunner.begin(request, router: router)
        return state.withLock { s in
            s.nextID += 1
            s.queued.append((s.nextID, report))
            return Handle(id: s.nextID)
        }
    }

    /// The report of a replay whose events have all been put (`nil` while it is queued, or
    /// when it was taken already).
    public func finished(_ handle: Handle) -> ArchiveReplayRunner.Report? {
        state.withLock { $0.done.removeValue(forKey: handle.id) }
    }

    public var timedRole: TimedRole { .scheduled }

    /// Puts the events of every queued replay (their deliveries are then due in the scheduler).
    public func runDue(at now: Timestamp) async -> Int {
        let queued = state.withLock { s in
            defer { s.queued.removeAll() }
            return s.queued
        }
        for var entry in queued {
            ArchiveReplayRunner.put(&entry.report, on: router)
            state.withLock { $0.done[entry.id] = entry.report }
        }
        return queued.count
    }

    /// Queued replays are due now.
    public func timedStatus(at now: Timestamp) async -> TimedStatus {
        let queued = state.withLock { $0.queued.count }
        return TimedStatus(pending: queued, nextDeadline: queued > 0 ? now : nil)
    }
}
