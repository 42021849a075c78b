extension FunctionRuntime {
    /// Logs an event source mapping's invocation of this function with a batch of `count`
    /// records from `source` (a queue ARN, or a stream ARN and shard).
    func logBatch(of count: Int, from source: String, requestId: String, result: InvocationResult) {
        var meta = LogMetadata(target: source, function: manifest.arn, requestId: requestId, extra: ["records": String(count)])
        let level: LogLevel, outcome: String
        switch result {
        case .success:
            level = .info
            outcome = "success"
        case .throttled:
            level = .notice
            outcome = "throttled"
            meta.extra["code"] = "TooManyRequestsException"
        case .functionError(let e):
            level = .warning
            outcome = "\(e.type): \(e.message)"
            meta.extra["code"] = e.type
        }
        log.log(LogRecord(level: level, message: "batch of \(count) from \(source): \(outcome)", metadata: meta, category: .mappingBatch))
    }
}
