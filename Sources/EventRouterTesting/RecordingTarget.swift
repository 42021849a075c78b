import Synchronization

/// A target for tests: records every delivery it receives and answers with scripted outcomes
/// (the last outcome repeats; `.success` when none are scripted).
public final class RecordingTarget: EventTarget {
    private struct State {
        var deliveries: [TargetDelivery] = []
        var outcomes: [DeliveryOutcome]
        var clockReadings: [Timestamp] = []
    }

    private let state: Mutex<State>
    private let clock: (any EventClock)?

    /// - Parameters:
    ///   - outcomes: answers in order; the last repeats.
    ///   - clock: when given, the time of each delivery is recorded (``deliveryTimes``).
    public init(outcomes: [DeliveryOutcome] = [.success], clock: (any EventClock)? = nil) {
        state = Mutex(State(outcomes: outcomes))
        self.clock = clock
    }

    /// A target that always fails with a retriable `THROTTLING` error.
    public static func alwaysThrottling(clock: (any EventClock)? = nil) -> RecordingTarget {
        RecordingTarget(outcomes: [.retriable(code: "THROTTLING", message: "slow down")], clock: clock)
    }

    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        let now = clock?.now
        return state.withLock { s in
            s.deliveries.append(delivery)
            if let now { s.clockReadings.append(now) }
            if s.outcomes.count > 1 { return s.outcomes.removeFirst() }
            return s.outcomes.first ?? .success
        }
    }

    /// Every delivery received, in order.
    public var deliveries: [TargetDelivery] { state.withLock { $0.deliveries } }
    /// The number of deliveries received.
    public var count: Int { state.withLock { $0.deliveries.count } }
    /// The clock reading at each delivery (when made with a clock).
    public var deliveryTimes: [Timestamp] { state.withLock { $0.clockReadings } }
}
