import Synchronization

/// The log sink of a replay's summary: keeps the messages of the latest failure records
/// (failed dead-letter sends of rule targets, refused function destinations), at most
/// ``limit`` of each, which the summary lists under its counters.
final class ReplayFailureLog: LogSink {
    /// How many messages of each kind are kept.
    static let limit = 100
    private let state = Mutex<(deadLetters: [String], destinations: [String])>(([], []))

    func log(_ record: LogRecord) {
        switch record.category {
        case .deadLetter: state.withLock { Self.keep(record.message, in: &$0.deadLetters) }
        case .destinationFailure: state.withLock { Self.keep(record.message, in: &$0.destinations) }
        default: break
        }
    }

    /// The latest failed dead-letter sends, oldest first.
    var deadLetterFailures: [String] { state.withLock { $0.deadLetters } }
    /// The latest refused invocation records and dead-letter messages of functions, oldest first.
    var destinationFailures: [String] { state.withLock { $0.destinations } }

    private static func keep(_ message: String, in list: inout [String]) {
        list.append(message)
        if list.count > limit { list.removeFirst(list.count - limit) }
    }
}
