import Dispatch
import EventRouter
import Synchronization

/// A ``LogSink`` that writes each record at or above a level as one line
/// (`LEVEL [category] message (key=value, …)`), for `eventrouter run --log-level`.
///
/// Logging never blocks the caller: records are formatted and queued under a short lock and
/// written by a serial queue of their own (never on Swift's cooperative pool). When more than
/// `capacity` lines wait (a reader that does not keep up), further records are counted instead
/// and one line says how many were left out.
public final class LineLogSink: LogSink {
    /// The levels `--log-level` accepts and the lowest ``LogLevel`` each one prints.
    public static let levels: [(name: String, minimum: LogLevel)] = [("error", .error), ("warn", .warning), ("info", .info), ("debug", .trace)]

    /// The lowest level written.
    public let minimum: LogLevel
    private let write: @Sendable (String) -> Void
    private let capacity: Int
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "eventrouter.log-lines")

    private struct State {
        var lines: [String] = []
        var dropped = 0
        var scheduled = false
    }

    /// - Parameters:
    ///   - minimum: the lowest level written.
    ///   - capacity: lines that may wait for the writer before records are counted instead.
    ///   - write: writes one or more whole lines (each ends in a newline).
    public init(minimum: LogLevel, capacity: Int = 10_000, write: @escaping @Sendable (String) -> Void) {
        self.minimum = minimum
        self.capacity = capacity
        self.write = write
    }

    /// The level named by `--log-level NAME`.
    /// - Throws: a message listing the names when `name` is not one of them.
    public static func level(named name: String) throws(RouterServerError) -> LogLevel {
        guard let found = levels.first(where: { $0.name == name }) else {
            throw RouterServerError("--log-level must be one of \(levels.map(\.name).joined(separator: ", ")), got '\(name)'")
        }
        return found.minimum
    }

    /// Whether a record at `level` would be written (check before building a costly record).
    public func accepts(_ level: LogLevel) -> Bool { level >= minimum }

    public func log(_ record: LogRecord) {
        guard record.level >= minimum else { return }
        let line = record.description + "\n"
        let schedule = state.withLock { s -> Bool in
            guard s.lines.count < capacity else {
                s.dropped += 1
                return false
            }
            s.lines.append(line)
            defer { s.scheduled = true }
            return !s.scheduled
        }
        if schedule { queue.async { self.drain() } }
    }

    /// Waits until every queued line is written.
    public func flush() { queue.sync {} }

    private func drain() {
        while true {
            let (lines, dropped) = state.withLock { s -> ([String], Int) in
                guard !s.lines.isEmpty || s.dropped > 0 else {
                    s.scheduled = false
                    return ([], 0)
                }
                defer {
                    s.lines.removeAll(keepingCapacity: true)
                    s.dropped = 0
                }
                return (s.lines, s.dropped)
            }
            guard !lines.isEmpty || dropped > 0 else { return }
            var text = lines.joined()
            if dropped > 0 { text += "warning [general] \(dropped) log record\(dropped == 1 ? "" : "s") left out: the output was not read fast enough\n" }
            write(text)
        }
    }
}
