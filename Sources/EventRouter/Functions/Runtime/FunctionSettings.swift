import Synchronization

/// The settings of a function that can change while it runs: what Lambda's
/// `PutFunctionEventInvokeConfig` / `UpdateFunctionEventInvokeConfig` and
/// `PutFunctionConcurrency` / `DeleteFunctionConcurrency` change. They start from the manifest;
/// the function's runtime and asynchronous engine read them at each decision, so a change
/// applies to the next attempt (an attempt in flight keeps what it started with).
public final class FunctionSettings: Sendable {
    /// One consistent copy of the settings.
    public struct Values: Sendable, Equatable {
        /// `MaximumRetryAttempts` (0–2).
        public var maximumRetryAttempts: Int
        /// `MaximumEventAgeInSeconds` (60–21600).
        public var maximumEventAgeInSeconds: Int
        /// `DestinationConfig.OnSuccess.Destination`.
        public var onSuccessDestination: String?
        /// `DestinationConfig.OnFailure.Destination`.
        public var onFailureDestination: String?
        /// Whether an event-invoke configuration exists (the manifest set one, or it was put).
        public var eventInvokeConfigured: Bool
        /// When the event-invoke configuration last changed.
        public var eventInvokeLastModified: Timestamp?
        /// `ReservedConcurrentExecutions`; `nil`: no reservation.
        public var reservedConcurrency: Int?
        /// The delays before retry 1, 2 after a function error (Lambda: 1 min, 2 min).
        public var retryDelays: [Duration]
        /// The first throttle backoff of asynchronous events (Lambda: 1 s, doubling to 5 min).
        public var throttleInitialDelay: Duration
    }

    /// Lambda's defaults of an event-invoke configuration.
    public static let defaultMaximumRetryAttempts = 2
    public static let defaultMaximumEventAgeInSeconds = 21_600
    /// Lambda's delays before the retries of a failed asynchronous invocation.
    public static let lambdaRetryDelays: [Duration] = [.seconds(60), .seconds(120)]

    private let state: Mutex<Values>

    /// Settings as `manifest` declares them.
    public init(manifest: FunctionManifest) {
        let configured = manifest.maximumRetryAttempts != Self.defaultMaximumRetryAttempts
            || manifest.maximumEventAgeInSeconds != Self.defaultMaximumEventAgeInSeconds
            || manifest.onSuccessDestination != nil || manifest.onFailureDestination != nil
        state = Mutex(Values(
            maximumRetryAttempts: manifest.maximumRetryAttempts, maximumEventAgeInSeconds: manifest.maximumEventAgeInSeconds,
            onSuccessDestination: manifest.onSuccessDestination, onFailureDestination: manifest.onFailureDestination,
            eventInvokeConfigured: configured, eventInvokeLastModified: nil,
            reservedConcurrency: manifest.reservedConcurrentExecutions, retryDelays: Self.lambdaRetryDelays,
            throttleInitialDelay: .seconds(1)))
    }

    /// A copy of the settings now.
    public var values: Values { state.withLock { $0 } }

    /// The reservation now (`nil`: none).
    public var reservedConcurrency: Int? { state.withLock { $0.reservedConcurrency } }

    /// Changes the settings in one step and returns the result.
    @discardableResult
    public func update(_ body: (inout Values) -> Void) -> Values {
        state.withLock { v in
            body(&v)
            return v
        }
    }

    /// The asynchronous decisions these settings make now.
    public var policy: AsyncInvocationStateMachine.Policy {
        let v = values
        var policy = AsyncInvocationStateMachine.Policy(
            maximumRetryAttempts: v.maximumRetryAttempts, maximumEventAge: .seconds(v.maximumEventAgeInSeconds),
            reservedConcurrency: v.reservedConcurrency)
        policy.retryDelays = v.retryDelays
        policy.throttleInitialDelay = v.throttleInitialDelay
        return policy
    }
}
