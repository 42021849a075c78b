import Testing
@testable import EventRouter

@Suite struct DeliveryStateMachineTests {
    let t0 = Timestamp(iso8601: "2024-01-01T00:00:00Z")!

    @Test(arguments: [(1, 1), (2, 2), (3, 4), (4, 8), (10, 512), (11, 720), (12, 720), (185, 720)])
    func backoffCeilingsDoubleUpToTheCap(retry: Int, seconds: Int) {
        #expect(Backoff().ceiling(forRetry: retry) == .seconds(seconds))
    }

    @Test func fullJitterStaysWithinTheCeiling() {
        let backoff = Backoff()
        let random = SharedRandom(seed: 99)
        for retry in 1...185 {
            let delay = backoff.delay(forRetry: retry, unit: random.nextUnit())
            #expect(delay >= .zero)
            #expect(delay <= backoff.ceiling(forRetry: retry))
        }
        #expect(backoff.delay(forRetry: 3, unit: 0) == .zero)
        #expect(backoff.delay(forRetry: 3, unit: 0.5) == .seconds(2))
    }

    @Test func defaultBackoffFits185RetriesInsideADay() {
        // Expected total wait: half of the sum of the ceilings (~17.6 h); even the
        // largest possible waits for the first 115 retries stay under 24 h.
        let backoff = Backoff()
        let mean = (1...185).reduce(0.0) { $0 + backoff.ceiling(forRetry: $1).seconds / 2 }
        #expect(mean > 17 * 3600 && mean < 18 * 3600)
        let worst = (1...115).reduce(0.0) { $0 + backoff.ceiling(forRetry: $1).seconds }
        #expect(worst < 24 * 3600)
    }

    @Test func successEndsTheDelivery() {
        let m = DeliveryStateMachine(policy: RetryPolicy(), hasDeadLetterQueue: true)
        #expect(m.next(after: .success, retriesSoFar: 3, acceptedAt: t0, now: t0, unit: 0.5) == .succeeded)
    }

    @Test func nonRetriableGoesStraightToTheDeadLetterQueueOrIsDropped() {
        let failure = DeliveryStateMachine.Failure(code: "NO_RESOURCE", message: "gone", exhausted: nil, retryAttempts: 0)
        let withDLQ = DeliveryStateMachine(policy: RetryPolicy(), hasDeadLetterQueue: true)
        #expect(withDLQ.next(after: .nonRetriable(code: "NO_RESOURCE", message: "gone"), retriesSoFar: 0, acceptedAt: t0, now: t0, unit: 0.5) == .deadLetter(failure))
        let without = DeliveryStateMachine(policy: RetryPolicy(), hasDeadLetterQueue: false)
        #expect(without.next(after: .nonRetriable(code: "NO_RESOURCE", message: "gone"), retriesSoFar: 0, acceptedAt: t0, now: t0, unit: 0.5) == .drop(failure))
    }

    @Test func retriableFailuresRetryAtNowPlusJitteredBackoff() {
        let m = DeliveryStateMachine(policy: RetryPolicy(), hasDeadLetterQueue: true)
        let now = t0 + .seconds(10)
        #expect(m.next(after: .retriable(code: "THROTTLING", message: "x"), retriesSoFar: 2, acceptedAt: t0, now: now, unit: 0.25) == .retry(at: now + .seconds(1), retry: 3))
    }

    @Test func maximumRetryAttemptsRunsOut() {
        let m = DeliveryStateMachine(policy: RetryPolicy(maximumRetryAttempts: 2), hasDeadLetterQueue: true)
        let action = m.next(after: .retriable(code: "TIMEOUT", message: "slow"), retriesSoFar: 2, acceptedAt: t0, now: t0 + .seconds(5), unit: 0.1)
        #expect(action == .deadLetter(.init(code: "TIMEOUT", message: "slow", exhausted: .maximumRetryAttempts, retryAttempts: 2)))
        let zero = DeliveryStateMachine(policy: RetryPolicy(maximumRetryAttempts: 0), hasDeadLetterQueue: false)
        #expect(zero.next(after: .retriable(code: "TIMEOUT", message: "slow"), retriesSoFar: 0, acceptedAt: t0, now: t0, unit: 0.1)
            == .drop(.init(code: "TIMEOUT", message: "slow", exhausted: .maximumRetryAttempts, retryAttempts: 0)))
    }

    @Test func maximumEventAgeRunsOutWhenTheNextRetryWouldBeTooLate() {
        let m = DeliveryStateMachine(policy: RetryPolicy(maximumRetryAttempts: 185, maximumEventAgeInSeconds: 60), hasDeadLetterQueue: true)
        // Retry 7 has a 64 s ceiling: at unit 0.9 it would be due 57.6 s after now = t0+10 s, past the 60 s age.
        let late = m.next(after: .retriable(code: "THROTTLING", message: "x"), retriesSoFar: 6, acceptedAt: t0, now: t0 + .seconds(10), unit: 0.9)
        #expect(late == .deadLetter(.init(code: "THROTTLING", message: "x", exhausted: .maximumEventAge, retryAttempts: 6)))
        // The same retry drawn early still fits.
        let early = m.next(after: .retriable(code: "THROTTLING", message: "x"), retriesSoFar: 6, acceptedAt: t0, now: t0 + .seconds(10), unit: 0.5)
        #expect(early == .retry(at: t0 + .seconds(42), retry: 7))
    }
}
