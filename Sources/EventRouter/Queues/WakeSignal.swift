import Synchronization

/// A one-shot signal a long-polling receiver parks on; a send (or anything that makes a
/// message visible) fires it. Firing before the wait, or cancelling the waiting task,
/// resumes the waiter at once.
final class WakeSignal: Sendable {
    private enum State {
        case idle
        case waiting(CheckedContinuation<Void, Never>)
        case fired
    }

    private let state = Mutex<State>(.idle)

    init() {}

    /// Wakes the waiter (now or when it starts waiting).
    func fire() {
        let continuation: CheckedContinuation<Void, Never>? = state.withLock { s in
            switch s {
            case .waiting(let c):
                s = .fired
                return c
            case .idle:
                s = .fired
                return nil
            case .fired:
                return nil
            }
        }
        continuation?.resume()
    }

    /// Suspends until ``fire()`` is called or the task is cancelled.
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow: Bool = state.withLock { s in
                    if case .fired = s { return true }
                    s = .waiting(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            fire()
        }
    }
}
