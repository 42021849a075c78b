import Testing
@testable import EventRouter

@Suite struct StreamReadTests {
    let shard0 = "shardId-000000000000"

    /// A one-shard stream with records "r0"…"r4", one per second, and their sequence numbers.
    func filled(clock: ManualClock) throws -> (DataStream, [String]) {
        let s = DataStream(configuration: try StreamConfiguration(name: "orders"), clock: clock)
        var seqs: [String] = []
        for i in 0..<5 {
            seqs.append(try s.putRecord(data: "r\(i)", partitionKey: "k\(i)").sequenceNumber)
            clock.advance(by: .seconds(1))
        }
        return (s, seqs)
    }

    func data(_ r: GetRecordsResult) -> [String] { r.records.map(\.data) }

    @Test func trimHorizonReadsEverythingInOrderAndPages() throws {
        let clock = ManualClock()
        let (s, seqs) = try filled(clock: clock)
        let first = try s.getRecords(shardIterator: s.shardIterator(shardId: shard0, type: .trimHorizon), limit: 2)
        #expect(data(first) == ["r0", "r1"])
        #expect(first.records.map(\.sequenceNumber.description) == Array(seqs.prefix(2)))
        #expect(first.millisBehindLatest == 3000, "the next unread record arrived 3 s ago")
        let rest = try s.getRecords(shardIterator: #require(first.nextShardIterator))
        #expect(data(rest) == ["r2", "r3", "r4"])
        #expect(rest.millisBehindLatest == 0)
        let none = try s.getRecords(shardIterator: #require(rest.nextShardIterator))
        #expect(none.records.isEmpty && none.nextShardIterator != nil, "an open shard always gives a next iterator")
        _ = try s.putRecord(data: "r5", partitionKey: "k")
        #expect(data(try s.getRecords(shardIterator: #require(none.nextShardIterator))) == ["r5"])
    }

    @Test func latestReadsOnlyNewRecords() throws {
        let clock = ManualClock()
        let (s, _) = try filled(clock: clock)
        let it = try s.shardIterator(shardId: shard0, type: .latest)
        #expect(try s.getRecords(shardIterator: it).records.isEmpty)
        _ = try s.putRecord(data: "new", partitionKey: "k")
        #expect(data(try s.getRecords(shardIterator: it)) == ["new"])
    }

    @Test func atAndAfterSequenceNumber() throws {
        let clock = ManualClock()
        let (s, seqs) = try filled(clock: clock)
        let at = try s.shardIterator(shardId: shard0, type: .atSequenceNumber, sequenceNumber: seqs[2])
        #expect(data(try s.getRecords(shardIterator: at)) == ["r2", "r3", "r4"])
        let after = try s.shardIterator(shardId: shard0, type: .afterSequenceNumber, sequenceNumber: seqs[2])
        #expect(data(try s.getRecords(shardIterator: after)) == ["r3", "r4"])
    }

    @Test func atTimestamp() throws {
        let clock = ManualClock()
        let start = clock.now
        let (s, _) = try filled(clock: clock)
        let it = try s.shardIterator(shardId: shard0, type: .atTimestamp, timestamp: start + .milliseconds(1500))
        #expect(data(try s.getRecords(shardIterator: it)) == ["r2", "r3", "r4"])
        let early = try s.shardIterator(shardId: shard0, type: .atTimestamp, timestamp: start - .seconds(60))
        #expect(data(try s.getRecords(shardIterator: early)).count == 5)
        let future = try s.shardIterator(shardId: shard0, type: .atTimestamp, timestamp: clock.now + .seconds(60))
        #expect(try s.getRecords(shardIterator: future).records.isEmpty)
    }

    @Test func iteratorsExpireAfterFiveMinutes() throws {
        let clock = ManualClock()
        let (s, _) = try filled(clock: clock)
        let it = try s.shardIterator(shardId: shard0, type: .trimHorizon)
        clock.advance(by: .seconds(300))
        let fresh = try s.getRecords(shardIterator: it, limit: 1)
        clock.advance(by: .seconds(1))
        let error = #expect(throws: StreamError.self) { try s.getRecords(shardIterator: it) }
        #expect(error?.code == .expiredIterator)
        #expect(error?.message.hasPrefix("Iterator expired: it was issued at 2024-01-01T00:00:05.000Z, 301 s ago, and iterators last 300 s") == true)
        #expect(data(try s.getRecords(shardIterator: #require(fresh.nextShardIterator))) == ["r1", "r2", "r3", "r4"], "each NextShardIterator is fresh")
    }

    @Test func retentionDropsOldRecordsLazily() throws {
        let clock = ManualClock()
        let (s, seqs) = try filled(clock: clock)
        clock.advance(by: .seconds(24 * 3600 - 3))
        // r0 arrived 24h+2s ago, r1 24h+1s, r2 exactly 24h: r0 and r1 are gone.
        let it = try s.shardIterator(shardId: shard0, type: .trimHorizon)
        #expect(data(try s.getRecords(shardIterator: it)) == ["r2", "r3", "r4"])
        let at = try s.shardIterator(shardId: shard0, type: .atSequenceNumber, sequenceNumber: seqs[0])
        #expect(data(try s.getRecords(shardIterator: at)).first == "r2", "reading at an expired record starts at the oldest left")
        clock.advance(by: .seconds(10))
        #expect(s.snapshot.shards[0].records.isEmpty)
        #expect(try s.getRecords(shardIterator: s.shardIterator(shardId: shard0, type: .latest)).records.isEmpty)
    }

    @Test func recordsCarryArrivalTimestamps() throws {
        let clock = ManualClock()
        let (s, _) = try filled(clock: clock)
        let r = try s.getRecords(shardIterator: s.shardIterator(shardId: shard0, type: .trimHorizon))
        #expect(r.records[1].approximateArrivalTimestamp == Timestamp(iso8601: "2024-01-01T00:00:01Z"))
        #expect(r.records[1].jsonValue["ApproximateArrivalTimestamp"]?.doubleValue == 1_704_067_201)
        #expect(r.records[1].jsonValue["PartitionKey"] == "k1")
    }

    @Test func getRecordsIsLimitedToFiveCallsPerSecondPerShard() throws {
        let clock = ManualClock()
        let (s, _) = try filled(clock: clock)
        let it = try s.shardIterator(shardId: shard0, type: .trimHorizon)
        for _ in 0..<5 { _ = try s.getRecords(shardIterator: it) }
        let error = #expect(throws: StreamError.self) { try s.getRecords(shardIterator: it) }
        #expect(error?.code == .provisionedThroughputExceeded)
        #expect(error?.message == "Rate exceeded for shard shardId-000000000000 in stream orders under account 123456789012: a shard serves 5 GetRecords calls per second; wait for the next second or read with a larger Limit")
        clock.advance(by: .seconds(1))
        #expect(try s.getRecords(shardIterator: it).records.count == 5)
    }

    @Test(arguments: [0, 10_001])
    func limitOutOfRange(limit: Int) throws {
        let clock = ManualClock()
        let (s, _) = try filled(clock: clock)
        let error = #expect(throws: StreamError.self) {
            try s.getRecords(shardIterator: s.shardIterator(shardId: shard0, type: .trimHorizon), limit: limit)
        }
        #expect(error?.message == "Limit must be from 1 to 10000, got \(limit)")
    }

    @Test func malformedAndForeignIterators() throws {
        let clock = ManualClock()
        let (s, seqs) = try filled(clock: clock)
        let bad = #expect(throws: StreamError.self) { try s.getRecords(shardIterator: "nonsense") }
        #expect(bad?.message == "ShardIterator 'nonsense' is not a valid shard iterator; get one with GetShardIterator (eventrouter stream get --iterator-type …)")
        let other = DataStream(configuration: try StreamConfiguration(name: "other"), clock: clock)
        let foreign = #expect(throws: StreamError.self) {
            try s.getRecords(shardIterator: other.shardIterator(shardId: shard0, type: .latest))
        }
        #expect(foreign?.message == "ShardIterator belongs to stream other, not orders; get an iterator for this stream")
        let missing = #expect(throws: StreamError.self) { try s.shardIterator(shardId: shard0, type: .atSequenceNumber) }
        #expect(missing?.message == "ShardIteratorType AT_SEQUENCE_NUMBER needs a StartingSequenceNumber; pass the SequenceNumber of a record in shardId-000000000000")
        let noTime = #expect(throws: StreamError.self) { try s.shardIterator(shardId: shard0, type: .atTimestamp) }
        #expect(noTime?.message == "ShardIteratorType AT_TIMESTAMP needs a Timestamp; pass the time to start reading from")
        let two = DataStream(configuration: try StreamConfiguration(name: "orders", shardCount: 2), clock: clock)
        let wrongShard = #expect(throws: StreamError.self) {
            try two.shardIterator(shardId: "shardId-000000000001", type: .afterSequenceNumber, sequenceNumber: seqs[0])
        }
        #expect(wrongShard?.message.contains("is invalid because it did not come from this shard") == true)
    }
}

