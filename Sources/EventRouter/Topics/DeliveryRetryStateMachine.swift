/// The pure decision of what to do after each delivery attempt to one subscription.
///
/// Feed it each attempt's ``DeliveryOutcome``; it answers with the next ``Action``. A
/// client-side error is never retried; a server-side error is retried while the
/// ``DeliveryRetryPolicy`` has retries left, then the message is dead-lettered.
public struct DeliveryRetryStateMachine: Sendable, Hashable {
    /// What to do next.
    public enum Action: Sendable, Hashable {
        /// Delivered; nothing more to do.
        case done
        /// Attempt again after this delay (zero: at once).
        case retry(after: Duration)
        /// Give up: send to the subscription's dead-letter queue (or count as dropped).
        case deadLetter(code: String, message: String)
    }

    /// The policy followed.
    public let policy: DeliveryRetryPolicy
    /// Attempts made so far.
    public private(set) var attempts = 0

    public init(policy: DeliveryRetryPolicy) { self.policy = policy }

    /// A machine that has made `attempts` attempts already (a delivery recovered from the journal).
    init(policy: DeliveryRetryPolicy, attempts: Int) {
        self.policy = policy
        self.attempts = max(0, attempts)
    }

    /// Records one attempt's result and decides the next step.
    /// - Parameter jitterSample: a uniform sample in [0, 1) scaling the policy's jitter
    ///   (0.5 = no change); from the topic's seeded generator.
    public mutating func record(_ result: DeliveryOutcome, jitterSample: Double = 0.5) -> Action {
        attempts += 1
        switch result {
        case .success:
            return .done
        case .nonRetriable(let code, let message):
            return .deadLetter(code: code, message: message)
        case .deferred:
            return .retry(after: .seconds(1))
        case .retriable(let code, let message), .retriableAfter(let code, let message, _):
            guard let delay = policy.delay(beforeRetry: attempts) else {
                return .deadLetter(code: code, message: "\(message) (gave up after \(attempts) attempts)")
            }
            guard delay > .zero, policy.jitter > 0 else { return .retry(after: delay) }
            let factor = 1 + policy.jitter * (jitterSample * 2 - 1)
            return .retry(after: DeliveryRetryPolicy.duration(DeliveryRetryPolicy.seconds(delay) * factor))
        }
    }
}
