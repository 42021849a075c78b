import Testing
import Synchronization
import EventRouterTesting

@Suite struct PaceTests {
    static let t0 = Timestamp(nanosecondsSinceEpoch: 1_704_067_200_000_000_000)

    @Test(arguments: [("original", ReplayPace.original), ("max", .max), ("x2", .scaled(2)), ("x0.5", .scaled(0.5)), ("x1", .original)])
    func parsesPaces(text: String, pace: ReplayPace) throws {
        #expect(try ReplayPace(parsing: text) == pace)
    }

    @Test(arguments: ["fast", "x0", "x-1", "x", "2", "xinf"])
    func rejectsBadPaces(text: String) {
        do {
            _ = try ReplayPace(parsing: text)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "--pace must be original, max or xN with N a positive number (x2 = twice as fast, x0.5 = half as fast), not '\(text)'")
        }
    }

    /// (pace, event times in seconds after t0 or nil, expected offsets in milliseconds)
    static let schedules: [(ReplayPace, [Int?], [Int64])] = [
        (.original, [0, 10, 15, 75], [0, 10_000, 15_000, 75_000]),
        (.scaled(10), [0, 10, 15, 75], [0, 1_000, 1_500, 7_500]),
        (.scaled(0.5), [0, 10], [0, 20_000]),
        (.max, [0, 10, 15, 3600], [0, 0, 0, 0]),
        (.original, [nil, 0, nil, 10, nil], [0, 0, 0, 10_000, 10_000]),  // no time: right after the previous one
        (.original, [100, 50, 110], [0, 0, 10_000]),                        // backwards: no waiting, no rewind
    ]

    @Test(arguments: schedules)
    func schedulesByTimeGaps(pace: ReplayPace, times: [Int?], offsets: [Int64]) {
        var pacer = ReplayPacer(pace: pace)
        let got = times.map { t in pacer.offset(for: t.map { Self.t0 + .seconds($0) }).nanoseconds / 1_000_000 }
        #expect(got == offsets)
    }

    @Test func readsTheTimeOfEnvelopesAndEntries() {
        #expect(ReplayPacer.time(ofLine: ["time": "2024-01-01T00:00:10Z"]) == Self.t0 + .seconds(10))
        #expect(ReplayPacer.time(ofLine: ["Time": "2024-01-01T00:00:10Z"]) == Self.t0 + .seconds(10))
        #expect(ReplayPacer.time(ofLine: ["time": "yesterday"]) == nil)
        #expect(ReplayPacer.time(ofLine: ["source": "x"]) == nil)
    }
}

/// Collects what a reporter writes.
final class FakeOutput: Sendable {
    private let text = Mutex<[String]>([])
    var writes: [String] { text.withLock { $0 } }
    var write: @Sendable (String) -> Void { { [self] s in text.withLock { $0.append(s) } } }
}

@Suite struct PaceProgressTests {
    @Test(arguments: [
        (0, 100, 0.0, "[------------------------] 0/100 events 0%  - ev/s  ? left"),
        (25, 100, 5.0, "[######------------------] 25/100 events 25%  5.0 ev/s  15s left"),
        (1200, 3000, 2.0, "[#########---------------] 1200/3000 events 40%  600 ev/s  3s left"),
        (100, 100, 1.0, "[########################] 100/100 events 100%  100 ev/s  0s left"),
    ])
    func formatsTheBar(done: Int, total: Int, seconds: Double, expected: String) {
        #expect(ReplayProgress.bar(done: done, total: total, elapsed: .milliseconds(Int64(seconds * 1000))) == expected)
    }

    @Test(arguments: [(0.2, "1s"), (42, "42s"), (185, "3m05s"), (3720, "1h02m")])
    func formatsDurations(seconds: Double, text: String) {
        #expect(ReplayProgress.duration(seconds) == text)
    }

    @Test func terminalRedrawsOneLineAtMostEveryInterval() {
        let clock = ManualClock()
        let out = FakeOutput()
        let reporter = ReplayProgressReporter(total: 10, configuration: .init(isTerminal: true, terminalDelay: .zero), clock: clock, write: out.write)
        reporter.update(done: 1)
        clock.advance(by: .milliseconds(50))
        reporter.update(done: 2)                 // too soon: skipped
        clock.advance(by: .milliseconds(50))
        reporter.update(done: 3)
        clock.advance(by: .milliseconds(900))
        reporter.finish(done: 10)
        #expect(out.writes.count == 3)
        #expect(out.writes.allSatisfy { $0.hasPrefix("\r\u{1B}[K[") })
        #expect(out.writes[1].contains("3/10 events 30%  30.0 ev/s"))
        #expect(out.writes[2] == "\r\u{1B}[K[########################] 10/10 events 100%  10.0 ev/s  0s left\n")
        #expect(!out.writes[0].hasSuffix("\n"))
    }

    @Test func plainOutputWritesPeriodicLines() {
        let clock = ManualClock()
        let out = FakeOutput()
        let reporter = ReplayProgressReporter(total: 100, configuration: .init(isTerminal: false, plainInterval: .seconds(5)), clock: clock, write: out.write)
        reporter.update(done: 10)                // before the first interval: quiet
        clock.advance(by: .seconds(5))
        reporter.update(done: 50)
        clock.advance(by: .seconds(1))
        reporter.update(done: 60)                // quiet
        clock.advance(by: .seconds(4))
        reporter.update(done: 90)
        reporter.finish(done: 100)
        #expect(out.writes == [
            "replay: 50/100 events (50%), 10.0 events/s, 5s left\n",
            "replay: 90/100 events (90%), 9.0 events/s, 2s left\n",
            "replay: 100/100 events (100%), 10.0 events/s, 0s left\n",
        ])
    }

    @Test func shortTerminalRunsStayQuiet() {
        let clock = ManualClock()
        let out = FakeOutput()
        let reporter = ReplayProgressReporter(total: 3, configuration: .init(isTerminal: true), clock: clock, write: out.write)
        reporter.update(done: 1)
        clock.advance(by: .milliseconds(400))
        reporter.update(done: 3)
        reporter.finish(done: 3)
        #expect(out.writes.isEmpty)
        let slow = ReplayProgressReporter(total: 3, configuration: .init(isTerminal: true), clock: clock, write: out.write)
        clock.advance(by: .milliseconds(500))
        slow.update(done: 1)
        #expect(out.writes.count == 1)
    }

    @Test func shortPlainRunsStayQuiet() {
        let clock = ManualClock()
        let out = FakeOutput()
        let reporter = ReplayProgressReporter(total: 3, configuration: .init(isTerminal: false), clock: clock, write: out.write)
        reporter.update(done: 3)
        reporter.finish(done: 3)
        #expect(out.writes.isEmpty)
    }
}
