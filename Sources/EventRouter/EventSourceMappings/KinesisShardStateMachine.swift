/// The decisions of a stream → function event source mapping for one shard, as a pure state
/// machine: in order, one batch at a time, checkpointing only what succeeded.
///
/// - Success checkpoints the batch's last sequence number.
/// - With `ReportBatchItemFailures`, the lowest reported sequence number is where processing
///   resumes: everything before it is checkpointed, the rest is retried (with
///   `BisectBatchOnFunctionError` this is the bisection point).
/// - A function error with `BisectBatchOnFunctionError` and more than one record splits the
///   batch in two halves, processed in order; splits do not count as retries.
/// - Otherwise a failure counts a retry; past `MaximumRetryAttempts` (−1: until the records
///   expire) the batch is discarded: the on-failure record (shard id and sequence range, not
///   the data) is emitted and the checkpoint moves past it.
/// - Records older than `MaximumRecordAgeInSeconds` (−1: never) are discarded the same way
///   before an attempt.
public struct KinesisShardStateMachine: Sendable {
    /// The mapping's settings.
    public struct Configuration: Sendable, Equatable {
        /// The stream, shard and function named in on-failure records.
        public var streamArn: String
        public var shardId: String
        public var functionArn: String
        /// The version the mapping's qualifier runs as (`responseContext.executedVersion`).
        public var executedVersion = "$LATEST"
        /// `BisectBatchOnFunctionError`.
        public var bisectBatchOnFunctionError = false
        /// −1 (default): retry until the records expire; otherwise 0–10,000.
        public var maximumRetryAttempts = -1
        /// −1 (default): records never expire here; otherwise 60–604,800.
        public var maximumRecordAgeInSeconds = -1
        /// `FunctionResponseTypes` contains `ReportBatchItemFailures`.
        public var reportBatchItemFailures = false

        public init(streamArn: String, shardId: String, functionArn: String) {
            self.streamArn = streamArn
            self.shardId = shardId
            self.functionArn = functionArn
        }
    }

    /// A stream record as far as the mapping cares.
    public struct Record: Sendable, Equatable {
        public var sequenceNumber: String
        public var approximateArrivalTimestamp: Timestamp

        public init(sequenceNumber: String, approximateArrivalTimestamp: Timestamp) {
            self.sequenceNumber = sequenceNumber
            self.approximateArrivalTimestamp = approximateArrivalTimestamp
        }
    }

    /// What the runner does next.
    public enum Action: Sendable, Equatable {
        /// Invoke the function with these records.
        case invoke([Record])
        /// Everything up to and including this sequence number is done.
        case checkpoint(String)
        /// Send this record (with `KinesisBatchInfo`) to the on-failure destination, if one is set.
        case discard(record: JSONValue)
        /// The batch is finished; fetch the next one.
        case batchDone
    }

    /// The mapping's settings.
    public var configuration: Configuration
    private var queue: [[Record]] = []
    /// Failed attempts of the current (sub-)batch.
    public private(set) var retries = 0

    public init(configuration: Configuration) { self.configuration = configuration }

    /// Starts processing `records` (in sequence order).
    public mutating func start(_ records: [Record], now: Timestamp) -> [Action] {
        queue = records.isEmpty ? [] : [records]
        retries = 0
        return advance(now: now, requestId: "")
    }

    /// The current attempt ended with `result`. `requestId` identifies that invocation in records.
    public mutating func attemptEnded(_ result: InvocationResult, requestId: String, now: Timestamp) -> [Action] {
        guard let current = queue.first else { return [.batchDone] }
        switch result {
        case .throttled:
            return [.invoke(current)]
        case .success(let response):
            guard configuration.reportBatchItemFailures else { return succeeded(now: now) }
            switch Self.lowestFailure(response, in: current) {
            case .none: return succeeded(now: now)
            case .whole: return failed(current, result: result, requestId: requestId, now: now)
            case .at(let index):
                var actions: [Action] = []
                if index > 0 { actions.append(.checkpoint(current[index - 1].sequenceNumber)) }
                let rest = Array(current[index...])
                queue[0] = rest
                return actions + failed(rest, result: result, requestId: requestId, now: now, bisectable: false)
            }
        case .functionError:
            return failed(current, result: result, requestId: requestId, now: now)
        }
    }

    /// Called before a delayed retry (the runner waits between attempts): drops records of the
    /// current batch that expired meanwhile, then invokes what is left (or finishes).
    public mutating func resume(now: Timestamp) -> [Action] {
        advance(now: now, requestId: "")
    }

