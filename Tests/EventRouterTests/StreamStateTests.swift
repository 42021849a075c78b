import Testing
@testable import EventRouter

@Suite struct StreamStateTests {
    @Test func stateJSONRoundTripsThroughARegistry() throws {
        let clock = ManualClock()
        let registry = StreamRegistry(clock: clock)
        let s = try registry.create(StreamConfiguration(name: "orders", shardCount: 2, retentionPeriodHours: 48))
        _ = try s.putRecord(data: #"{"id":"1"}"#, partitionKey: "order-1")
        _ = try s.putRecord(data: "two", partitionKey: "customer-42")
        try s.splitShard(shardId: "shardId-000000000001", newStartingHashKey: "300000000000000000000000000000000000000")
        let three = try s.putRecord(data: "three", partitionKey: "customer-42")
        let state = registry.stateJSON()
        let entry = try #require(state["arn:aws:kinesis:us-east-1:123456789012:stream/orders"])
        let shards = try #require(entry["shards"]?.arrayValue)
        #expect(shards.map { $0["ShardId"]?.stringValue } == ["shardId-000000000000", "shardId-000000000001", "shardId-000000000002", "shardId-000000000003"])
        let record = try #require(shards[0]["records"]?.arrayValue?.first)
        #expect(record["Data"] == #"{"id":"1"}"#, "Data is the text as written, not base64")
        #expect(record["PartitionKey"] == "order-1")

        let text = state.jsonText
        let restored = StreamRegistry(clock: clock)
        try restored.create(StreamConfiguration(name: "orders", shardCount: 2, retentionPeriodHours: 48))
        try restored.restore(from: try JSONValue(parsing: text))
        #expect(restored.stateJSON() == state)
        let again = try restored.stream("orders")
        #expect(again.configuration.retentionPeriodHours == 48)
        #expect(again.snapshot.shards.count == 4, "the restored stream replaced the declared one")
        let next = try again.putRecord(data: "four", partitionKey: "customer-42")
        #expect(next.shardId == three.shardId)
        #expect(try #require(SequenceNumber(next.sequenceNumber)) > #require(SequenceNumber(three.sequenceNumber)))
        #expect(again.snapshot.shards[1].status == .closed)
    }

    @Test func minimalContractStateRestores() throws {
        let text = #"""
        {"arn:aws:kinesis:eu-west-1:111122223333:stream/min": {"shards": [
          {"ShardId": "shardId-000000000000", "records": [
            {"SequenceNumber": "49000000000000000000000000000000000000000700000000000000", "PartitionKey": "a", "Data": "hello"}]},
          {"ShardId": "shardId-000000000001", "records": []}]}}
        """#
        let clock = ManualClock()
        let registry = StreamRegistry(clock: clock)
        try registry.restore(from: try JSONValue(parsing: text))
        let s = try registry.stream("arn:aws:kinesis:eu-west-1:111122223333:stream/min")
        #expect(s.snapshot.shards.map(\.hashKeyRange) == HashKeyRange.evenSplit(count: 2))
        let r = try s.getRecords(shardIterator: s.shardIterator(shardId: "shardId-000000000000", type: .trimHorizon))
        #expect(r.records.map(\.data) == ["hello"])
        #expect(r.records[0].approximateArrivalTimestamp == clock.now)
        let next = try s.putRecord(data: "x", partitionKey: "a")
        #expect(SequenceNumber(next.sequenceNumber)?.counter == 8)
    }

    @Test(arguments: [
        (#"[]"#, #"state "streams" must be an object keyed by stream ARN, got array"#),
        (#"{"orders": {"shards": []}}"#, "'orders' is not a stream ARN; use arn:aws:kinesis:REGION:ACCOUNT:stream/NAME"),
        (#"{"arn:aws:kinesis:us-east-1:123456789012:stream/s": {"shards": []}}"#,
         #"state streams["arn:aws:kinesis:us-east-1:123456789012:stream/s"].shards must be a non-empty array of shards ({"ShardId", "records"})"#),
        (#"{"arn:aws:kinesis:us-east-1:123456789012:stream/s": {"shards": [{"ShardId": "x"}]}}"#,
         #"state streams["arn:aws:kinesis:us-east-1:123456789012:stream/s"].shards[0].ShardId must be a shard id like shardId-000000000000"#),
        (#"{"arn:aws:kinesis:us-east-1:123456789012:stream/s": {"shards": [{"ShardId": "shardId-000000000000", "records": [{"SequenceNumber": "12", "PartitionKey": "a", "Data": "d"}]}]}}"#,
         #"state streams["arn:aws:kinesis:us-east-1:123456789012:stream/s"].shards[0].records[0].SequenceNumber must be a 56-digit sequence number of shardId-000000000000, got "12""#),
        (#"{"arn:aws:kinesis:us-east-1:123456789012:stream/s": {"shards": [{"ShardId": "shardId-000000000000", "records": [{"SequenceNumber": "49000000000000000000000000000000000000000700000000000000", "PartitionKey": "a", "Data": 5}]}]}}"#,
         #"state streams["arn:aws:kinesis:us-east-1:123456789012:stream/s"].shards[0].records[0].Data must be a string (the record text), or DataBase64 the payload in base64"#),
        (#"{"arn:aws:kinesis:us-east-1:123456789012:stream/s": {"shards": [{"ShardId": "shardId-000000000000", "HashKeyRange": {"StartingHashKey": "5", "EndingHashKey": "340282366920938463463374607431768211455"}}]}}"#,
         #"state streams["arn:aws:kinesis:us-east-1:123456789012:stream/s"]: the open shards' HashKeyRanges must cover 0…340282366920938463463374607431768211455 without gaps or overlaps; shardId-000000000000 starts at 5, expected 0"#),
    ])
    func restoreErrorsNameThePath(text: String, message: String) throws {
        let registry = StreamRegistry(clock: ManualClock())
        let error = #expect(throws: StreamError.self) { try registry.restore(from: try JSONValue(parsing: text)) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == message)
    }
}
