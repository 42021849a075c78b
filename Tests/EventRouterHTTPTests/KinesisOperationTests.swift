import EventRouter
import Testing
@testable import EventRouterHTTP

/// Kinesis operations in process on a manual clock: reading across a split, throttling on the
/// clock, and the same calls in CBOR.
@Suite struct KinesisOperationTests {
    static func put(_ f: KinesisFixture, _ data: String, key: String = "k") async throws -> JSONValue {
        try await f.ok("PutRecord", #"{"StreamName": "clicks", "Data": "\#(Base64.encode(Array(data.utf8)))", "PartitionKey": "\#(key)"}"#)
    }

    static func read(_ f: KinesisFixture, _ shard: String) async throws -> JSONValue {
        let it = try await f.ok("GetShardIterator", #"{"StreamName": "clicks", "ShardId": "\#(shard)", "ShardIteratorType": "TRIM_HORIZON"}"#)
        return try await f.ok("GetRecords", #"{"ShardIterator": "\#(it["ShardIterator"]?.stringValue ?? "")"}"#)
    }

    static func data(_ reply: JSONValue) -> [String] {
        (reply["Records"]?.arrayValue ?? []).map { String(decoding: Base64.decode($0["Data"]?.stringValue ?? "") ?? [], as: UTF8.self) }
    }

    @Test func recordsBeforeASplitStayOnTheParentWhichNamesItsChildren() async throws {
        let f = try KinesisFixture()
        _ = try await Self.put(f, "before")
        _ = try await f.ok("SplitShard", #"{"StreamName": "clicks", "ShardToSplit": "shardId-000000000000", "NewStartingHashKey": "170141183460469231731687303715884105728"}"#)
        let after = try await Self.put(f, "after")
        let parent = try await Self.read(f, "shardId-000000000000")
        #expect(Self.data(parent) == ["before"])
        #expect(parent["NextShardIterator"] == nil)
        #expect((parent["ChildShards"]?.arrayValue ?? []).compactMap { $0["ShardId"]?.stringValue } == ["shardId-000000000001", "shardId-000000000002"])
        #expect(parent["ChildShards"]?[0]?["ParentShards"] == ["shardId-000000000000"])
        let child = try #require(after["ShardId"]?.stringValue)
        #expect(Self.data(try await Self.read(f, child)) == ["after"])
        let open = try await f.ok("ListShards", #"{"StreamName": "clicks", "ShardFilter": {"Type": "AT_LATEST"}}"#)
        #expect(open["Shards"]?.arrayValue?.count == 2)
        let all = try await f.ok("DescribeStream", #"{"StreamName": "clicks", "Limit": 2}"#)
        #expect(all["StreamDescription"]?["HasMoreShards"] == true)
        let rest = try await f.ok("DescribeStream", #"{"StreamName": "clicks", "ExclusiveStartShardId": "shardId-000000000001"}"#)
        #expect(rest["StreamDescription"]?["Shards"]?.arrayValue?.count == 1)
    }

    @Test func aShardTakesAThousandRecordsPerSecondOnTheClock() async throws {
        let f = try KinesisFixture()
        let batch = #"{"StreamName": "clicks", "Records": [\#(Array(repeating: #"{"Data": "eA==", "PartitionKey": "k"}"#, count: 500).joined(separator: ","))]}"#
        #expect(try await f.ok("PutRecords", batch)["FailedRecordCount"] == 0)
        #expect(try await f.ok("PutRecords", batch)["FailedRecordCount"] == 0)
        let third = try await f.ok("PutRecords", batch)
        #expect(third["FailedRecordCount"] == 500)
        #expect(third["Records"]?[0]?["ErrorCode"] == "ProvisionedThroughputExceededException")
        let single = await f.json("PutRecord", #"{"StreamName": "clicks", "Data": "eA==", "PartitionKey": "k"}"#)
        #expect(single.status == 400)
        let body = try KinesisFixture.object(single)
        #expect(body["__type"] == "ProvisionedThroughputExceededException")
        #expect(body["message"]?.stringValue?.contains("a shard takes 1000 records or 1048576 bytes per second") == true)
        f.clock.advance(by: .seconds(1))
        #expect(try await f.ok("PutRecords", batch)["FailedRecordCount"] == 0)
    }

    @Test func updateShardCountScalesUniformlyThroughSplitsAndMerges() async throws {
        let f = try KinesisFixture()
        _ = try await Self.put(f, "one")
        let up = try await f.ok("UpdateShardCount", #"{"StreamName": "clicks", "TargetShardCount": 2, "ScalingType": "UNIFORM_SCALING"}"#)
        #expect(up["CurrentShardCount"] == 1 && up["TargetShardCount"] == 2)
        let down = try await f.ok("UpdateShardCount", #"{"StreamARN": "\#(KinesisFixture.arn)", "TargetShardCount": 1, "ScalingType": "UNIFORM_SCALING"}"#)
        #expect(down["CurrentShardCount"] == 2)
        let open = try await f.ok("ListShards", #"{"StreamName": "clicks", "ShardFilter": {"Type": "AT_LATEST"}}"#)
        let shard = try #require(open["Shards"]?[0])
        #expect(open["Shards"]?.arrayValue?.count == 1)
        #expect(shard["HashKeyRange"]?["StartingHashKey"] == "0")
        #expect(shard["AdjacentParentShardId"] != nil)
        let roots = try await f.ok("ListShards", #"{"StreamName": "clicks", "ShardFilter": {"Type": "AT_TRIM_HORIZON"}}"#)
        #expect(roots["Shards"]?.arrayValue?.compactMap { $0["ShardId"]?.stringValue } == ["shardId-000000000000"])
    }

    @Test func aStreamCreatedOverTheWireIsTheEnginesStream() async throws {
        let f = try KinesisFixture()
        _ = try await f.ok("CreateStream", #"{"StreamName": "orders", "StreamModeDetails": {"StreamMode": "ON_DEMAND"}, "Tags": {"team": "a"}}"#)
        let stream = try f.runtime.streams.stream("orders")
        #expect(stream.snapshot.openShardIds.count == 4)
        #expect(stream.putRecordForTarget(data: "{}", partitionKey: "p").isRetriable == false)
        let summary = try await f.ok("DescribeStreamSummary", #"{"StreamName": "orders"}"#)
        #expect(summary["StreamDescriptionSummary"]?["StreamModeDetails"]?["StreamMode"] == "ON_DEMAND")
        let tags = try await f.ok("ListTagsForResource", #"{"ResourceARN": "\#(stream.arn)"}"#)
        #expect(tags["Tags"] == [["Key": "team", "Value": "a"]])
        _ = try await f.ok("DeleteStream", #"{"StreamName": "orders"}"#)
        #expect(throws: StreamError.self) { try f.runtime.streams.stream("orders") }
    }

    @Test func cborCallsGetCBORRepliesWithByteStringsAndMillisecondTimes() async throws {
        let f = try KinesisFixture()
        let put = await f.cbor("PutRecord", .textMap([("StreamName", .text("clicks")), ("Data", .bytes([0, 1, 0xfe, 0xff])), ("PartitionKey", .text("k"))]))
        #expect(put.status == 200)
        #expect(put.headers["Content-Type"] == "application/x-amz-cbor-1.1")
        let at = CBORValue.tagged(1, .unsigned(UInt64(f.clock.now.millisecondsSinceEpoch)))
        let it = try CBORDecoder.decode(await f.cbor("GetShardIterator", .textMap([
            ("StreamName", .text("clicks")), ("ShardId", .text("shardId-000000000000")), ("ShardIteratorType", .text("AT_TIMESTAMP")), ("Timestamp", at),
        ])).body)
        guard case .text(let token)? = it["ShardIterator"] else { Issue.record("no iterator: \(it)"); return }
        let records = try CBORDecoder.decode(await f.cbor("GetRecords", .textMap([("ShardIterator", .text(token))])).body)
        guard case .array(let list)? = records["Records"], let first = list.first else { Issue.record("no records: \(records)"); return }
        #expect(first["Data"] == .bytes([0, 1, 0xfe, 0xff]))
        #expect(first["ApproximateArrivalTimestamp"] == at)
        let missing = await f.cbor("DescribeStream", .textMap([("StreamName", .text("nope"))]))
        #expect(missing.status == 400)
        #expect(try CBORDecoder.decode(missing.body)["__type"] == .text("ResourceNotFoundException"))
    }
}
