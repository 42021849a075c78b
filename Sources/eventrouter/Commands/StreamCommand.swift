import EventRouter

/// `eventrouter stream create|put|get|describe|split|merge`: Kinesis-style operations on the
/// streams of a state file (the `replay --state-out` format). Logic: ``StreamStateFileOperations``.
struct StreamCommand: Command {
    static let name = "stream"
    static let summary = "Put, get and describe Kinesis-style stream records in a state file"
    static let help = """
        Usage: eventrouter stream ACTION --state FILE --stream NAME|ARN [OPTIONS]

        Reads the state file, applies one operation to the stream, prints the answer as JSON
        (Kinesis's response shapes) and, if the operation changed anything, writes the file back.
        Record Data is text (the event JSON the router wrote), not base64.

        Actions:
          create    --shard-count N [--retention-hours H]   add a stream (creates FILE if missing)
          put       --data TEXT --partition-key KEY [--explicit-hash-key K]
                    or --records FILE  (NDJSON or a JSON array of {"Data","PartitionKey","ExplicitHashKey"})
          get       [--shard-id ID] [--iterator-type TRIM_HORIZON|LATEST|AT_SEQUENCE_NUMBER|
                    AFTER_SEQUENCE_NUMBER|AT_TIMESTAMP] [--sequence-number S] [--timestamp ISO]
                    [--limit N], or --shard-iterator IT (a NextShardIterator printed before).
                    Without --shard-id every shard is read.
          describe  DescribeStream
          split     --shard-id ID --new-starting-hash-key K
          merge     --shard-id ID --adjacent-shard-id ID

        Options:
          --now ISO        the time to act at. Default: the newest time recorded in the state
                           file (stream creation, record arrival), so a snapshot — also one
                           written by replay --virtual-time — reads as it was written; the
                           system clock when the file has no streams. Retention (24 h by
                           default), iterator expiry (5 min) and rate limits use this time.
          --account ID     account for a bare stream name (default 123456789012)
          --region NAME    region for a bare stream name (default us-east-1)

        Commands on one state file may run at the same time: each holds a lock on FILE.lock
        for its whole read-modify-write (saying on stderr when it waits) and writes atomically.
        """

    static func run(_ arguments: inout Arguments) async throws -> Int32 {
        guard let verb = arguments.positional() else { throw UsageError("missing ACTION (create, put, get, describe, split, merge)") }
        let file = try arguments.requiredOption("state")
        let stream = try arguments.requiredOption("stream")
        let (account, region) = try StateFile.accountAndRegion(&arguments)
        let now = try StateFile.nowOption(&arguments)
        let action: StreamStateFileOperations.Action
        switch verb {
        case "create":
            guard let shards = try arguments.intOption("shard-count") else { throw UsageError("create needs --shard-count N") }
            action = .create(shardCount: shards, retentionPeriodHours: try arguments.intOption("retention-hours") ?? 24)
        case "put":
            if let recordsFile = try arguments.option("records") {
                guard let text = try TextFile.read(recordsFile) else { throw UsageError("--records file '\(recordsFile)' does not exist") }
                action = .put(try StreamStateFileOperations.parseRecords(text))
            } else {
                let data = try arguments.requiredOption("data")
                let key = try arguments.requiredOption("partition-key")
                action = .put([PutRecordsEntry(data: data, partitionKey: key, explicitHashKey: try arguments.option("explicit-hash-key"))])
            }
        case "get":
            var options = StreamStateFileOperations.ReadOptions(shardId: try arguments.option("shard-id"))
            if let type = try arguments.option("iterator-type") {
                guard let t = ShardIteratorType(rawValue: type) else {
                    throw UsageError("--iterator-type must be one of \(ShardIteratorType.allCases.map(\.rawValue).joined(separator: ", ")), got '\(type)'")
                }
                options.iteratorType = t
            }
            options.sequenceNumber = try arguments.option("sequence-number")
            if let ts = try arguments.option("timestamp") {
                guard let t = Timestamp(iso8601: ts) else { throw UsageError("--timestamp takes an ISO-8601 time, got '\(ts)'") }
                options.timestamp = t
            }
            options.shardIterator = try arguments.option("shard-iterator")
            options.limit = try arguments.intOption("limit")
            action = .get(options)
        case "describe":
            action = .describe
        case "split":
            action = .split(shardId: try arguments.requiredOption("shard-id"), newStartingHashKey: try arguments.requiredOption("new-starting-hash-key"))
        case "merge":
            action = .merge(shardId: try arguments.requiredOption("shard-id"), adjacentShardId: try arguments.requiredOption("adjacent-shard-id"))
        default:
            throw UsageError("unknown action '\(verb)'; use create, put, get, describe, split or merge")
        }
        try arguments.finish()

        let output = try await StreamStateFileOperations.run(
            action, stream: stream, file: StateFile.store(file), now: now, account: account, region: region, whileWaiting: StateFile.waiting(name))
        Output.out(output.jsonText + "\n")
        return 0
    }
}
