import Foundation

/// The sleepers of ``SystemClock``: one dedicated thread waits (blocking, off the cooperative
/// pool) for the earliest deadline and resumes every sleeper that has come due.
///
/// A cancelled sleep leaves the queue at once, so nothing fires later for it. (`Task.sleep`
/// arms a dispatch timer per sleep that still fires at its deadline after a cancel: a function
/// invocation's timeout timer, cancelled within a millisecond, cost a dispatch-manager wakeup
/// seconds later.)
final class SystemTimerQueue: @unchecked Sendable {
    /// The process's queue (its thread starts on first use).
    static let shared = SystemTimerQueue()

    private struct Sleeper {
        let id: UInt64
        let deadline: Timestamp
        let continuation: CheckedContinuation<Void, any Error>
    }

    /// Guards `sleepers` and `nextID`; the thread waits on it.
    private let condition = NSCondition()
    /// Ordered by deadline, then by arrival.
    private var sleepers: [Sleeper] = []
    private var nextID: UInt64 = 0

    private init() {
        let thread = Thread { [unowned self] in self.run() }
        thread.name = "eventrouter-timers"
        thread.start()
    }

    /// Suspends until `deadline` (read from `now`) or until the task is cancelled
    /// (`CancellationError`).
    func sleep(until deadline: Timestamp, now: @Sendable () -> Timestamp) async throws {
        let id = condition.locked { () -> UInt64 in nextID += 1; return nextID }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Action { case parked, cancelled, due }
                let action: Action = condition.locked {
                    if deadline <= now() { return .due }
                    if Task.isCancelled { return .cancelled }
                    let index = sleepers.firstIndex { $0.deadline > deadline } ?? sleepers.endIndex
                    sleepers.insert(Sleeper(id: id, deadline: deadline, continuation: continuation), at: index)
                    if index == 0 { condition.signal() }
                    return .parked
                }
                switch action {
                case .parked: break
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .due: continuation.resume()
                }
            }
        } onCancel: {
            let sleeper: Sleeper? = condition.locked {
                sleepers.firstIndex { $0.id == id }.map { sleepers.remove(at: $0) }
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// The thread: waits for the earliest deadline, then resumes the sleepers due.
    private func run() {
        while true {
            let due: [Sleeper] = condition.locked {
                guard let first = sleepers.first else {
                    condition.wait()
                    return []
                }
                let now = SystemClock().now
                guard first.deadline <= now else {
                    _ = condition.wait(until: Date(timeIntervalSince1970: first.deadline.secondsSinceEpoch))
                    return []
                }
                let end = sleepers.firstIndex { $0.deadline > now } ?? sleepers.endIndex
                defer { sleepers.removeSubrange(..<end) }
                return Array(sleepers[..<end])
            }
            for sleeper in due { sleeper.continuation.resume() }
        }
    }
}

private extension NSCondition {
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}
