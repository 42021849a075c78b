import Synchronization

/// The lifecycle state of a service (the ``TimeDriver``, a component's ``run()``).
public enum ServiceState: String, Sendable, Hashable {
    case notStarted = "not started"
    case running
    case stopping
    case finished
}

/// A service was started twice, or started after it finished.
public struct ServiceLifecycleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The service's name.
    public var service: String
    /// Its state when the start was refused.
    public var state: ServiceState

    package init(service: String, state: ServiceState) {
        self.service = service
        self.state = state
    }

    public var description: String {
        "cannot start the \(service): it is \(state.rawValue) (a service starts once; build a new one to run again)"
    }
}

/// The state machine of a service: not started → running → stopping → finished; starting is
/// allowed once.
public final class ServiceLifecycle: Sendable {
    private let name: String
    private let current = Mutex(ServiceState.notStarted)

    public init(name: String) { self.name = name }

    public var state: ServiceState { current.withLock { $0 } }

    /// Moves to running.
    /// - Throws: ``ServiceLifecycleError`` unless the service has not started yet.
    public func start() throws(ServiceLifecycleError) {
        let refused: ServiceState? = current.withLock { s in
            guard s == .notStarted else { return s }
            s = .running
            return nil
        }
        if let refused { throw ServiceLifecycleError(service: name, state: refused) }
    }

    /// Moves a running service to stopping; returns whether it was running.
    @discardableResult
    public func beginStopping() -> Bool {
        current.withLock { s in
            guard s == .running else {
                if s == .notStarted { s = .finished }
                return false
            }
            s = .stopping
            return true
        }
    }

    /// Marks the service finished.
    public func finish() { current.withLock { $0 = .finished } }
}
