import EventRouter

/// Hot reload for `eventrouter run` (docs/hot-reload.md): polls the workspace's `Rules/` and
/// `Functions/` every ``interval`` on the injected clock and hands each change to the
/// ``WorkspaceReloader`` (which scans and validates off the cooperative pool). Started by
/// ``RouterServer/run(onReady:)`` beside the time driver and stopped with it.
public final class WorkspaceWatcher: Sendable {
    /// How `eventrouter run` watches its workspace.
    public struct Options: Sendable {
        /// The folder holding `Rules/` and `Functions/`.
        public var directory: String
        /// How often the files are checked (default 1 s).
        public var interval: Duration
        /// Told about each change found: `validate`'s problems of a refused one are printed from here.
        public var report: @Sendable (WorkspaceReloader.Outcome) -> Void

        public init(directory: String, interval: Duration = .seconds(1), report: @escaping @Sendable (WorkspaceReloader.Outcome) -> Void = { _ in }) {
            self.directory = directory
            self.interval = interval
            self.report = report
        }
    }

    public let reloader: WorkspaceReloader
    public let interval: Duration
    private let clock: any EventClock
    private let report: @Sendable (WorkspaceReloader.Outcome) -> Void
    private let stopped = OneShot<Void>()

    public init(reloader: WorkspaceReloader, clock: any EventClock, interval: Duration, report: @escaping @Sendable (WorkspaceReloader.Outcome) -> Void) {
        self.reloader = reloader
        self.clock = clock
        self.interval = interval
        self.report = report
    }

    /// Takes the files' first fingerprint, then checks them every ``interval`` until ``stop()``.
    public func run() async {
        if let outcome = await reloader.prepare() { report(outcome) }
        let reloader = self.reloader, clock = self.clock, interval = self.interval, report = self.report
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    do { try await clock.sleep(for: interval) } catch { return }
                    if let outcome = await reloader.check() { report(outcome) }
                }
            }
            _ = await stopped.wait()
            group.cancelAll()
        }
    }

    /// Ends ``run()`` (a check in progress finishes first). Safe more than once.
    public func stop() { _ = stopped.resolve(()) }
}
