/// The one clock of a runtime, chosen once when it is built: virtual (moved by the
/// ``TimeDriver`` to each next deadline) or real (slept on).
public enum DriveClock: Sendable {
    /// A manual clock the driver moves. Function handlers sleep on `handlers` (which reads and
    /// moves `clock`), so the driver knows how many of them are parked; without it they sleep
    /// on `clock` itself.
    case virtual(ManualClock, handlers: SettleClock? = nil)
    /// A clock that moves by itself.
    case real(any EventClock)

    /// The clock every component reads: the manual clock, or the real one.
    public var eventClock: any EventClock {
        switch self {
        case .virtual(let manual, _): manual
        case .real(let clock): clock
        }
    }

    /// The clock handlers sleep on for retries.
    public var handlerClock: any EventClock {
        switch self {
        case .virtual(let manual, let handlers): handlers ?? manual
        case .real(let clock): clock
        }
    }

    /// The manual clock when time is virtual.
    public var manual: ManualClock? {
        if case .virtual(let manual, _) = self { return manual }
        return nil
    }

    /// The current time.
    public var now: Timestamp { eventClock.now }

    func sleep(until deadline: Timestamp) async throws { try await eventClock.sleep(until: deadline) }

    /// The deadlines of tasks parked on a virtual clock (none on a real one).
    var sleeperDeadlines: [Timestamp] {
        guard case .virtual(let manual, let handlers) = self else { return [] }
        return [handlers?.nextDeadline, manual.nextDeadline].compactMap { $0 }
    }

    /// Handler events parked on a virtual clock.
    var parkedHandlers: Int {
        guard case .virtual(let manual, let handlers) = self else { return 0 }
        return handlers?.sleeperCount ?? manual.sleeperCount
    }
}
