import Synchronization

/// A copy of a component's ``TimedStatus`` that can be read without suspending: an actor
/// updates it (under a lock) each time the state its status derives from changes, and its
/// ``TimedComponent/timedStatusNow(at:)`` returns it, so a ``TimeDriver`` reads the status at
/// every clock jump without a hop onto the actor.
package final class TimedStatusMirror: Sendable {
    private let status: Mutex<TimedStatus>

    package init(_ initial: TimedStatus = TimedStatus(pending: 0, nextDeadline: nil)) {
        status = Mutex(initial)
    }

    /// The status as last set.
    package var value: TimedStatus { status.withLock { $0 } }

    /// Records the status now.
    package func set(_ new: TimedStatus) { status.withLock { $0 = new } }
}
