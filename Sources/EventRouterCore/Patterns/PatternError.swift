/// An invalid event pattern, as EventBridge's `InvalidEventPatternException` reports it.
public struct PatternError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Path inside the pattern where the problem is, e.g. `detail.count[0].numeric[2]`
    /// (empty for the root).
    public var path: String
    /// What is wrong and what to change.
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    /// `InvalidEventPatternException: at PATH: REASON` (or without `at PATH` for the root).
    public var description: String {
        path.isEmpty ? "InvalidEventPatternException: \(reason)" : "InvalidEventPatternException: at \(path): \(reason)"
    }
}
