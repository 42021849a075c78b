import EventRouter

/// Stream put/get throughput: `eventrouter-bench streams [--records N] [--shards N] [--size BYTES]`.
///
/// Throughput limits are switched off (``StreamLimits/unlimited``) so that the figures measure
/// the implementation, not Kinesis's 1,000 records/s per shard; the stream's clock is a
/// ``ManualClock`` (arrival stamps), the timing uses the continuous clock.
enum StreamBenchmark {
    static let summary = "Kinesis-style stream put and get throughput (records/s)"
    static func run(_ arguments: [String]) async throws {
        let count = arguments.intOption("records", 200_000)
        let shardCount = arguments.intOption("shards", 4)
        let size = arguments.intOption("size", 200)
        let payload = "{\"detail\":\"" + String(repeating: "x", count: max(0, size - 14)) + "\"}"
        let keys = (0..<count).map { "key-\($0)" }
        let timer = ContinuousClock()
        func report(_ label: String, _ n: Int, _ elapsed: Duration, bytes: Bool = true) {
            let seconds = max(elapsed.seconds, 1e-9)
            let rate = Double(n) / seconds
            let mb = Double(n * (payload.utf8.count + 10)) / seconds / 1_048_576
            let throughput = bytes ? "\(String(Int(mb)).leftPad(5)) MiB/s" : "           "
            print("\(label.rightPad(36)) \(String(Int(rate)).leftPad(10)) records/s  \(throughput)  (\(n) records, \(format3(seconds)) s)")
        }
        print("streams: \(count) records of \(payload.utf8.count) B, \(shardCount) shards, limits off")

        var hashes: UInt128 = 0
        var start = timer.now
        for key in keys { hashes ^= MD5.hashKey(key) }
        report("MD5 of partition keys", count, timer.now - start, bytes: false)

        let config = try StreamConfiguration(name: "bench", shardCount: shardCount, retentionPeriodHours: 24)
        let single = DataStream(configuration: config, clock: ManualClock(), limits: .unlimited)
        start = timer.now
        for key in keys { _ = try single.putRecord(data: payload, partitionKey: key) }
        report("PutRecord (one per call)", count, timer.now - start)

        let batched = DataStream(configuration: config, clock: ManualClock(), limits: .unlimited)
        let entries = keys.map { PutRecordsEntry(data: payload, partitionKey: $0) }
        start = timer.now
        var i = 0
        while i < entries.count {
            let end = min(i + 500, entries.count)
            _ = try batched.putRecords(Array(entries[i..<end]))
            i = end
        }
        report("PutRecords (500 per call)", count, timer.now - start)

        let throttled = DataStream(configuration: config, clock: ManualClock(), limits: .kinesis)
        start = timer.now
        var accepted = 0
        for key in keys.prefix(20_000) where throttled.putRecordForTarget(data: payload, partitionKey: key).isRetriable == false {
            accepted += 1
        }
        report("PutRecord throttled (\(accepted) accepted)", min(count, 20_000), timer.now - start, bytes: false)

        start = timer.now
        var read = 0
        for shard in single.snapshot.shards {
            var iterator: String? = try single.shardIterator(shardId: shard.shardId, type: .trimHorizon)
            while let it = iterator {
                let result = try single.getRecords(shardIterator: it, limit: 10_000)
                read += result.records.count
                iterator = result.records.isEmpty ? nil : result.nextShardIterator
            }
        }
        report("GetRecords (10,000 per call)", read, timer.now - start)
        if hashes == 0 { print("(hash checksum 0)") }
    }

    private static func format3(_ x: Double) -> String {
        let ms = Int((x * 1000).rounded())
        let frac = String(ms % 1000)
        return "\(ms / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
    }
}

private extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
    func rightPad(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
