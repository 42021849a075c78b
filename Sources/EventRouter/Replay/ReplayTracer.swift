import Synchronization

/// Formats `--trace` lines: per event, the rules it matched, then each delivery attempt with
/// its outcome, retries, dead-lettering and drops, prefixed by the event's line number; and,
/// through the log seam (``LogSink``), function invocations, retries, destinations and event
/// source mapping batches.
final class ReplayTracer: LogSink {
    private let sink: @Sendable (String) -> Void
    private let lines = Mutex<(current: Int, byEvent: [String: Int])>((0, [:]))

    init(sink: @escaping @Sendable (String) -> Void) { self.sink = sink }

    func setLine(_ line: Int) { lines.withLock { $0.current = line } }

    private func label(_ event: Event) -> String {
        let line = lines.withLock { $0.byEvent[event.id] }
        return line.map { "line \($0) event \(event.id)" } ?? "event \(event.id)"
    }

    static func ruleName(_ arn: String) -> String { String(arn.split(separator: "/").last ?? Substring(arn)) }

    /// Remembers the current line for `event` without tracing the match (a second tracer of
    /// the same run that only traces function and mapping records: `eventrouter test`).
    func noteMatched(_ event: Event) {
        lines.withLock { if $0.byEvent[event.id] == nil { $0.byEvent[event.id] = $0.current } }
    }

    func matched(_ event: Event, busArn: String, rules: [RuleDefinition]) {
        lines.withLock { $0.byEvent[event.id] = $0.current }
        let bus = ReplayTracer.ruleName(busArn)
        if rules.isEmpty {
            sink("\(label(event)) on bus \(bus): matched no rule")
        } else {
            sink("\(label(event)) on bus \(bus): matched \(rules.map(\.name).joined(separator: ", "))")
        }
    }

    func delivery(_ trace: DeliveryTraceEvent) {
        switch trace {
        case .attempted(let r, let attempt, let outcome, let at):
            let result: String
            switch outcome {
            case .success: result = "delivered"
            case .retriable(let code, let message): result = "retriable \(code): \(message)"
            case .retriableAfter(let code, let message, let after): result = "retriable \(code): \(message) (retry after \(after))"
            case .deferred(let until): result = "deferred to \(until.iso8601Milliseconds) by the rate limit"
            case .nonRetriable(let code, let message): result = "non-retriable \(code): \(message)"
            }
            sink("  \(label(r.event)) \(at.iso8601Milliseconds) rule \(ReplayTracer.ruleName(r.ruleArn)) target \(r.targetId) attempt \(attempt): \(result)")
        case .retryScheduled(let r, let retry, let at):
            sink("  \(label(r.event)) target \(r.targetId): retry \(retry) at \(at.iso8601Milliseconds)")
        case .deadLettered(let r, let failure, _):
            sink("  \(label(r.event)) target \(r.targetId): dead-lettered to \(r.deadLetterArn?.description ?? "-") (\(failure.code), \(failure.exhausted?.rawValue ?? "non-retriable"), \(failure.retryAttempts) retries)")
        case .dropped(let r, let failure, _):
            sink("  \(label(r.event)) target \(r.targetId): dropped, no dead-letter queue (\(failure.code), \(failure.exhausted?.rawValue ?? "non-retriable"), \(failure.retryAttempts) retries)")
        case .deadLetterFailed(let r, let code, let message, _):
            sink("  \(label(r.event)) target \(r.targetId): FAILED to send to dead-letter queue \(r.deadLetterArn?.description ?? "-"): \(code): \(message)")
        }
    }

    /// Function and mapping records become trace lines:
    /// `  [line N event ID] function NAME request R: MESSAGE`.
    func log(_ record: LogRecord) {
        let shown: Set<LogRecord.Category> = [.invocation, .retry, .destination, .mappingBatch]
        guard shown.contains(record.category) else { return }
        let m = record.metadata
        var parts: [String] = []
        if let id = m.eventId, lines.withLock({ $0.byEvent[id] }) != nil || record.category != .mappingBatch {
            let line = lines.withLock { $0.byEvent[id] }
            parts.append(line.map { "line \($0) event \(id)" } ?? "event \(id)")
        }
        if let f = m.function { parts.append("function \(String(f.split(separator: ":").last ?? Substring(f)))") }
        if let r = m.requestId { parts.append("request \(r)") }
        sink("  " + parts.joined(separator: " ") + ": " + record.message)
    }
}
