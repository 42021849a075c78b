extension DeliveryTraceEvent {
    /// The log record of this step of a rule target's delivery, for the runtime's ``LogSink``:
    /// a failed dead-letter send is a warning (``LogRecord/Category/deadLetter``) worded
    /// `TIME event ID rule ARN target ARN: could not send to dead-letter queue ARN: CODE: MESSAGE`;
    /// the other steps are traced by `replay --trace` itself and give nil.
    public var logRecord: LogRecord? {
        guard case .deadLetterFailed(let r, let code, let message, let at) = self else { return nil }
        let text = "\(at.iso8601Milliseconds) event \(r.event.id) rule \(r.ruleArn) target \(r.targetArn): could not send to dead-letter queue \(r.deadLetterArn ?? "-"): \(code): \(message)"
        return LogRecord(level: .warning, message: text,
                         metadata: LogMetadata(eventId: r.event.id, rule: r.ruleArn, target: r.targetArn, extra: ["code": code]),
                         category: .deadLetter)
    }
}
