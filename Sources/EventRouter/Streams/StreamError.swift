/// An error of a stream operation, carrying Kinesis Data Streams' error code.
///
/// The ``message`` names what was wrong and what to change; ``code`` is the name Kinesis
/// uses on the wire (`ResourceNotFoundException`, …), so the HTTP layer can pass it through.
public struct StreamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A Kinesis error code, compared by name.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The wire name, e.g. `InvalidArgumentException`.
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The stream or shard does not exist.
        public static let resourceNotFound = Code("ResourceNotFoundException")
        /// A stream with that name already exists.
        public static let resourceInUse = Code("ResourceInUseException")
        /// A parameter is malformed or out of range.
        public static let invalidArgument = Code("InvalidArgumentException")
        /// The shard's write or read rate was exceeded; retry later.
        public static let provisionedThroughputExceeded = Code("ProvisionedThroughputExceededException")
        /// The shard iterator is older than five minutes.
        public static let expiredIterator = Code("ExpiredIteratorException")
        /// A quota (e.g. the number of open shards) would be exceeded.
        public static let limitExceeded = Code("LimitExceededException")
        /// An unexpected internal failure.
        public static let internalFailure = Code("InternalFailure")
    }

    /// The Kinesis error code.
    public var code: Code
    /// What was wrong and what to change.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Whether retrying the same request later can succeed (throttling).
    public var isRetriable: Bool { code == .provisionedThroughputExceeded || code == .internalFailure }

    public var description: String { "\(code): \(message)" }

    static func invalid(_ message: String) -> StreamError { StreamError(.invalidArgument, message) }
}