@Suite struct StreamReadBudgetTests {
    @Test func aLargeReadBlocksTheShardForTheSecondsItUsed() throws {
        let clock = ManualClock()
        let s = DataStream(configuration: try StreamConfiguration(name: "big"), clock: clock)
        s.setLimits(.unlimited)
        let chunk = String(repeating: "x", count: 1_000_000)
        for i in 0..<6 { _ = try s.putRecord(data: chunk, partitionKey: "k\(i)") }
        s.setLimits(.kinesis)
        let it = try s.shardIterator(shardId: "shardId-000000000000", type: .trimHorizon)
        let big = try s.getRecords(shardIterator: it, limit: 5)
        #expect(big.records.count == 5)
        clock.advance(by: .milliseconds(2300))
        let error = #expect(throws: StreamError.self) { try s.getRecords(shardIterator: #require(big.nextShardIterator)) }
        #expect(error?.code == .provisionedThroughputExceeded)
        #expect(error?.message == "Rate exceeded for shard shardId-000000000000 in stream big under account 123456789012: the last GetRecords used the shard's read budget of 2097152 bytes per second until 2024-01-01T00:00:02.384Z; retry then, or read with a smaller Limit")
        clock.advance(by: .milliseconds(100))
        #expect(try s.getRecords(shardIterator: #require(big.nextShardIterator)).records.count == 1)
    }
}
