import Testing
@testable import EventRouter

@Suite struct StreamPutTests {
    func stream(shards: Int = 1, clock: ManualClock = ManualClock()) throws -> DataStream {
        DataStream(configuration: try StreamConfiguration(name: "orders", shardCount: shards), clock: clock)
    }

    @Test func putRecordsReportsPerRecordResultsInOrder() throws {
        let s = try stream(shards: 4)
        let result = try s.putRecords([
            PutRecordsEntry(data: "1", partitionKey: "customer-42"),
            PutRecordsEntry(data: "2", partitionKey: "order-1"),
        ])
        #expect(result.failedRecordCount == 0)
        guard case .success(let first) = result.records[0], case .success(let second) = result.records[1] else {
            Issue.record("expected two successes")
            return
        }
        #expect(first.shardId == "shardId-000000000003")
        #expect(second.shardId == "shardId-000000000001")
        let json = result.jsonValue
        #expect(json["FailedRecordCount"]?.intValue == 0)
        #expect(json["Records"]?.arrayValue?[0]["ShardId"] == "shardId-000000000003")
    }

    @Test func throttlesAtOneThousandRecordsPerSecondThenAcceptsAfterTheClockMoves() throws {
        let clock = ManualClock()
        let s = try stream(clock: clock)
        let batch = (0..<500).map { PutRecordsEntry(data: "e\($0)", partitionKey: "k\($0)") }
        #expect(try s.putRecords(batch).failedRecordCount == 0)
        #expect(try s.putRecords(batch).failedRecordCount == 0)
        let third = try s.putRecords(Array(batch.prefix(10)))
        #expect(third.failedRecordCount == 10)
        guard case .failure(let code, let message) = third.records[0] else {
            Issue.record("expected a throttled record")
            return
        }
        #expect(code == "ProvisionedThroughputExceededException")
        #expect(message.hasPrefix("Rate exceeded for shard shardId-000000000000 in stream orders under account 123456789012"))
        clock.advance(by: .seconds(1))
        #expect(try s.putRecords(Array(batch.prefix(10))).failedRecordCount == 0)
        #expect(s.snapshot.shards[0].records.count == 1010)
    }

    @Test func throttlesAtOneMebibytePerSecond() throws {
        let clock = ManualClock()
        let s = try stream(clock: clock)
        let big = String(repeating: "x", count: 400_000)
        let entries = (0..<3).map { PutRecordsEntry(data: big, partitionKey: "k\($0)") }
        let result = try s.putRecords(entries)
        #expect(result.failedRecordCount == 1)
        if case .failure(let code, _) = result.records[2] {
            #expect(code == "ProvisionedThroughputExceededException")
        } else {
            Issue.record("the third 400 kB record should be throttled")
        }
        clock.advance(by: .milliseconds(1500))
        #expect(try s.putRecords([entries[2]]).failedRecordCount == 0)
    }

    @Test func throttlingIsARetriableTargetOutcome() throws {
        let clock = ManualClock()
        let s = try stream(clock: clock)
        s.setLimits(StreamLimits(writeRecordsPerSecond: 2))
        #expect(s.putRecordForTarget(data: "{}", partitionKey: "a").isRetriable == false)
        _ = s.putRecordForTarget(data: "{}", partitionKey: "b")
        let throttled = s.putRecordForTarget(data: "{}", partitionKey: "c")
        #expect(throttled.isRetriable)
        guard case .throttled(let code, _) = throttled else {
            Issue.record("expected .throttled, got \(throttled)")
            return
        }
        #expect(code == "ProvisionedThroughputExceededException")
        clock.advance(by: .seconds(1))
        guard case .success(let shard, _) = s.putRecordForTarget(data: "{}", partitionKey: "c") else {
            Issue.record("expected success after the clock moved")
            return
        }
        #expect(shard == "shardId-000000000000")
        let bad = s.putRecordForTarget(data: "{}", partitionKey: "")
        #expect(bad == .failed(code: "InvalidArgumentException", message: "PartitionKey must be 1 to 256 characters long, got 0; give a non-empty key (e.g. an id)"))
        #expect(!bad.isRetriable)
    }

