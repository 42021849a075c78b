import Synchronization

/// A value set once by whichever of several tasks comes first; later sets are ignored.
final class OneShot<Value: Sendable>: Sendable {
    private let state = Mutex<(done: Bool, value: Value?, waiter: CheckedContinuation<Value?, Never>?)>((false, nil, nil))

    /// Sets the value (`nil`: none came) unless it is set already.
    func finish(_ value: Value?) {
        let waiter = state.withLock { s -> CheckedContinuation<Value?, Never>? in
            guard !s.done else { return nil }
            s.done = true
            s.value = value
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: value)
    }

    /// Waits for the value.
    func value() async -> Value? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
            let ready = state.withLock { s -> (Bool, Value?) in
                if s.done { return (true, s.value) }
                s.waiter = continuation
                return (false, nil)
            }
            if ready.0 { continuation.resume(returning: ready.1) }
        }
    }
}
