/// The pure decision after each delivery attempt: done, retry at a time, dead-letter, or drop.
///
/// No clock, no I/O: it is given the attempt's outcome, how many retries were made, when the
/// event was accepted, the current time and a random number, and returns an ``Action``.
public struct DeliveryStateMachine: Sendable {
    /// Which limit ran out (the `EXHAUSTED_RETRY_CONDITION` attribute).
    public enum Exhausted: String, Sendable, Hashable {
        case maximumRetryAttempts = "MaximumRetryAttempts"
        case maximumEventAge = "MaximumEventAgeInSeconds"
    }

    /// Why a delivery failed for good.
    public struct Failure: Sendable, Hashable {
        public var code: String
        public var message: String
        /// `nil` for a non-retriable failure (no retry limit was involved).
        public var exhausted: Exhausted?
        /// Retries made before giving up.
        public var retryAttempts: Int
    }

    /// What to do next.
    public enum Action: Sendable, Hashable {
        case succeeded
        /// Try again at this time; `retry` is the 1-based number of the retry.
        case retry(at: Timestamp, retry: Int)
        /// Give up and send the event to the target's dead-letter queue.
        case deadLetter(Failure)
        /// Give up; there is no dead-letter queue.
        case drop(Failure)
    }

    public var policy: RetryPolicy
    public var backoff: Backoff
    public var hasDeadLetterQueue: Bool

    public init(policy: RetryPolicy, backoff: Backoff = Backoff(), hasDeadLetterQueue: Bool) {
        self.policy = policy
        self.backoff = backoff
        self.hasDeadLetterQueue = hasDeadLetterQueue
    }

    /// Decides what follows an attempt.
    /// - Parameters:
    ///   - outcome: the attempt's outcome.
    ///   - retriesSoFar: retries already made before this attempt (0 after the first attempt).
    ///   - acceptedAt: when the event was accepted; its age is measured from here.
    ///   - now: the time the attempt finished.
    ///   - unit: a uniform random number in `0..<1` for the jitter.
    public func next(after outcome: DeliveryOutcome, retriesSoFar: Int, acceptedAt: Timestamp, now: Timestamp, unit: Double) -> Action {
        switch outcome {
        case .success:
            return .succeeded
        case .nonRetriable(let code, let message):
            return give(Failure(code: code, message: message, exhausted: nil, retryAttempts: retriesSoFar))
        case .deferred(let until):
            // Not an attempt: the same attempt again later (the scheduler re-queues it itself).
            return .retry(at: max(until, now), retry: retriesSoFar)
        case .retriable(let code, let message):
            return retry(code: code, message: message, notBefore: nil, retriesSoFar: retriesSoFar, acceptedAt: acceptedAt, now: now, unit: unit)
        case .retriableAfter(let code, let message, let after):
            return retry(code: code, message: message, notBefore: now + after, retriesSoFar: retriesSoFar, acceptedAt: acceptedAt, now: now, unit: unit)
        }
    }

    /// A retriable failure: the next retry at the backoff's delay (or at `notBefore`, the
    /// target's `Retry-After`, when that is later), unless a limit ran out.
    private func retry(code: String, message: String, notBefore: Timestamp?, retriesSoFar: Int, acceptedAt: Timestamp, now: Timestamp,
                       unit: Double) -> Action {
        if retriesSoFar >= policy.maximumRetryAttempts {
            return give(Failure(code: code, message: message, exhausted: .maximumRetryAttempts, retryAttempts: retriesSoFar))
        }
        let retry = retriesSoFar + 1
        var due = now + backoff.delay(forRetry: retry, unit: unit)
        if let notBefore, notBefore > due { due = notBefore }
        if due - acceptedAt > policy.maximumEventAge {
            return give(Failure(code: code, message: message, exhausted: .maximumEventAge, retryAttempts: retriesSoFar))
        }
        return .retry(at: due, retry: retry)
    }

    private func give(_ failure: Failure) -> Action {
        hasDeadLetterQueue ? .deadLetter(failure) : .drop(failure)
    }
}
