import Synchronization

/// Shows the progress of a long replay: on a terminal one line redrawn in place (from
/// ``Configuration/terminalDelay`` on, at most every ``Configuration/terminalInterval``),
/// otherwise a plain line every ``Configuration/plainInterval``. A replay that ends sooner
/// shows nothing.
///
/// Output goes through an injected writer and time through an injected clock, so tests use a
/// fake output and a ``ManualClock``. Whether stderr is a terminal is the caller's decision
/// (`isatty(2)`).
public final class ReplayProgressReporter: Sendable {
    /// When to write.
    public struct Configuration: Sendable {
        /// Whether the output is a terminal (single updating line) or not (plain lines).
        public var isTerminal: Bool
        /// The least time between two redraws on a terminal.
        public var terminalInterval: Duration
        /// How long a replay runs before the terminal line first appears.
        public var terminalDelay: Duration
        /// The time between two plain lines.
        public var plainInterval: Duration

        public init(isTerminal: Bool, terminalInterval: Duration = .milliseconds(100), terminalDelay: Duration = .milliseconds(500),
                    plainInterval: Duration = .seconds(5)) {
            self.isTerminal = isTerminal
            self.terminalInterval = terminalInterval
            self.terminalDelay = terminalDelay
            self.plainInterval = plainInterval
        }
    }

    private struct State {
        var lastWrite: Timestamp?
        var wrote = false
        var finished = false
    }

    public let total: Int
    public let configuration: Configuration
    private let clock: any EventClock
    private let write: @Sendable (String) -> Void
    private let start: Timestamp
    private let state = Mutex(State())

    /// - Parameters:
    ///   - total: the number of events to replay.
    ///   - write: receives text exactly as it should appear (including `\r` and newlines).
    public init(total: Int, configuration: Configuration, clock: any EventClock, write: @escaping @Sendable (String) -> Void) {
        self.total = total
        self.configuration = configuration
        self.clock = clock
        self.write = write
        self.start = clock.now
    }

    /// Reports `done` events so far; writes if it is time to.
    public func update(done: Int) {
        let now = clock.now
        let text: String? = state.withLock { s in
            guard !s.finished else { return nil }
            let interval = configuration.isTerminal ? configuration.terminalInterval : configuration.plainInterval
            let first = configuration.isTerminal ? configuration.terminalDelay : interval
            let due = s.lastWrite.map { now - $0 >= interval } ?? (now - start >= first)
            guard due else { return nil }
            s.lastWrite = now
            s.wrote = true
            return render(done: done, now: now, final: false)
        }
        if let text { write(text) }
    }

    /// Ends the display: if anything was shown, the line is drawn a last time (ended with a
    /// newline on a terminal).
    public func finish(done: Int) {
        let now = clock.now
        let text: String? = state.withLock { s in
            guard !s.finished else { return nil }
            s.finished = true
            guard s.wrote else { return nil }
            return render(done: done, now: now, final: true)
        }
        if let text { write(text) }
    }

    private func render(done: Int, now: Timestamp, final: Bool) -> String {
        let elapsed = now - start
        if configuration.isTerminal {
            return "\r\u{1B}[K" + ReplayProgress.bar(done: done, total: total, elapsed: elapsed) + (final ? "\n" : "")
        }
        return ReplayProgress.line(done: done, total: total, elapsed: elapsed) + "\n"
    }
}
