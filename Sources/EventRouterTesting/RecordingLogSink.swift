import EventRouter
import Synchronization

/// A ``LogSink`` that keeps every record in memory, for tests to assert on.
public final class RecordingLogSink: LogSink {
    private let state = Mutex<[LogRecord]>([])

    public init() {}

    public func log(_ record: LogRecord) { state.withLock { $0.append(record) } }

    /// Every record so far, in order.
    public var records: [LogRecord] { state.withLock { $0 } }

    /// The records of `category`, optionally at `level` or above.
    public func records(_ category: LogRecord.Category, atLeast level: LogLevel = .trace) -> [LogRecord] {
        records.filter { $0.category == category && $0.level >= level }
    }

    /// The messages of every record, in order.
    public var messages: [String] { records.map(\.message) }

    /// Forgets every record.
    public func removeAll() { state.withLock { $0.removeAll() } }
}
