/// One workflow test of a workspace (`Rules/scenarios/*.json`, see `docs/scenarios.md`): events
/// to put, failures to inject, and what the final state must show. Read by ``ScenarioParser``,
/// run by ``ScenarioRunner``.
public struct Scenario: Sendable {
    /// The scenario's name (its file name without `.json`).
    public var name: String
    /// The file it was read from (for messages).
    public var file: String
    public var description: String?
    /// The events in the order they are put, each at its time.
    public var events: [ScheduledEvent]
    /// Where the virtual clock starts (default 2024-01-01T00:00:00Z).
    public var start: Timestamp
    /// Run until `start + horizon` instead of until everything settles.
    public var horizon: Duration?
    /// The failures to inject.
    public var faults: [FaultPlan.Fault]
    /// What must hold afterwards, in file order.
    public var expectations: [ScenarioExpectation]

    /// One event to put.
    public struct ScheduledEvent: Sendable {
        /// An event envelope or a PutEvents entry, as `replay` reads them.
        public var json: JSONValue
        /// When to put it.
        public var at: Timestamp
        /// Where it came from (`$.Events[2]` or `file.ndjson line 3`).
        public var origin: String
    }

    /// The default start of the virtual clock.
    public static let defaultStart = Timestamp(nanosecondsSinceEpoch: 1_704_067_200_000_000_000)
}

/// Something a scenario expects of the final state.
public struct ScenarioExpectation: Sendable {
    /// What it looks at.
    public enum Subject: Sendable, Equatable {
        /// The messages of a queue (by ARN).
        case queue(String)
        /// A queue used as a dead-letter queue: its messages, with their `ERROR_CODE` /
        /// `EXHAUSTED_RETRY_CONDITION` attributes checked.
        case deadLetterQueue(String)
        /// The records of a stream (by ARN), their data decoded as JSON where it is JSON.
        case stream(String)
        /// A topic's counters (by ARN): published messages count as its items.
        case topic(String)
        /// A function's counters (by ARN).
        case function(String)
        /// The rules one event (by index in the scenario's events) matched.
        case event(Int)
        /// Nothing was delivered anywhere else.
        case nothingElse
    }

    /// A count bound.
    public struct Count: Sendable, Equatable {
        public var exactly: Int?
        public var atLeast: Int?
        public var atMost: Int?

        public var isEmpty: Bool { exactly == nil && atLeast == nil && atMost == nil }

        func admits(_ n: Int) -> Bool {
            if let exactly, n != exactly { return false }
            if let atLeast, n < atLeast { return false }
            if let atMost, n > atMost { return false }
            return true
        }

        var text: String {
            var parts: [String] = []
            if let exactly { parts.append("exactly \(exactly)") }
            if let atLeast { parts.append("at least \(atLeast)") }
            if let atMost { parts.append("at most \(atMost)") }
            return parts.joined(separator: " and ")
        }
    }

    public var subject: Subject
    /// The JSON path of the expectation in its file (`$.Expect[3]`).
    public var path: String
    /// How many items (matching ``pattern`` / equal to ``equals`` / with the error code) there are.
    public var count: Count
    /// Items counted must match this event pattern.
    public var pattern: EventPattern?
    /// Its text, for messages.
    public var patternText: String?
    /// Items counted must equal this JSON value.
    public var equals: JSONValue?
    /// Items counted must have arrived at or after / before these times.
    public var after: Timestamp?
    public var before: Timestamp?
    /// Dead-letter messages counted must carry this `ERROR_CODE`.
    public var errorCode: String?
    /// Dead-letter messages counted must carry this `EXHAUSTED_RETRY_CONDITION`.
    public var exhaustedRetryCondition: String?
    /// Function counters: invocations, throttles, OnFailure / OnSuccess destination records.
    public var invocations: Count?
    public var throttles: Count?
    public var errors: Count?
    /// Events (matched rules): exactly these rule names, in any order.
    public var matchedRules: [String]?
    /// Events: put was refused, with a reason containing this text (empty: any reason).
    public var rejected: String?
}
