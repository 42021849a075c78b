/// The one place in the library that creates unstructured tasks.
///
/// Work belongs in task groups owned by the service that does it (the ``TimeDriver``, the
/// delivery scheduler's `runDue`, pollers). A few pieces of work have no such owner: a
/// standalone ``TopicRegistry`` with `retryTimer: true` that no driver runs arms a timer per
/// earliest retry. They start here, so `grep` finds every unstructured task in one file.
/// (Function invocations create their own tasks in `AsyncInvocationEngine` and
/// `FunctionRuntime`; those belong to the functions' concurrency model.)
package enum BackgroundTask {
    /// Starts `work` outside any task group; the caller keeps the handle to cancel it.
    @discardableResult
    package static func start(_ work: sending @escaping @isolated(any) () async -> Void) -> Task<Void, Never> {
        Task(operation: work)
    }
}
