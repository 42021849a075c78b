import Testing
import EventRouterTesting

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2024-05-01T12:34:56Z", Int64(1_714_566_896)),
        ("1970-01-01T00:00:00Z", 0),
        ("2000-02-29T23:59:59Z", 951_868_799),
        ("2024-05-01T14:34:56+02:00", 1_714_566_896),
    ])
    func parsesAndFormatsISO8601(text: String, seconds: Int64) throws {
        let t = try #require(Timestamp(iso8601: text))
        #expect(t.nanosecondsSinceEpoch == seconds * 1_000_000_000)
        if text.hasSuffix("Z") { #expect(t.iso8601 == text) }
    }

    @Test(arguments: ["", "2024-13-01T00:00:00Z", "2024-05-01 12:00", "2024-05-01T12:00:00", "2024-05-01T12:00:00.Z"])
    func rejectsMalformedTimes(text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test func millisecondsFormat() {
        let t = Timestamp(nanosecondsSinceEpoch: 1_714_566_896_123_456_789)
        #expect(t.iso8601Milliseconds == "2024-05-01T12:34:56.123Z")
    }
}

@Suite struct ManualClockTests {
    @Test func sleepersWakeInDeadlineOrderAndNotEarly() async throws {
        let clock = ManualClock()
        let start = clock.now
        let order = OrderRecorder()
        async let a: Void = { try? await clock.sleep(for: .seconds(2)); await order.add("2s") }()
        async let b: Void = { try? await clock.sleep(for: .seconds(1)); await order.add("1s") }()
        await clock.waitForSleepers(2)
        clock.advance(by: .milliseconds(999))
        #expect(clock.sleeperCount == 2)
        clock.advance(by: .milliseconds(1))
        await clock.waitForSleepers(1)
        #expect(clock.sleeperCount == 1)
        clock.advance(to: start + .seconds(2))
        _ = await (a, b)
        #expect(await order.items == ["1s", "2s"])
        #expect(clock.now - start == .seconds(2))
    }

    @Test func cancellationRemovesTheSleeper() async {
        let clock = ManualClock()
        let task = Task { try await clock.sleep(for: .seconds(10)) }
        await clock.waitForSleepers(1)
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(clock.sleeperCount == 0)
    }
}

actor OrderRecorder {
    var items: [String] = []
    func add(_ s: String) { items.append(s) }
}
