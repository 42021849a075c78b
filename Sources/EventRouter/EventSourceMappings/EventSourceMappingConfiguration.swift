/// One event source mapping: a queue or stream read in batches by a function, as declared in a
/// rule file's `EventSourceMappings` (Lambda's `CreateEventSourceMapping` property names).
///
/// Build it from JSON with ``init(json:account:region:)`` (every problem reported at once) or
/// in code with ``init(source:functionArn:)``.
public struct EventSourceMappingConfiguration: Sendable, Equatable {
    /// What the mapping reads.
    public enum Source: Sendable, Equatable {
        /// An SQS queue; `fifo` when its name ends in `.fifo`.
        case queue(arn: String, fifo: Bool)
        /// A Kinesis data stream.
        case stream(arn: String)

        /// The source's ARN.
        public var arn: String {
            switch self {
            case .queue(let arn, _), .stream(let arn): return arn
            }
        }

        /// Parses `arn`; `nil` when it is neither a queue nor a stream ARN.
        public init?(arn: String) {
            if let q = ARN(queue: arn) {
                self = .queue(arn: q.description, fifo: q.name.hasSuffix(".fifo"))
                return
            }
            guard let parsed = ARN.lenient(arn, service: "kinesis"), parsed.resource.hasPrefix("stream/"), parsed.resource.count > 7
            else { return nil }
            self = .stream(arn: arn)
        }
    }

    /// Where a stream mapping starts reading the shards that exist when it starts.
    public enum StartingPosition: Sendable, Equatable {
        /// The oldest record in each shard.
        case trimHorizon
        /// Only records written after the mapping starts.
        case latest
        /// Records that arrived at or after this time.
        case atTimestamp(Timestamp)
    }

    /// `EventSourceArn`.
    public var source: Source
    /// `FunctionName` resolved to `arn:aws:lambda:REGION:ACCOUNT:function:NAME`.
    public var functionArn: String
    /// `BatchSize` (SQS default 10, Kinesis default 100).
    public var batchSize: Int
    /// `MaximumBatchingWindowInSeconds` (0–300, default 0).
    public var maximumBatchingWindowInSeconds: Int
    /// `StartingPosition` (streams only; default ``StartingPosition/trimHorizon`` when built in code).
    public var startingPosition: StartingPosition
    /// `FunctionResponseTypes` contains `ReportBatchItemFailures`.
    public var reportBatchItemFailures: Bool
    /// `BisectBatchOnFunctionError` (streams only).
    public var bisectBatchOnFunctionError: Bool
    /// `MaximumRetryAttempts` (streams only): −1 (default) retries until the records expire.
    public var maximumRetryAttempts: Int
    /// `MaximumRecordAgeInSeconds` (streams only): −1 (default) never discards by age.
    public var maximumRecordAgeInSeconds: Int
    /// `DestinationConfig.OnFailure.Destination` (streams only): a queue or topic ARN.
    public var onFailureDestination: String?
    /// `Enabled` (default true): a disabled mapping does not poll.
    public var enabled: Bool
    /// `FilterCriteria.Filters[].Pattern`: records that match none of these patterns are not
    /// handed to the function (SQS messages are deleted, stream records skipped); empty: no filter.
    public var filterPatterns: [String] = []
    /// `ParallelizationFactor` (streams only, 1–10): stored and reported; each shard is read
    /// by one batch at a time, which keeps the order Lambda guarantees per partition key.
    public var parallelizationFactor = 1
    /// `ScalingConfig.MaximumConcurrency` (queues only, 2–1000): stored and reported; a mapping
    /// runs one batch at a time.
    public var maximumConcurrency: Int?

    /// A mapping with Lambda's defaults for its kind of source.
    public init(source: Source, functionArn: String) {
        self.source = source
        self.functionArn = functionArn
        if case .stream = source { batchSize = 100 } else { batchSize = 10 }
        maximumBatchingWindowInSeconds = 0
        startingPosition = .trimHorizon
        reportBatchItemFailures = false
        bisectBatchOnFunctionError = false
        maximumRetryAttempts = -1
        maximumRecordAgeInSeconds = -1
        onFailureDestination = nil
        enabled = true
    }

    /// A readable identifier: `SOURCE → FUNCTION`.
    public var name: String {
        let sourceName = source.arn.split(separator: ":").last.map(String.init) ?? source.arn
        let (base, qualifier) = FunctionManifest.splitQualifier(functionArn)
        let functionName = (base.split(separator: ":").last.map(String.init) ?? base) + (qualifier.map { ":" + $0 } ?? "")
        return "\(sourceName) → \(functionName)"
    }

    /// Every key an `EventSourceMappings` entry may hold.
    public static let knownKeys = [
        "EventSourceArn", "FunctionName", "BatchSize", "MaximumBatchingWindowInSeconds", "StartingPosition",
        "StartingPositionTimestamp", "FunctionResponseTypes", "BisectBatchOnFunctionError", "MaximumRetryAttempts",
        "MaximumRecordAgeInSeconds", "DestinationConfig", "Enabled", "FilterCriteria", "ParallelizationFactor", "ScalingConfig",
    ]

    /// The settings as JSON (AWS's property names), for listings and the state JSON.
    public var settingsJSON: JSONValue {
        var o = JSONObject()
        o["EventSourceArn"] = .string(source.arn)
        o["FunctionArn"] = .string(functionArn)
        o["BatchSize"] = .number(JSONNumber(batchSize))
        o["MaximumBatchingWindowInSeconds"] = .number(JSONNumber(maximumBatchingWindowInSeconds))
        if reportBatchItemFailures { o["FunctionResponseTypes"] = ["ReportBatchItemFailures"] }
        if !filterPatterns.isEmpty {
            o["FilterCriteria"] = ["Filters": .array(filterPatterns.map { ["Pattern": .string($0)] })]
        }
        if let maximumConcurrency { o["ScalingConfig"] = ["MaximumConcurrency": .number(JSONNumber(maximumConcurrency))] }
        if case .stream = source {
            switch startingPosition {
            case .trimHorizon: o["StartingPosition"] = "TRIM_HORIZON"
            case .latest: o["StartingPosition"] = "LATEST"
            case .atTimestamp(let t):
                o["StartingPosition"] = "AT_TIMESTAMP"
                o["StartingPositionTimestamp"] = .number(JSONNumber(t.secondsSinceEpoch))
            }
            o["BisectBatchOnFunctionError"] = .bool(bisectBatchOnFunctionError)
            o["MaximumRetryAttempts"] = .number(JSONNumber(maximumRetryAttempts))
            o["MaximumRecordAgeInSeconds"] = .number(JSONNumber(maximumRecordAgeInSeconds))
            if parallelizationFactor != 1 { o["ParallelizationFactor"] = .number(JSONNumber(parallelizationFactor)) }
            if let d = onFailureDestination { o["DestinationConfig"] = ["OnFailure": ["Destination": .string(d)]] }
        }
        o["Enabled"] = .bool(enabled)
        return .object(o)
    }
}
