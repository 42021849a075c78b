import Testing
@testable import EventRouter

/// The two outcomes API destinations added: a retry no sooner than `Retry-After`, and a
/// rate-limit deferral that is not an attempt.
@Suite struct DeliveryDeferralTests {
    static let t0 = Timestamp(secondsSinceEpoch: 1_700_000_000)

    @Test func retriableAfterWaitsForTheLaterOfBackoffAndRetryAfter() {
        let machine = DeliveryStateMachine(policy: RetryPolicy(maximumRetryAttempts: 3), hasDeadLetterQueue: true)
        let late = machine.next(after: .retriableAfter(code: "THROTTLING", message: "m", after: .seconds(120)), retriesSoFar: 0,
                                acceptedAt: Self.t0, now: Self.t0, unit: 0.5)
        #expect(late == .retry(at: Self.t0 + .seconds(120), retry: 1))
        // A Retry-After shorter than the backoff leaves the backoff's time.
        let early = machine.next(after: .retriableAfter(code: "THROTTLING", message: "m", after: .zero), retriesSoFar: 0,
                                 acceptedAt: Self.t0, now: Self.t0, unit: 0.5)
        let plain = machine.next(after: .retriable(code: "THROTTLING", message: "m"), retriesSoFar: 0, acceptedAt: Self.t0, now: Self.t0, unit: 0.5)
        #expect(early == plain)
    }

    @Test func retriableAfterStillEndsAtTheRetryLimitAndTheEventAge() {
        let machine = DeliveryStateMachine(policy: RetryPolicy(maximumRetryAttempts: 1, maximumEventAgeInSeconds: 60), hasDeadLetterQueue: true)
        let exhausted = machine.next(after: .retriableAfter(code: "C", message: "m", after: .seconds(1)), retriesSoFar: 1,
                                     acceptedAt: Self.t0, now: Self.t0, unit: 0)
        #expect(exhausted == .deadLetter(.init(code: "C", message: "m", exhausted: .maximumRetryAttempts, retryAttempts: 1)))
        let tooOld = machine.next(after: .retriableAfter(code: "C", message: "m", after: .seconds(3600)), retriesSoFar: 0,
                                  acceptedAt: Self.t0, now: Self.t0, unit: 0)
        #expect(tooOld == .deadLetter(.init(code: "C", message: "m", exhausted: .maximumEventAge, retryAttempts: 0)))
    }

    @Test func aDeferralIsTheSameAttemptLaterAndHasNoErrorCode() {
        let machine = DeliveryStateMachine(policy: RetryPolicy(maximumRetryAttempts: 0), hasDeadLetterQueue: false)
        let until = Self.t0 + .milliseconds(500)
        #expect(machine.next(after: .deferred(until: until), retriesSoFar: 0, acceptedAt: Self.t0, now: Self.t0, unit: 0) == .retry(at: until, retry: 0))
        #expect(DeliveryOutcome.deferred(until: until).errorCode == nil)
        #expect(DeliveryOutcome.retriableAfter(code: "C", message: "m", after: .seconds(1)).errorMessage == "m")
    }

    @Test func theRateLimiterGivesABurstThenOneTokenPerInterval() {
        var limiter = InvocationRateLimiter(ratePerSecond: 4, now: Self.t0)
        for _ in 0..<4 { #expect(limiter.take(now: Self.t0) == nil) }
        #expect(limiter.take(now: Self.t0) == Self.t0 + .milliseconds(250))
        #expect(limiter.take(now: Self.t0 + .milliseconds(250)) == nil)
        #expect(limiter.take(now: Self.t0 + .milliseconds(250)) == Self.t0 + .milliseconds(500))
        // An idle hour saves up no more than one second's worth.
        let later = Self.t0 + .seconds(3600)
        for _ in 0..<4 { #expect(limiter.take(now: later) == nil) }
        #expect(limiter.take(now: later) != nil)
    }
}
