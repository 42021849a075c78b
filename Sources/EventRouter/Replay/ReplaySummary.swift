/// What a replay did: the summary `eventrouter replay` prints.
public struct ReplaySummary: Sendable {
    /// A line that did not become an event.
    public struct Rejection: Sendable, Hashable {
        /// 1-based line number in the file.
        public var line: Int
        public var reason: String
    }

    /// Non-empty lines read.
    public var eventsRead = 0
    public var rejected: [Rejection] = []
    /// Events put on a bus.
    public var accepted = 0
    /// Accepted events that matched at least one rule.
    public var matched = 0
    /// (event, rule) matches.
    public var ruleMatches = 0
    public var deliveries = DeliveryStatistics()
    /// The jitter seed (pass it to `--seed` to repeat the run).
    public var seed: UInt64 = 0
    /// Virtual time that passed while settling (with `--virtual-time`), or wall time.
    public var elapsed: Duration = .zero
    /// Per-function counters, by ARN.
    public var functions: [FunctionSummary] = []
    /// Per-topic counters, in declaration order.
    public var topics: [TopicSummary] = []
    /// Per-mapping counters, in declaration order.
    public var eventSourceMappings: [MappingSummary] = []
    /// Per-stream record counts, by ARN.
    public var streams: [StreamSummary] = []
    /// Function records and dead-letter messages no destination accepted, with reasons (the
    /// latest 100, from the runtime's log records).
    public var destinationFailures: [String] = []
    /// Rule targets' dead-letter sends that failed, with reasons (the latest 100, from the log records).
    public var deadLetterFailures: [String] = []
    /// The stand-in queue's ARN (`--stand-in-queue`) and the deliveries it took in for targets
    /// EventRouter does not run.
    public var standIn: (queueArn: String, deliveries: Int)?
    /// Scheduled-rule firings (with `--until`).
    public var scheduledFirings = 0
    /// Why the run did not settle (`nil` when every delivery and function event settled).
    public var settleProblem: String?

    public init() {}

    static func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }

    /// The human-readable summary.
    public var text: String {
        var lines: [String] = []
        func row(_ label: String, _ value: String) { lines.append(ReplaySummary.pad(label, 15) + value) }
        row("events read:", String(eventsRead))
        row("rejected:", String(rejected.count))
        for r in rejected { lines.append("  line \(r.line): \(r.reason)") }
        row("matched:", "\(matched) (\(ruleMatches) rule match\(ruleMatches == 1 ? "" : "es"))")
        if scheduledFirings > 0 { row("scheduled:", "\(scheduledFirings) firing\(scheduledFirings == 1 ? "" : "s") of scheduled rules") }
        row("delivered:", String(deliveries.succeeded))
        if let standIn {
            row("stand-in:", "\(standIn.deliveries) deliver\(standIn.deliveries == 1 ? "y" : "ies") to \(standIn.queueArn) (targets EventRouter does not run)")
        }
        row("retried:", String(deliveries.retried))
        row("dead-lettered:", String(deliveries.deadLettered))
        row("dropped:", String(deliveries.dropped))
        if deliveries.deadLetterFailures > 0 {
            row("DLQ failures:", String(deliveries.deadLetterFailures))
            for l in deadLetterFailures { lines.append("  " + l) }
        }
        if !functions.isEmpty {
            lines.append("functions:")
            for f in functions { lines.append("  " + ReplaySummary.pad(f.name, 17) + f.text) }
        }
        if !destinationFailures.isEmpty {
            row("record failures:", String(destinationFailures.count))
            for l in destinationFailures { lines.append("  " + l) }
        }
        if !topics.isEmpty {
            lines.append("topics:")
            for t in topics { lines.append("  " + ReplaySummary.pad(t.name, 17) + t.text) }
        }
        if !streams.isEmpty {
            lines.append("streams:")
            for st in streams { lines.append("  " + ReplaySummary.pad(st.name, 17) + st.text) }
        }
        if !eventSourceMappings.isEmpty {
            lines.append("event source mappings:")
            for m in eventSourceMappings { lines.append("  \(m.name): \(m.text)") }
        }
        if let settleProblem { lines.append("NOT SETTLED: " + settleProblem) }
        row("seed:", String(seed))
        return lines.joined(separator: "\n") + "\n"
    }
}
