import Synchronization

/// The hand-off of jobs from the socket thread to the task that starts their handler tasks
/// (``HTTPServer/run()``): a locked list and at most one waiting consumer. It does what an
/// `AsyncStream` would, in a concrete type, so each hand-off costs a few locked steps and one
/// resumption (an `AsyncStream` of jobs cost ~9K instructions per request in generic code).
final class HTTPJobQueue: Sendable {
    private struct State {
        var jobs: [HTTPJob] = []
        var head = 0
        var waiter: UnsafeContinuation<HTTPJob?, Never>?
        var finished = false

        mutating func pop() -> HTTPJob? {
            guard head < jobs.count else { return nil }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: jobs.count <= 256)
                head = 0
            }
            return job
        }
    }
    private let state = Mutex(State())

    /// Hands `job` to the consumer (dropped once finished).
    func yield(_ job: HTTPJob) {
        let waiter = state.withLock { s -> UnsafeContinuation<HTTPJob?, Never>? in
            guard !s.finished else { return nil }
            if let waiter = s.waiter {
                s.waiter = nil
                return waiter
            }
            s.jobs.append(job)
            return nil
        }
        waiter?.resume(returning: job)
    }

    /// No more jobs: the consumer gets those queued, then `nil`.
    func finish() {
        let waiter = state.withLock { s -> UnsafeContinuation<HTTPJob?, Never>? in
            s.finished = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// The next job; `nil` once finished and empty, or when the calling task is cancelled.
    /// One consumer at a time.
    func next() async -> HTTPJob? {
        if let job = state.withLock({ $0.pop() }) { return job }
        return await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<HTTPJob?, Never>) in
                let now = state.withLock { s -> HTTPJob?? in
                    if let job = s.pop() { return .some(job) }
                    if s.finished || Task.isCancelled { return .some(nil) }
                    s.waiter = continuation
                    return .none
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> UnsafeContinuation<HTTPJob?, Never>? in
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}
