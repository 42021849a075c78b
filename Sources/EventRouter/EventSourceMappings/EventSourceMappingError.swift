/// Everything wrong with one `EventSourceMappings` entry of a rule file, reported at once.
///
/// Each ``Problem`` names the key (a dotted path such as `DestinationConfig.OnFailure.Destination`)
/// and what to change, so a user can fix every mistake in one pass. The workspace loader adds
/// the file and the entry's index (``prefixed(by:)``).
public struct EventSourceMappingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One mistake in an entry.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The offending key as a dotted path, or `""` for the whole entry.
        public var key: String
        /// What is wrong and what to change.
        public var reason: String

        public init(key: String, reason: String) {
            self.key = key
            self.reason = reason
        }

        public var description: String { key.isEmpty ? reason : "\(key): \(reason)" }
    }

    /// The problems in document order.
    public var problems: [Problem]

    public init(problems: [Problem]) { self.problems = problems }

    /// The same problems with `prefix` (e.g. `Rules/orders.json: EventSourceMappings[0]`) before each key.
    public func prefixed(by prefix: String) -> EventSourceMappingError {
        EventSourceMappingError(problems: problems.map { p in
            Problem(key: p.key.isEmpty ? prefix : "\(prefix).\(p.key)", reason: p.reason)
        })
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
