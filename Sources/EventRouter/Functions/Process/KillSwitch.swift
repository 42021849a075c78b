import Synchronization

/// Connects task cancellation to a child process that may not have been spawned yet:
/// whichever of "spawned" and "cancelled" comes second kills the process group.
final class KillSwitch: Sendable {
    private let state = Mutex<(process: ChildProcess?, cancelled: Bool)>((nil, false))

    init() {}

    /// Records the spawned process; returns false (and kills it) when already cancelled.
    @discardableResult
    func attach(_ process: ChildProcess) -> Bool {
        let cancelled = state.withLock { s in
            s.process = process
            return s.cancelled
        }
        if cancelled { process.killGroup() }
        return !cancelled
    }

    /// Marks cancelled and kills the process group if there is one.
    func cancel() {
        let process = state.withLock { s in
            s.cancelled = true
            return s.process
        }
        process?.killGroup()
    }

    var isCancelled: Bool { state.withLock { $0.cancelled } }
}
