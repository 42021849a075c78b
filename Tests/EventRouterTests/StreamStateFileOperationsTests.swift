import Testing
@testable import EventRouter

@Suite struct StreamStateFileOperationsTests {
    let clock = ManualClock()

    func run(_ action: StreamStateFileOperations.Action, _ state: JSONValue, stream: String = "orders") throws -> StreamStateFileOperations.Outcome {
        try StreamStateFileOperations.run(action, stream: stream, state: state, clock: clock)
    }

    @Test func createPutGetDescribeOnAStateDocument() throws {
        var state = try StreamStateFileOperations.parseState(#"{"queues": {}}"#, file: "s.json")
        state = try run(.create(shardCount: 2, retentionPeriodHours: 24), state).state
        #expect(state.objectValue?.keys == ["queues", "streams"], "other keys are kept")

        let put = try run(.put([PutRecordsEntry(data: #"{"id":"e1"}"#, partitionKey: "customer-42")]), state)
        #expect(put.output["ShardId"] == "shardId-000000000001")
        state = put.state
        let many = try run(.put((0..<600).map { PutRecordsEntry(data: "\($0)", partitionKey: "k\($0)") }), state)
        #expect(many.output["FailedRecordCount"]?.intValue == 0)
        #expect(many.output["Records"]?.arrayValue?.count == 600, "sent in batches of 500, answered as one")
        state = many.state

        let one = try run(.get(.init(shardId: "shardId-000000000001", limit: 1)), state)
        #expect(one.output["ShardId"] == "shardId-000000000001")
        #expect(one.output["Records"]?.arrayValue?.first?["Data"] == #"{"id":"e1"}"#)
        let next = try #require(one.output["NextShardIterator"]?.stringValue)
        let cont = try run(.get(.init(shardIterator: next, limit: 2)), state)
        #expect(cont.output["Records"]?.arrayValue?.count == 2)
        #expect(cont.state == state, "get does not change the state")

        let all = try run(.get(.init()), state)
        let shards = try #require(all.output["Shards"]?.arrayValue)
        #expect(shards.map { $0["ShardId"]?.stringValue } == ["shardId-000000000000", "shardId-000000000001"])
        let total = shards.reduce(0) { $0 + ($1["Records"]?.arrayValue?.count ?? 0) }
        #expect(total == 601)

        let described = try run(.describe, state).output
        #expect(described["StreamDescription"]?["StreamARN"] == "arn:aws:kinesis:us-east-1:123456789012:stream/orders")
        let split = try run(.split(shardId: "shardId-000000000000", newStartingHashKey: "1000"), state)
        #expect(split.output["StreamDescription"]?["OpenShardCount"]?.intValue == 3)
        let merged = try run(.merge(shardId: "shardId-000000000002", adjacentShardId: "shardId-000000000003"), split.state)
        #expect(merged.output["StreamDescription"]?["Shards"]?.arrayValue?.count == 5)
    }

    @Test func unknownStreamAndDuplicateCreate() throws {
        let empty = try StreamStateFileOperations.parseState(nil, file: "missing.json")
        let error = #expect(throws: StreamError.self) { try run(.describe, empty) }
        #expect(error?.code == .resourceNotFound)
        let state = try run(.create(shardCount: 1, retentionPeriodHours: 24), empty).state
        let again = #expect(throws: StreamError.self) { try run(.create(shardCount: 1, retentionPeriodHours: 24), state) }
        #expect(again?.code == .resourceInUse)
    }

    @Test func stateFileErrors() {
        let bad = #expect(throws: StreamError.self) { try StreamStateFileOperations.parseState("{", file: "s.json") }
        #expect(bad?.message.hasPrefix("state file s.json is not valid JSON: invalid JSON at byte 1") == true)
        let array = #expect(throws: StreamError.self) { try StreamStateFileOperations.parseState("[]", file: "s.json") }
        #expect(array?.message == #"state file s.json must hold a JSON object like {"streams": {…}}, got array"#)
    }

    @Test func recordsFileAsNDJSONOrArray() throws {
        let ndjson = try StreamStateFileOperations.parseRecords("{\"Data\":\"a\",\"PartitionKey\":\"k\"}\n\n{\"Data\":{\"x\":1},\"PartitionKey\":\"k\",\"ExplicitHashKey\":\"7\"}\n")
        #expect(ndjson == [PutRecordsEntry(data: "a", partitionKey: "k"), PutRecordsEntry(data: #"{"x":1}"#, partitionKey: "k", explicitHashKey: "7")])
        let array = try StreamStateFileOperations.parseRecords(#" [{"Data":"a","PartitionKey":"k"}]"#)
        #expect(array.count == 1)
        let missing = #expect(throws: StreamError.self) { try StreamStateFileOperations.parseRecords("{\"Data\":\"a\"}") }
        #expect(missing?.message == #"records line 1: needs "Data" and a string "PartitionKey", e.g. {"Data": "…", "PartitionKey": "order-1"}"#)
        let broken = #expect(throws: StreamError.self) { try StreamStateFileOperations.parseRecords("{\"Data\":\"a\",\"PartitionKey\":\"k\"}\nnope") }
        #expect(broken?.message.hasPrefix("records line 2 is not valid JSON") == true)
    }

    @Test func actsAtTheNewestTimeInTheState() throws {
        let virtual = ManualClock(start: Timestamp(iso8601: "2020-06-01T00:00:00Z")!)
        let registry = StreamRegistry(clock: virtual)
        let s = try registry.create(StreamConfiguration(name: "orders"))
        virtual.advance(by: .seconds(90))
        _ = try s.putRecord(data: "x", partitionKey: "a")
        let state: JSONValue = ["streams": registry.stateJSON()]
        #expect(try StreamStateFileOperations.latestTime(in: state) == Timestamp(iso8601: "2020-06-01T00:01:30Z"))
        #expect(try StreamStateFileOperations.latestTime(in: [:]) == nil)
    }
}
