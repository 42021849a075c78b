/// The decisions of Lambda's asynchronous invocation, as a pure state machine.
///
/// The engine feeds it what happened (an event arrived, an attempt is due, an attempt ended)
/// and carries out the ``Action`` it returns. Rules (see `reference/semantics.md` §2):
/// - reserved concurrency 0: the event fails at once, no attempt (`ZeroReservedConcurrency`);
/// - throttled: retried after 1 s, 2 s, 4 s … capped at 5 min, while the event is younger than
///   `MaximumEventAgeInSeconds`;
/// - function error or timeout: retried `MaximumRetryAttempts` times, 1 min then 2 min apart,
///   unless the retry would come after the event's maximum age (`EventAgeExceeded`);
/// - otherwise `RetriesExhausted`; success ends with `Success`.
public struct AsyncInvocationStateMachine: Sendable {
    /// The settings the decisions depend on.
    public struct Policy: Sendable, Equatable {
        /// `MaximumRetryAttempts` (0–2).
        public var maximumRetryAttempts: Int
        /// `MaximumEventAgeInSeconds`.
        public var maximumEventAge: Duration
        /// `nil`: no reservation.
        public var reservedConcurrency: Int?
        /// The first throttle backoff; it doubles up to ``throttleMaximumDelay``.
        public var throttleInitialDelay: Duration = .seconds(1)
        /// The longest throttle backoff (5 min).
        public var throttleMaximumDelay: Duration = .seconds(300)
        /// The delay before retry 1, 2, … after a function error.
        public var retryDelays: [Duration] = [.seconds(60), .seconds(120)]

        public init(maximumRetryAttempts: Int = 2, maximumEventAge: Duration = .seconds(21_600), reservedConcurrency: Int? = nil) {
            self.maximumRetryAttempts = maximumRetryAttempts
            self.maximumEventAge = maximumEventAge
            self.reservedConcurrency = reservedConcurrency
        }

        /// The policy a manifest sets.
        public init(manifest: FunctionManifest) {
            self.init(
                maximumRetryAttempts: manifest.maximumRetryAttempts, maximumEventAge: .seconds(manifest.maximumEventAgeInSeconds),
                reservedConcurrency: manifest.reservedConcurrentExecutions)
        }
    }

    /// Why an event's processing ended: the invocation record's `requestContext.condition`.
    public enum Condition: String, Sendable, Equatable {
        case success = "Success"
        case retriesExhausted = "RetriesExhausted"
        case eventAgeExceeded = "EventAgeExceeded"
        case zeroReservedConcurrency = "ZeroReservedConcurrency"
    }

    /// One queued event's progress.
    public struct Event: Sendable, Equatable {
        public let requestId: String
        public let payload: JSONValue
        public let enqueuedAt: Timestamp
        /// The qualifier it was invoked with (`function:NAME:QUALIFIER`); `nil` = `$LATEST`.
        public var qualifier: String?
        /// Attempts that ran the function (the record's `approximateInvokeCount`).
        public internal(set) var invokeCount = 0
        /// Attempts refused for lack of concurrency.
        public internal(set) var throttleCount = 0
        /// The last attempt's result, if any attempt ended.
        public internal(set) var lastResult: InvocationResult?

        public init(requestId: String, payload: JSONValue, enqueuedAt: Timestamp) {
            self.requestId = requestId
            self.payload = payload
            self.enqueuedAt = enqueuedAt
        }
    }

    /// What the engine does next with an event.
    public enum Action: Sendable, Equatable {
        /// Attempt an invocation now.
        case invoke
        /// Attempt again at this time.
        case retry(at: Timestamp)
        /// Stop: send the record / dead-letter message for this condition.
        case finish(Condition)
    }

    /// The settings.
    public var policy: Policy

    public init(policy: Policy) { self.policy = policy }

    /// A new event arrived.
    public func admit(_ event: Event, now: Timestamp) -> Action {
        policy.reservedConcurrency == 0 ? .finish(.zeroReservedConcurrency) : .invoke
    }

    /// An attempt is due (after a wait): too old events fail, others are invoked.
    public func attemptDue(_ event: Event, now: Timestamp) -> Action {
        now - event.enqueuedAt > policy.maximumEventAge ? .finish(.eventAgeExceeded) : .invoke
    }

    /// The throttle backoff before retry `n` (1-based): 1 s, 2 s, 4 s, … at most 5 min.
    public func throttleDelay(afterThrottle n: Int) -> Duration {
        var delay = policy.throttleInitialDelay
        var i = 1
        while i < n && delay < policy.throttleMaximumDelay {
            delay = delay * 2
            i += 1
        }
        return min(delay, policy.throttleMaximumDelay)
    }

    /// An attempt ended with `result`; updates `event` and decides what follows.
    public func attemptEnded(_ event: inout Event, result: InvocationResult, now: Timestamp) -> Action {
        event.lastResult = result
        let retryAt: Timestamp
        switch result {
        case .success:
            event.invokeCount += 1
            return .finish(.success)
        case .throttled:
            event.throttleCount += 1
            retryAt = now + throttleDelay(afterThrottle: event.throttleCount)
        case .functionError:
            event.invokeCount += 1
            let retriesDone = event.invokeCount - 1
            guard retriesDone < policy.maximumRetryAttempts else { return .finish(.retriesExhausted) }
            let delays = policy.retryDelays
            retryAt = now + (delays.isEmpty ? .zero : delays[min(retriesDone, delays.count - 1)])
        }
        return retryAt - event.enqueuedAt > policy.maximumEventAge ? .finish(.eventAgeExceeded) : .retry(at: retryAt)
    }
}
