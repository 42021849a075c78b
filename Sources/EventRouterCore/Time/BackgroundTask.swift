/// The one place in the library that creates unstructured tasks.
///
/// Work belongs in task groups owned by the service that does it (the ``TimeDriver``, the
/// delivery scheduler's `runDue`, pollers). A few pieces of work have no such owner: a
/// standalone ``TopicRegistry`` with `retryTimer: true` that no driver runs arms a timer per
/// earliest retry; and the owning task of each ``OwnedTaskGroup`` (function runtimes and
/// asynchronous engines run their invocations and events as children of one, the event source
/// mapping runner its in-flight batches). They start here, so `grep` finds every unstructured
/// task in one file.
package enum BackgroundTask {
    /// Starts `work` outside any task group; the caller keeps the handle to cancel it.
    @discardableResult
    package static func start(_ work: sending @escaping @isolated(any) () async -> Void) -> Task<Void, Never> {
        Task(operation: work)
    }
}
