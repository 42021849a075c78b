/// A piece of the router whose work happens at points in time: it runs what is due at `now`
/// and reports how much work it holds and when the next piece is due. The one drive loop,
/// ``TimeDriver``, runs every component of a runtime on one clock.
///
/// Adopted by the delivery scheduler, topic retries, the functions' asynchronous engines and
/// event source mappings.
public protocol TimedComponent: Sendable {
    /// How the driver treats the component.
    var timedRole: TimedRole { get }
    /// Runs every piece of work due at `now` (never sleeps, never moves the clock) and returns
    /// how many pieces made progress.
    func runDue(at now: Timestamp) async -> Int
    /// The work the component holds and its earliest deadline, as of `now`.
    func timedStatus(at now: Timestamp) async -> TimedStatus
}

/// How the drive loop treats a ``TimedComponent``.
public enum TimedRole: Sendable, Hashable {
    /// Work waits for deadlines in the component (deliveries, topic retries): it runs when due.
    case scheduled
    /// Work runs in tasks of the component's own (function handlers) and parks on the driver's
    /// clock to wait; under virtual time the driver waits until all of it has parked or settled
    /// before it moves the clock, and the component signals the driver's ``WakeSignal`` each time.
    case handlers
    /// The component polls sources (event source mappings): it is polled again at the same
    /// instant when handlers changed something, and work that makes no progress for
    /// ``SettleLimits/maximumStalledPolls`` jumps in a row counts as blocked.
    case poller
}

/// What a ``TimedComponent`` holds: pending work and the earliest deadline.
public struct TimedStatus: Sendable, Hashable {
    /// Pieces of work waiting, running or parked (0 when idle).
    public var pending: Int
    /// When the next piece is due (`nil`: nothing waits for a time).
    public var nextDeadline: Timestamp?
    /// Handlers: pending pieces parked on the clock waiting for a deadline (the rest are running).
    public var parked: Int

    public init(pending: Int, nextDeadline: Timestamp?, parked: Int = 0) {
        self.pending = pending
        self.nextDeadline = nextDeadline
        self.parked = parked
    }
}

/// The one set of bounds on settling.
public struct SettleLimits: Sendable, Hashable {
    /// Clock jumps allowed (each jump goes to the next deadline); virtual time only.
    public var maximumClockJumps: Int
    /// Virtual time allowed to pass.
    public var maximumVirtualTime: Duration
    /// Jumps (or, on a real clock, polls) in a row in which only pollers had work and made no
    /// progress, after which that work counts as blocked for good.
    public var maximumStalledPolls: Int

    public init(maximumClockJumps: Int = 5_000_000, maximumVirtualTime: Duration = .seconds(30 * 86_400), maximumStalledPolls: Int = 2_000) {
        self.maximumClockJumps = maximumClockJumps
        self.maximumVirtualTime = maximumVirtualTime
        self.maximumStalledPolls = maximumStalledPolls
    }
}