    private mutating func succeeded(now: Timestamp) -> [Action] {
        guard let current = queue.first, let last = current.last else { return [.batchDone] }
        queue.removeFirst()
        retries = 0
        return [.checkpoint(last.sequenceNumber)] + advance(now: now, requestId: "")
    }

    private mutating func failed(_ records: [Record], result: InvocationResult, requestId: String, now: Timestamp, bisectable: Bool = true) -> [Action] {
        if bisectable && configuration.bisectBatchOnFunctionError && records.count > 1 {
            let middle = records.count / 2
            queue.replaceSubrange(0..<1, with: [Array(records[..<middle]), Array(records[middle...])])
            return advance(now: now, requestId: requestId)
        }
        retries += 1
        let limit = configuration.maximumRetryAttempts
        if limit >= 0 && retries > limit {
            queue.removeFirst()
            let invokeCount = retries
            retries = 0
            var actions: [Action] = [.discard(record: failureRecord(records, result: result, requestId: requestId, invokeCount: invokeCount, now: now))]
            if let last = records.last { actions.append(.checkpoint(last.sequenceNumber)) }
            return actions + advance(now: now, requestId: requestId)
        }
        return advance(now: now, requestId: requestId)
    }

    /// Drops expired records of the current batch, then invokes it (or finishes).
    private mutating func advance(now: Timestamp, requestId: String) -> [Action] {
        var actions: [Action] = []
        while let current = queue.first {
            var live = current
            if configuration.maximumRecordAgeInSeconds >= 0 {
                let maxAge = Duration.seconds(configuration.maximumRecordAgeInSeconds)
                let expired = current.prefix { now - $0.approximateArrivalTimestamp > maxAge }
                if !expired.isEmpty {
                    let records = Array(expired)
                    actions.append(.discard(record: failureRecord(records, result: nil, requestId: requestId, invokeCount: retries, now: now)))
                    if let last = records.last { actions.append(.checkpoint(last.sequenceNumber)) }
                    live = Array(current.dropFirst(records.count))
                }
            }
            if live.isEmpty {
                queue.removeFirst()
                retries = 0
                continue
            }
            queue[0] = live
            return actions + [.invoke(live)]
        }
        return actions + [.batchDone]
    }

    private enum Failure { case none, whole, at(Int) }

    /// Reads `batchItemFailures` (item identifiers are sequence numbers).
    private static func lowestFailure(_ response: JSONValue, in records: [Record]) -> Failure {
        if response.isNull { return .none }
        guard let object = response.objectValue else { return .whole }
        guard let failures = object["batchItemFailures"], !failures.isNull else { return .none }
        guard let list = failures.arrayValue else { return .whole }
        var lowest: Int?
        for item in list {
            guard let id = item["itemIdentifier"]?.stringValue, !id.isEmpty,
                  let index = records.firstIndex(where: { $0.sequenceNumber == id }) else { return .whole }
            lowest = min(lowest ?? index, index)
        }
        return lowest.map { .at($0) } ?? .none
    }

    /// The on-failure record: the invocation context plus `KinesisBatchInfo` (no record data).
    func failureRecord(_ records: [Record], result: InvocationResult?, requestId: String, invokeCount: Int, now: Timestamp) -> JSONValue {
        var o = JSONObject()
        o["requestContext"] = [
            "requestId": .string(requestId), "functionArn": .string(configuration.functionArn),
            "condition": "RetryAttemptsExhausted", "approximateInvokeCount": .number(JSONNumber(invokeCount)),
        ]
        if let result {
            var response = JSONObject()
            response["statusCode"] = .number(JSONNumber(InvocationRecord.statusCode(result)))
            response["executedVersion"] = .string(configuration.executedVersion)
            if case .functionError = result { response["functionError"] = "Unhandled" }
            o["responseContext"] = .object(response)
        }
        o["version"] = "1.0"
        o["timestamp"] = .string(now.iso8601Milliseconds)
        o["KinesisBatchInfo"] = [
            "shardId": .string(configuration.shardId),
            "startSequenceNumber": .string(records.first?.sequenceNumber ?? ""),
            "endSequenceNumber": .string(records.last?.sequenceNumber ?? ""),
            "approximateArrivalOfFirstRecord": .string(records.first?.approximateArrivalTimestamp.iso8601Milliseconds ?? ""),
            "approximateArrivalOfLastRecord": .string(records.last?.approximateArrivalTimestamp.iso8601Milliseconds ?? ""),
            "batchSize": .number(JSONNumber(records.count)),
            "streamArn": .string(configuration.streamArn),
        ]
        return .object(o)
    }
}
