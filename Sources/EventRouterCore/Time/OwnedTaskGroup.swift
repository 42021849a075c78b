/// A task group that belongs to a long-lived service (a function's runtime, an asynchronous
/// engine, the event source mapping runner): work added from anywhere, synchronous code and
/// actors included, runs as a child task of one discarding task group.
///
/// The group's single owning task is started through ``BackgroundTask`` (the library's one
/// place for unstructured tasks); everything else is structured under it. ``cancelAll()`` (or
/// releasing the last reference) closes the group: work already added starts and is cancelled,
/// later work is refused, and ``drained()`` returns once every child has ended.
public final class OwnedTaskGroup: Sendable {
    /// A piece of work run as one child task.
    public typealias Work = @Sendable () async -> Void

    private let input: AsyncStream<Work>.Continuation
    private let owner: Task<Void, Never>

    public init() {
        let (stream, input) = AsyncStream.makeStream(of: Work.self)
        self.input = input
        owner = BackgroundTask.start {
            await withDiscardingTaskGroup { group in
                for await work in stream { group.addTask(operation: work) }
                group.cancelAll()
            }
        }
    }

    deinit { input.finish() }

    /// Runs `work` as a child task; false when the group is closed (the work does not run).
    @discardableResult
    public func add(_ work: @escaping Work) -> Bool {
        if case .enqueued = input.yield(work) { return true }
        return false
    }

    /// Closes the group: every child (running or about to start) is cancelled and new work is refused.
    public func cancelAll() { input.finish() }

    /// Waits until the group is closed and every child has ended.
    public func drained() async { await owner.value }
}