    @Test func putRecordsRejectsMoreThan500Records() throws {
        let s = try stream()
        let error = #expect(throws: StreamError.self) {
            try s.putRecords((0..<501).map { PutRecordsEntry(data: "", partitionKey: "k\($0)") })
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "PutRecords takes 1 to 500 records per call, got 501; send the records in batches of at most 500")
        #expect(throws: StreamError.self) { try s.putRecords([]) }
    }

    @Test func putRecordsRejectsARecordOverOneMebibyte() throws {
        let s = try stream()
        let error = #expect(throws: StreamError.self) {
            try s.putRecords([
                PutRecordsEntry(data: "ok", partitionKey: "a"),
                PutRecordsEntry(data: String(repeating: "x", count: 1 << 20), partitionKey: "b"),
            ])
        }
        #expect(error?.message == "Records[1]: size of 1048577 bytes (data + partition key) exceeds the 1 MiB (1048576 bytes) record limit; split the data into smaller records")
        #expect(s.snapshot.shards[0].records.isEmpty, "a rejected request writes nothing")
    }

    @Test func putRecordsRejectsMoreThanFiveMebibytesPerCall() throws {
        let s = try stream()
        let chunk = String(repeating: "x", count: 1_000_000)
        let error = #expect(throws: StreamError.self) {
            try s.putRecords((0..<6).map { PutRecordsEntry(data: chunk, partitionKey: "k\($0)") })
        }
        #expect(error?.message == "PutRecords request of 6000012 bytes (data + partition keys) exceeds the 5 MiB (5242880 bytes) limit; send fewer records per call")
    }

    @Test func partialFailureOnlyForTheHotShard() throws {
        let s = try stream(shards: 2)
        s.setLimits(StreamLimits(writeRecordsPerSecond: 1))
        // order-2 and a go to shard 0; customer-42 goes to shard 1.
        let result = try s.putRecords([
            PutRecordsEntry(data: "1", partitionKey: "order-2"),
            PutRecordsEntry(data: "2", partitionKey: "a"),
            PutRecordsEntry(data: "3", partitionKey: "customer-42"),
        ])
        #expect(result.failedRecordCount == 1)
        #expect(result.records[1].jsonValue["ErrorCode"] == "ProvisionedThroughputExceededException")
        #expect(result.records[2].jsonValue["ShardId"] == "shardId-000000000001")
    }

    @Test(arguments: [
        (String(repeating: "k", count: 257), nil as String?, "PartitionKey must be 1 to 256 characters long, got 257; use a shorter key (e.g. an id)"),
        ("a", "-1", "ExplicitHashKey must be a decimal integer from 0 to 340282366920938463463374607431768211455, got '-1'"),
        ("a", "340282366920938463463374607431768211456", "ExplicitHashKey must be a decimal integer from 0 to 340282366920938463463374607431768211455, got '340282366920938463463374607431768211456'"),
    ])
    func invalidKeysAreInvalidArguments(key: String, explicit: String?, message: String) throws {
        let s = try stream()
        let error = #expect(throws: StreamError.self) { try s.putRecord(data: "x", partitionKey: key, explicitHashKey: explicit) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == message)
    }
}

@Suite struct StreamBurstTests {
    /// What the delivery engine does with a burst: 3,000 events at one instant into a one-shard
    /// stream; throttled ones are retried after a backoff on the manual clock until all are in.
    @Test func aBurstIsDeliveredLaterNotLost() throws {
        let clock = ManualClock()
        let s = DataStream(configuration: try StreamConfiguration(name: "burst"), clock: clock)
        var pending = (0..<3000).map { "event-\($0)" }
        var retried = 0
        var rounds = 0
        while !pending.isEmpty {
            rounds += 1
            var still: [String] = []
            for id in pending {
                switch s.putRecordForTarget(data: #"{"id":"\#(id)"}"#, partitionKey: id) {
                case .success: break
                case .throttled: still.append(id)
                case .failed(let code, let message): Issue.record("unexpected failure \(code): \(message)")
                }
            }
            retried += still.count
            pending = still
            clock.advance(by: .milliseconds(1100))
        }
        #expect(rounds == 3)
        #expect(retried == 2000 + 1000)
        let records = s.snapshot.shards[0].records
        #expect(records.count == 3000)
        #expect(Set(records.map(\.data)).count == 3000)
    }
}
