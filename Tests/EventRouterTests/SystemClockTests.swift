import Testing
@testable import EventRouter

/// ``SystemClock``'s sleepers wait in the one ``SystemTimerQueue``: a deadline already passed
/// returns at once, and a cancelled sleep ends at once (it leaves the queue; nothing waits out
/// its deadline). No test sleeps in real time.
@Suite struct SystemClockTests {
    @Test func aDeadlineAlreadyPassedReturnsAtOnce() async throws {
        let clock = SystemClock()
        try await clock.sleep(until: clock.now - .seconds(1))
    }

    @Test func aCancelledSleepEndsAtOnceWithCancellationError() async {
        let clock = SystemClock()
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    do {
                        try await clock.sleep(until: clock.now + .seconds(3600))
                        return false
                    } catch {
                        return error is CancellationError
                    }
                }
            }
            group.cancelAll()
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == [true, true, true])
    }
}
