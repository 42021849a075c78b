import Synchronization

/// A value set once (the first ``resolve(_:)`` wins) and awaited by any number of tasks; built
/// on the one wake primitive, ``WakeSignal``.
///
/// Used where a structured child delivers a result to a caller that must not wait for the
/// child itself to end (a timed-out handler that ignores cancellation keeps running in its
/// owner's group while the caller goes on).
public final class OneShot<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)
    private let resolved = WakeSignal()

    public init() {}

    /// Sets the value unless one is set already; returns whether this call set it.
    @discardableResult
    public func resolve(_ v: Value) -> Bool {
        let set = value.withLock { current in
            guard current == nil else { return false }
            current = v
            return true
        }
        if set { resolved.signal() }
        return set
    }

    /// The value, if set.
    public var current: Value? { value.withLock { $0 } }

    /// Waits for the value; `nil` when the waiting task is cancelled first.
    public func wait() async -> Value? {
        while true {
            let seen = resolved.generation
            if let v = current { return v }
            if Task.isCancelled { return nil }
            await resolved.wait(changedFrom: seen)
        }
    }
}
