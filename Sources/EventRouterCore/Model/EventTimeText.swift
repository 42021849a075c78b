import Synchronization

/// The ISO-8601 text of event times (`2024-01-01T00:00:00Z`), formatted once per second:
/// every event put within the same second of the clock shares the text.
package final class EventTimeText: Sendable {
    private struct Cached: Sendable {
        var second: Int64
        var text: String
    }

    private let cached = Mutex<Cached?>(nil)

    package init() {}

    /// `time.iso8601`.
    package func text(for time: Timestamp) -> String {
        let nanos = time.nanosecondsSinceEpoch
        var second = nanos / 1_000_000_000
        if nanos % 1_000_000_000 < 0 { second -= 1 }
        if let hit = cached.withLock({ c in c.flatMap { $0.second == second ? $0.text : nil } }) { return hit }
        let text = time.iso8601
        cached.withLock { $0 = Cached(second: second, text: text) }
        return text
    }
}
