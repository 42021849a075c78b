/// The one logging seam of the library: every component that reports what happened (function
/// invocations, retries, destinations, event source mapping batches, delivery failures) sends
/// a ``LogRecord`` to the sink it was given when the runtime was built.
///
/// A sink must be cheap and must not block: it is called on hot paths, inside actors and
/// under no lock of the caller's. ``DiscardingLogSink`` is the default; `EventRouterTesting`
/// has an in-memory recorder; `replay --trace` prints function and mapping records.
public protocol LogSink: Sendable {
    /// Records one entry.
    func log(_ record: LogRecord)
}

extension LogSink {
    /// Records a message at `level` with `metadata`.
    public func log(_ level: LogLevel, _ message: String, _ metadata: LogMetadata = LogMetadata()) {
        log(LogRecord(level: level, message: message, metadata: metadata))
    }
}

/// How much a record matters.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case trace, debug, info, notice, warning, error

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .notice: "notice"
        case .warning: "warning"
        case .error: "error"
        }
    }
}

/// The structured part of a record: which event, rule, target, function and request it concerns.
public struct LogMetadata: Sendable, Equatable {
    /// The event id (EventBridge), or the source event an invocation carries.
    public var eventId: String?
    /// The rule (name or ARN).
    public var rule: String?
    /// The target id or destination ARN.
    public var target: String?
    /// The function ARN.
    public var function: String?
    /// The Lambda request id.
    public var requestId: String?
    /// Anything else, e.g. `["attempt": "2", "code": "Sandbox.Timedout"]`.
    public var extra: [String: String]

    public init(eventId: String? = nil, rule: String? = nil, target: String? = nil, function: String? = nil, requestId: String? = nil,
                extra: [String: String] = [:]) {
        self.eventId = eventId
        self.rule = rule
        self.target = target
        self.function = function
        self.requestId = requestId
        self.extra = extra
    }
}

/// One log entry.
public struct LogRecord: Sendable, Equatable, CustomStringConvertible {
    /// What kind of record it is, for filtering (e.g. ``Category/invocation``).
    public struct Category: Sendable, Hashable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A function invocation attempt ended.
        public static let invocation = Category("invocation")
        /// An asynchronous event waits for a retry (function error or throttle).
        public static let retry = Category("retry")
        /// An invocation record or dead-letter message went to a destination (or failed to).
        public static let destination = Category("destination")
        /// An event source mapping invoked a function with a batch.
        public static let mappingBatch = Category("mapping-batch")
        /// A function's invocation record or dead-letter message was refused by its destination.
        public static let destinationFailure = Category("destination-failure")
        /// A rule target's dead-letter send failed.
        public static let deadLetter = Category("dead-letter")
        /// Anything else.
        public static let general = Category("general")
    }

    public var level: LogLevel
    public var message: String
    public var metadata: LogMetadata
    public var category: Category

    public init(level: LogLevel, message: String, metadata: LogMetadata = LogMetadata(), category: Category = .general) {
        self.level = level
        self.message = message
        self.metadata = metadata
        self.category = category
    }

    /// `LEVEL [category] message (key=value, …)`.
    public var description: String {
        var pairs: [String] = []
        if let v = metadata.eventId { pairs.append("event=\(v)") }
        if let v = metadata.rule { pairs.append("rule=\(v)") }
        if let v = metadata.target { pairs.append("target=\(v)") }
        if let v = metadata.function { pairs.append("function=\(v)") }
        if let v = metadata.requestId { pairs.append("request=\(v)") }
        for (k, v) in metadata.extra.sorted(by: { $0.key < $1.key }) { pairs.append("\(k)=\(v)") }
        return "\(level) [\(category)] \(message)" + (pairs.isEmpty ? "" : " (" + pairs.joined(separator: ", ") + ")")
    }
}

/// A sink that drops every record (the default).
public struct DiscardingLogSink: LogSink {
    public init() {}
    public func log(_ record: LogRecord) {}
}

/// A sink that forwards to several sinks, in order.
public struct FanOutLogSink: LogSink {
    public let sinks: [any LogSink]
    public init(_ sinks: [any LogSink]) { self.sinks = sinks }
    public func log(_ record: LogRecord) { for s in sinks { s.log(record) } }
}
